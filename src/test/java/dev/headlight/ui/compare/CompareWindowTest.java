package dev.headlight.ui.compare;

import dev.headlight.ui.Diverging;

import dev.headlight.analysis.Comparison;
import dev.headlight.engine.Model;
import dev.headlight.ui.ExplorerViewModel;
import dev.headlight.ui.FxTestSupport;
import dev.headlight.ui.shell.MainWindow;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.headlight.ui.FxTestSupport.find;
import static dev.headlight.ui.FxTestSupport.fx;
import static dev.headlight.ui.FxTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * File > Compare With… on the real engine: the induction sample's final model against its step-100 checkpoint,
 * then two prompts. With -Dheadlight.compareScreenshot=FILE the test also saves what it shows.
 */
@ExtendWith(ApplicationExtension.class)
class CompareWindowTest {
    private static final Path RUN = Path.of("sample-models/induction-2l").toAbsolutePath().normalize();
    private static final String PROMPT = "KxQ7mPbzKxQ7mPbz";

    private MainWindow window;
    private ExplorerViewModel vm;

    @TempDir
    Path temp;

    @Start
    void start(Stage stage) {
        window = FxTestSupport.showWindow(stage, FxTestSupport.testNode("-compare"), 1280, 860);
        vm = window.explorer();
    }

    @AfterEach
    void tearDown() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> vm.shutdown()).get();
    }

    @Test
    void comparesTwoCheckpointsAndTwoPrompts(FxRobot robot) throws Exception {
        robot.interact(() -> {
            window.parts().promptField().setText(PROMPT);
            window.openModel(RUN.resolve("step-000800"));
        });
        waitUntil("the model", 120, () -> vm.analysis() != null && !vm.isBusy());
        CompareWindow compare = fx(() -> window.parts().compare().open());
        CompareViewModel cvm = compare.viewModel();
        robot.interact(() -> cvm.compareWithModel(RUN.resolve("step-000100")));
        waitUntil("the comparison", 120, () -> cvm.shownProperty().get().result() != null && !cvm.status().runningProperty().get());
        CompareResult r = fx(() -> cvm.shownProperty().get().result());
        assertTrue(r.twoModels());
        try (Model a = Model.open(RUN.resolve("step-000800")); Model b = Model.open(RUN.resolve("step-000100"))) {
            double[][] expected = Comparison.models(a, b, a.tokenizer().encode(PROMPT).ids(), null).jsDistance();
            for (int l = 0; l < 2; l++) {
                for (int h = 0; h < 2; h++) {
                    assertEquals(expected[l][h], r.comparison().jsDistance()[l][h], 1e-12);
                }
            }
        }
        // the largest distance is selected first; clicking another head selects it
        MatrixCanvas grid = find(compare.stage(), "compare-js", MatrixCanvas.class);
        assertEquals(2, fx(() -> grid.content().rows()));
        int otherLayer = fx(() -> 1 - cvm.shownProperty().get().layer());
        double[] centre = fx(() -> grid.cellCentre(otherLayer, 1));
        var screen = fx(() -> grid.localToScreen(centre[0], centre[1]));
        robot.clickOn(screen);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(otherLayer, fx(() -> cvm.shownProperty().get().layer()));
        assertEquals(1, fx(() -> cvm.shownProperty().get().head()));
        // the difference map is B - A of the selected head, centred on zero
        float[] d = fx(cvm::differenceMap);
        int n = r.positions();
        float[] a = r.comparison().a().attentions().head(otherLayer, 1);
        float[] b = r.comparison().b().attentions().head(otherLayer, 1);
        assertEquals(b[5 * n + 3] - a[5 * n + 3], d[5 * n + 3], 0f);
        assertEquals(0xFFF7F7F7, Diverging.argb(0, 1), "zero is the scale's middle");
        assertEquals(n, fx(() -> find(compare.stage(), "compare-difference", MatrixCanvas.class).content().rows()));
        // the lenses mark where the top-1 differs
        boolean anyDiffers = false;
        for (boolean[] row : r.top1Differs()) {
            for (boolean x : row) {
                anyDiffers |= x;
            }
        }
        assertTrue(anyDiffers, "an untrained and a trained model predict differently somewhere");
        assertTrue(fx(() -> find(compare.stage(), "compare-lens-b", MatrixCanvas.class).content().marked() != null));
        Path png = temp.resolve("compare.png");
        fx(() -> {
            compare.exportPng(png);
            return null;
        });
        assertTrue(Files.size(png) > 1000);
        String shot = System.getProperty("headlight.compareScreenshot");
        if (shot != null) {
            robot.interact(() -> cvm.select(1, 0));
            fx(() -> {
                compare.exportPng(Path.of(shot));
                return null;
            });
        }

        // dark mode reaches the compare window as the main window: background, grid labels, lens tints
        robot.interact(() -> vm.darkProperty().set(true));
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(fx(() -> find(compare.stage(), "compare-js", MatrixCanvas.class).paletteProperty().get().dark()));
        javafx.scene.image.Image dark = fx(() -> compare.stage().getScene().getRoot().snapshot(null, null));
        javafx.scene.paint.Color corner = dark.getPixelReader().getColor(3, (int) dark.getHeight() - 3);
        assertTrue(corner.getBrightness() < 0.2, "a dark background, was " + corner);
        int sameCell = fx(() -> find(compare.stage(), "compare-lens-b", MatrixCanvas.class).content().argb().argb(0, 0));
        assertTrue((sameCell >> 8 & 0xFF) < 0x60, "a dark lens cell, was " + Integer.toHexString(sameCell));
        String darkShot = System.getProperty("headlight.compareDarkScreenshot");
        if (darkShot != null) {
            fx(() -> {
                compare.exportPng(Path.of(darkShot));
                return null;
            });
        }
        robot.interact(() -> vm.darkProperty().set(false));

        robot.interact(() -> compare.stage().getScene().lookup("#compare-prompt-b").requestFocus());
        robot.interact(() -> ((javafx.scene.control.TextField) compare.stage().getScene().lookup("#compare-prompt-b"))
                .setText("KxQ7mPbzKxQ7"));
        robot.clickOn("#compare-prompts");
        waitUntil("the prompt comparison", 120, () -> cvm.shownProperty().get().result() != null && !cvm.shownProperty().get().result().twoModels()
                && !cvm.status().runningProperty().get());
        CompareResult p = fx(() -> cvm.shownProperty().get().result());
        assertEquals(13, p.positions(), "BOS + 12 symbols of the shorter prompt");
        for (double[] row : p.comparison().jsDistance()) {
            for (double v : row) {
                assertEquals(0.0, v, 1e-7, "a prefix of the same prompt: causal rows are equal");
            }
        }
        assertFalse(fx(() -> compare.stage().getScene().lookup("#compare-status").isDisabled()));
    }
}
