package dev.headlight.ui.lab;

import dev.headlight.analysis.WeightChange;
import dev.headlight.engine.Model;
import dev.headlight.train.CheckpointWeightChanges;
import dev.headlight.ui.ExplorerViewModel;
import dev.headlight.ui.FxTestSupport;
import dev.headlight.ui.shell.MainWindow;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;

import static dev.headlight.ui.FxTestSupport.fx;
import static dev.headlight.ui.FxTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The timeline's weight-change heatmaps on the bundled runs, computed in the background on the real engine. */
@ExtendWith(ApplicationExtension.class)
class WeightChangeViewTest {
    private static final Path RUN = Path.of("sample-models/induction-2l").toAbsolutePath().normalize();
    private static final Path TINY = Path.of("sample-models/tiny-lm").toAbsolutePath().normalize();

    private MainWindow window;
    private ExplorerViewModel vm;

    @Start
    void start(Stage stage) {
        window = FxTestSupport.showWindow(stage, FxTestSupport.testNode("-weights"), 1280, 860);
        vm = window.explorer();
    }

    @AfterEach
    void tearDown() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> vm.shutdown()).get();
    }

    @Test
    void heatmapsOfARunAndCancelledWhenAnotherOpens(FxRobot robot) throws Exception {
        WeightChangeViewModel changes = window.parts().lab().weightChanges();
        // opening another run while the first is computed cancels it: the result is the second run's
        robot.interact(() -> window.openModel(RUN));
        waitUntil("the induction run's timeline", 60, () -> window.parts().lab().timeline().timelineProperty().getValue() != null);
        robot.interact(() -> window.openModel(TINY));
        waitUntil("the tiny-lm changes", 180, () -> changes.stepsProperty().get() != null && changes.heads() == 4);
        assertEquals(5, fx(() -> changes.changeGrid().length), "6 checkpoints of tiny-lm");

        robot.interact(() -> window.openModel(RUN));
        waitUntil("the induction changes", 180, () -> changes.stepsProperty().get() != null && changes.heads() == 2);
        double[][] grid = fx(changes::changeGrid);
        assertEquals(8, grid.length);
        try (Model s2 = Model.open(RUN.resolve("step-000200")); Model s3 = Model.open(RUN.resolve("step-000300"))) {
            double[][] expected = CheckpointWeightChanges.headGrid(WeightChange.between(s2, s3), "q", 2, 2);
            for (int k = 0; k < 4; k++) {
                assertEquals(expected[k / 2][k % 2], grid[2][k], 1e-12, "step 300, head " + k);
            }
        }
        robot.interact(() -> changes.fromFirstProperty().set(true));
        assertTrue(fx(changes::changeGrid)[7][0] > fx(changes::changeGrid)[0][0], "change from step 0 accumulates");
        double[][] share = fx(changes::shareGrid);
        assertNotNull(share, "the sample has weight records");
        assertEquals(WeightChangeViewModel.SHARE_ROWS, share.length);
        double sum = 0;
        for (double v : share[40]) {
            sum += v;
        }
        assertEquals(1.0, sum, 1e-9);
        WaitForAsyncUtils.waitForFxEvents();
        WeightChangeView view = fx(() -> window.parts().lab().weightChangeView());
        assertEquals(8, fx(() -> view.changes().content().rows()));
        assertTrue(fx(() -> view.shares().isVisible()));
        String shot = System.getProperty("headlight.timelineScreenshot");
        if (shot != null) {
            robot.interact(() -> window.parts().lab().timeline().selectStep(300));
            WaitForAsyncUtils.waitForFxEvents();
            fx(() -> {
                dev.headlight.ui.PngExport.write(window.parts().lab().timeline().snapshot(null, null), Path.of(shot));
                return null;
            });
        }
    }
}
