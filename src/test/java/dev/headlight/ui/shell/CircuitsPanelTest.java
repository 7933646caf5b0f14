package dev.headlight.ui.shell;

import dev.headlight.analysis.circuits.ModelCircuits;
import dev.headlight.engine.Model;
import dev.headlight.library.SampleModels;
import dev.headlight.ui.CircuitsViewModel;
import dev.headlight.ui.FxTestSupport;
import dev.headlight.ui.ModelViewModel;
import javafx.geometry.Point2D;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.Locale;

import static dev.headlight.ui.FxTestSupport.fx;
import static dev.headlight.ui.FxTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Circuits tab in the window on the real engine and the bundled induction sample: clicking a node selects that
 * head everywhere, clicking an edge selects the pair, the threshold slider changes the edges drawn, and the model
 * view colours by the copying score.
 */
@ExtendWith(ApplicationExtension.class)
class CircuitsPanelTest {
    static final Path INDUCTION = SampleModels.samplesRoot().orElseThrow().resolve("induction-2l");

    private MainWindow window;

    @Start
    void start(Stage stage) {
        window = FxTestSupport.showWindow(stage, FxTestSupport.testNode("-circuits"), 1280, 800);
    }

    @AfterEach
    void tearDown() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> window.shutdown()).get();
    }

    @Test
    void clickingANodeOrAnEdgeSelectsAndTheSliderChangesTheEdges(FxRobot robot) throws Exception {
        CircuitsViewModel circuits = window.parts().circuitsViewModel();
        robot.interact(() -> {
            window.parts().promptField().setText(SampleModels.examplePrompt(INDUCTION));
            window.openModel(INDUCTION);
        });
        waitUntil("the prompt analysed", () -> window.explorer().analysis() != null && !window.explorer().isBusy());
        // the training timeline reads the sample's checkpoints and shows its tab when it has them: wait for it
        waitUntil("background work done", () -> window.tasks().runningCountProperty().get() == 0);
        assertNull(fx(() -> circuits.evidenceProperty().get()), "no circuits shown before the tab shows");
        robot.interact(() -> window.parts().tabs().getSelectionModel().select(window.parts().circuitsTab()));
        waitUntil("the composition table", () -> circuits.tableProperty().get() != null);
        waitUntil("the selected head's details", () -> circuits.shownHeadProperty().get().detail() != null);
        CircuitsPanel panel = window.parts().circuitsPanel();
        waitUntil("the graph laid out", () -> panel.graph().getWidth() > 100 && panel.graph().getHeight() > 100
                && panel.graph().getScene() != null && panel.graph().isVisible());

        // a click on a node selects that head in the shared selection (the model view and head view follow)
        assertEquals(window.parts().circuitsTab(), fx(() -> window.parts().tabs().getSelectionModel().getSelectedItem()));
        robot.interact(() -> window.explorer().selection().selectHead(0, 0));
        Point2D node = fx(() -> panel.graph().localToScreen(panel.graph().nodeCenter(1, 1)));
        robot.clickOn(node);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1, fx(() -> window.explorer().selection().layer()));
        assertEquals(1, fx(() -> window.explorer().selection().head()));
        waitUntil("L1 H1's details", () -> circuits.shownHeadProperty().get().detail().layer() == 1
                && circuits.shownHeadProperty().get().detail().head() == 1);

        ModelCircuits ref;
        try (Model model = Model.open(INDUCTION)) {
            ref = ModelCircuits.compute(model, CircuitsViewModel.OV_TOP, null, null);
        }
        // the OV table shows the analysis's singular values
        var rows = fx(() -> java.util.List.copyOf(panel.ovTable().getItems()));
        assertEquals(ref.ovTop().get(ref.circuits().heads() + 1).size(), rows.size());
        assertEquals(ref.ovTop().get(ref.circuits().heads() + 1).getFirst().sigma(), rows.getFirst().sigma());

        // the slider is the threshold: lower shows more edges, higher fewer
        robot.interact(() -> panel.threshold().setValue(0));
        int all = fx(() -> circuits.edges().size());
        assertEquals(3 * 4, all, "2 layers of 2 heads: 4 pairs, 3 kinds each");
        robot.interact(() -> panel.threshold().setValue(0.25));
        int strong = fx(() -> circuits.edges().size());
        assertTrue(strong > 0 && strong < all, strong + " of " + all + " edges at 0.25");
        assertTrue(fx(() -> circuits.edges().stream().allMatch(e -> e.score() >= 0.25)));

        // a click on an edge selects the pair: its reading head becomes the selected head
        var edge = fx(() -> circuits.edges().stream().filter(e -> e.toHead() == 0).findFirst().orElseThrow());
        Point2D middle = fx(() -> panel.graph().localToScreen(panel.graph().edgeMidpoint(edge)));
        robot.clickOn(middle);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(edge.toLayer(), fx(() -> window.explorer().selection().layer()));
        assertEquals(edge.toHead(), fx(() -> window.explorer().selection().head()));
        var pair = fx(() -> circuits.selectedPairProperty().get().composition());
        assertNotNull(pair);
        assertEquals(edge.fromHead(), pair.fromHead());
        assertTrue(fx(() -> circuits.selectedPairProperty().get().text()).contains(String.format(Locale.ROOT, "%.3f",
                ref.composition()[edge.fromLayer()][edge.fromHead()][edge.toLayer()][edge.toHead()].k()
                        .getAsDouble())));

        // the model view colours its bars by the copying score read from the weights
        robot.interact(() -> window.parts().views().model().viewModel().colorByProperty().set(ModelViewModel.COPYING));
        var bars = fx(() -> window.parts().views().model().viewModel().barsProperty().get());
        assertEquals(ref.copying()[1][0].score().getAsDouble(), bars.values()[1][0]);
    }
}
