package dev.headlight.ui.interventions;

import dev.headlight.analysis.ActivationPatching;
import dev.headlight.analysis.DirectLogitAttribution;
import dev.headlight.analysis.HeadAblation;
import dev.headlight.engine.Model;
import dev.headlight.ui.Analysis;
import dev.headlight.ui.ExplorerViewModel;
import dev.headlight.ui.shell.MainWindow;
import javafx.geometry.Point2D;
import javafx.geometry.Rectangle2D;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;

import static dev.headlight.ui.FxTestSupport.find;
import static dev.headlight.ui.FxTestSupport.menuItem;
import static dev.headlight.ui.FxTestSupport.tab;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.headlight.ui.FxTestSupport;
import static dev.headlight.ui.FxTestSupport.fx;

/**
 * The intervention tabs driven as a user drives them, headless (glass Headless platform, software rendering), on
 * the real engine and the fixture models, set up as ExplorerWindowTest does. Every number shown is compared with
 * the analysis package computing the same thing directly.
 */
@ExtendWith(ApplicationExtension.class)
class InterventionsWindowTest {
    static final Path FIXTURES = Path.of("src/test/resources/fixtures");
    static final Path GPT2 = FIXTURES.resolve("gpt2-tiny").resolve("model");
    static final Path BERT = FIXTURES.resolve("bert-tiny").resolve("model");

    /**
     * The window and the direct call run the same engine on the same ids; the engine's parallel float sums may
     * split differently between runs, so equal means within 1e-4 (20x tighter than the HF parity contract).
     */
    static final double SAME_ENGINE = 1e-4;

    private MainWindow window;
    private ExplorerViewModel vm;
    private Interventions interventions;

    @Start
    void start(Stage stage) {
        window = FxTestSupport.showWindow(stage, FxTestSupport.testNode("-interventions"), 1280, 860);
        vm = window.explorer();
        interventions = window.parts().interventions();
    }

    @AfterEach
    void tearDown() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
            interventions.shutdown();
            vm.shutdown();
        }).get();
    }

    /** Ablation maps and patching run many passes: a longer wait than the explorer's. */
    static void waitUntil(String what, Callable<Boolean> condition) throws TimeoutException {
        FxTestSupport.waitUntil(what, 90, condition);
    }

    void openAndWait(FxRobot robot, Path folder) throws TimeoutException {
        robot.interact(() -> window.openModel(folder));
        waitUntil("analysis of " + folder, () -> vm.analysis() != null
                && vm.analysis().model().info().folder().equals(folder.toAbsolutePath().normalize()) && !vm.isBusy());
    }

    @Test
    void ablatingAHeadFromTheModelViewMenuShowsWhatHeadAblationComputes(FxRobot robot) throws Exception {
        openAndWait(robot, GPT2);
        Analysis a = vm.analysis();
        int layer = 1;
        int head = 2;
        int position = 3;
        robot.interact(() -> vm.selection().queryProperty().set(position));
        // right-click the head's map: the menu's target becomes the selected head
        Rectangle2D cell = fx(() -> window.parts().views().model().cellBounds(layer, head));
        Point2D onScreen = fx(() -> window.parts().views().model().localToScreen(cell.getMinX() + cell.getWidth() / 2,
                cell.getMinY() + cell.getHeight() / 2));
        robot.moveTo(onScreen).clickOn(MouseButton.SECONDARY);
        waitUntil("head selected by the right-click", () -> vm.selection().layer() == layer
                && vm.selection().head() == head);
        robot.interact(() -> {
            window.parts().views().model().getScene().getWindow().requestFocus();
            menuItem(interventions.modelViewMenuItems(), "ablate-zero").fire();
        });
        waitUntil("the ablation outcome", () -> interventions.ablationViewModel().outcomeProperty().get() != null);
        AblationViewModel.Outcome o = interventions.ablationViewModel().outcomeProperty().get();
        Model model = a.model();
        int target = a.ids()[position + 1];
        double direct = HeadAblation.ablatedLogProb(model, a.ids(), position, target, layer, head, false);
        HeadAblation.Result map = HeadAblation.map(model, a.ids(), position, target, false, null, null);
        assertEquals(layer, o.layer());
        assertEquals(head, o.head());
        assertEquals(position, o.position());
        assertEquals(target, o.target());
        assertEquals(direct, o.ablatedLogProb(), SAME_ENGINE);
        assertEquals(map.cleanLogProb(), o.cleanLogProb(), SAME_ENGINE);
        assertEquals(map.delta()[layer][head], o.delta(), SAME_ENGINE);
        assertNotEquals(0.0, o.delta(), "the ablation changes the prediction");
        String summary = fx(() -> find(window.stage(), "ablation-summary", Label.class).getText());
        assertTrue(summary.contains(String.format(Locale.ROOT, "%.3f", direct)), summary);
        // the tables: top-10 before and after, with both probabilities; the target's after-probability is exp(direct)
        List<AblationViewModel.Row> after = fx(() -> List.copyOf(table("ablation-after").getItems()));
        assertEquals(AblationViewModel.TOP, after.size());
        for (int i = 1; i < after.size(); i++) {
            assertTrue(after.get(i - 1).after() >= after.get(i).after(), "sorted by probability after");
        }
        List<AblationViewModel.Row> before = fx(() -> List.copyOf(table("ablation-before").getItems()));
        assertEquals(AblationViewModel.TOP, before.size());
        for (AblationViewModel.Row r : before) {
            if (r.id() == target) {
                assertEquals(Math.exp(direct), r.after(), SAME_ENGINE);
                assertEquals(Math.exp(map.cleanLogProb()), r.before(), SAME_ENGINE);
            }
        }
        // the lens's last row is the model's output
        assertEquals(o.cleanLogProb(), o.lensBefore()[a.layers()], 2e-3);
        assertEquals(o.ablatedLogProb(), o.lensAfter()[a.layers()], 2e-3);

        // mean ablation through the other item
        robot.interact(() -> menuItem(interventions.modelViewMenuItems(), "ablate-mean").fire());
        waitUntil("the mean ablation", () -> {
            AblationViewModel.Outcome m = interventions.ablationViewModel().outcomeProperty().get();
            return m != null && m.mean();
        });
        assertEquals(HeadAblation.ablatedLogProb(model, a.ids(), position, target, layer, head, true),
                interventions.ablationViewModel().outcomeProperty().get().ablatedLogProb(), SAME_ENGINE);
    }

    @Test
    void theAblationMapIsHeadAblationMapAndItsCellsSelectHeads(FxRobot robot) throws Exception {
        openAndWait(robot, GPT2);
        Analysis a = vm.analysis();
        robot.interact(() -> vm.selection().queryProperty().set(2));
        robot.interact(() -> menuItem(interventions.modelViewMenuItems(), "ablation-map-item").fire());
        waitUntil("the ablation map", () -> interventions.ablationViewModel().mapProperty().get() != null);
        assertTrue(fx(() -> tab(window.parts().tabs(), "ablation-tab").isSelected()));
        HeadAblation.Result expected = HeadAblation.map(a.model(), a.ids(), 2, a.ids()[3], false, null, null);
        double[][] shown = fx(() -> find(window.stage(), "ablation-grid", GridHeatmap.class).grid());
        for (int l = 0; l < a.layers(); l++) {
            for (int h = 0; h < a.heads(); h++) {
                assertEquals(expected.delta()[l][h], shown[l][h], SAME_ENGINE, "L" + l + "H" + h);
            }
        }
        GridHeatmap view = find(window.stage(), "ablation-grid", GridHeatmap.class);
        Rectangle2D cell = fx(() -> view.cellBounds(2, 1));
        Point2D onScreen = fx(() -> view.localToScreen(cell.getMinX() + cell.getWidth() / 2,
                cell.getMinY() + cell.getHeight() / 2));
        robot.clickOn(onScreen);
        waitUntil("L2H1 selected", () -> vm.selection().layer() == 2 && vm.selection().head() == 1);
    }

    @Test
    void patchingFillsBothHeatmapsWithActivationPatchingsRecovery(FxRobot robot) throws Exception {
        openAndWait(robot, GPT2);
        Model model = vm.model();
        String clean = "The cat sat on the mat";
        String corrupt = "The dog sat on the mat";
        int[] cleanIds = model.tokenizer().encode(clean).ids();
        int[] corruptIds = model.tokenizer().encode(corrupt).ids();
        assertEquals(cleanIds.length, corruptIds.length, "the test's prompts have equal token lengths");
        robot.interact(() -> {
            window.parts().tabs().getSelectionModel().select(tab(window.parts().tabs(), "patching-tab"));
            find(window.stage(), "patch-clean", TextField.class).setText(clean);
            find(window.stage(), "patch-corrupted", TextField.class).setText(corrupt);
            find(window.stage(), "patch-answer", TextField.class).setText("#5");
            find(window.stage(), "patch-wrong", TextField.class).setText("#7");
        });
        robot.clickOn("#patch-run");
        waitUntil("the patching result", () -> interventions.patchingViewModel().outcomeProperty().get() != null);
        ActivationPatching.Result expected = ActivationPatching.run(model, cleanIds, corruptIds, 5, 7, null, null);
        assertTrue(expected.recoverable());
        double[][] heads = fx(() -> find(window.stage(), "patch-heads", GridHeatmap.class).grid());
        double[][] residual = fx(() -> find(window.stage(), "patch-residual", GridHeatmap.class).grid());
        assertGridEquals(expected.headRecovery(), heads);
        assertGridEquals(expected.residualRecovery(), residual);
        // the final residual at the last position is all the metric reads: patching it restores the clean run
        int layers = model.info().layers();
        assertEquals(1.0, residual[layers][cleanIds.length - 1], 1e-3);
        // and the residual at the last position before layer 0 is only that token's embedding, the same in both
        assertEquals(0.0, residual[0][cleanIds.length - 1], 1e-3);
    }

    @Test
    void patchingPromptsOfDifferentLengthsShowAMessage(FxRobot robot) throws Exception {
        openAndWait(robot, GPT2);
        Model model = vm.model();
        String clean = "The cat sat on the mat";
        String corrupt = "The cat";
        int cleanLength = model.tokenizer().encode(clean).ids().length;
        int corruptLength = model.tokenizer().encode(corrupt).ids().length;
        robot.interact(() -> {
            window.parts().tabs().getSelectionModel().select(tab(window.parts().tabs(), "patching-tab"));
            find(window.stage(), "patch-clean", TextField.class).setText(clean);
            find(window.stage(), "patch-corrupted", TextField.class).setText(corrupt);
        });
        robot.clickOn("#patch-run");
        waitUntil("the banner", () -> fx(() -> window.parts().banner().isVisible()));
        String message = fx(() -> ((javafx.scene.control.Label) window.parts().banner().lookup(".title")).getText());
        assertTrue(message.startsWith("Could not patch: "), message);
        assertTrue(message.contains(cleanLength + " tokens") && message.contains("corrupted prompt " + corruptLength)
                && message.contains("same token length"), message);
        assertNull(fx(() -> find(window.stage(), "patch-heads", GridHeatmap.class).grid()));
    }

    @Test
    void attributionBarsAddUpToTheLogitAndClickingAHeadBarSelectsIt(FxRobot robot) throws Exception {
        openAndWait(robot, GPT2);
        Analysis a = vm.analysis();
        robot.interact(() -> window.parts().tabs().getSelectionModel().select(tab(window.parts().tabs(), "attribution-tab")));
        waitUntil("the attribution", () -> interventions.attributionViewModel().outcomeProperty().get() != null);
        AttributionViewModel.Outcome o = interventions.attributionViewModel().outcomeProperty().get();
        assertEquals(a.tokens() - 1, o.position());
        assertTrue(o.topPrediction());
        assertEquals(AttributionViewModel.BARS, o.bars().size());
        double sum = o.remainder();
        for (DirectLogitAttribution.Contribution c : o.bars()) {
            sum += c.value();
        }
        // the model's logit, read from the run the window made
        float[] logits = a.trace().logits();
        int vocab = a.trace().vocab();
        int base = o.position() * vocab;
        int top = 0;
        for (int v = 1; v < vocab; v++) {
            if (logits[base + v] > logits[base + top]) {
                top = v;
            }
        }
        assertEquals(top, o.token(), "default token = the top prediction");
        assertEquals(logits[base + top], sum, 2e-3);
        DirectLogitAttribution.Result direct = DirectLogitAttribution.compute(a.model(), a.ids(), o.position(), top);
        assertEquals(direct.ranked().subList(0, AttributionViewModel.BARS), o.bars());

        // the pointer first moves onto the chart: on its way it may hover a token, which makes that the query
        AttributionChart chart = find(window.stage(), "dla-chart", AttributionChart.class);
        Point2D chartBottom = fx(() -> chart.localToScreen(chart.getWidth() / 2, chart.getHeight() - 5));
        robot.moveTo(chartBottom);
        waitUntil("the attribution for the hovered position", () -> !interventions.attributionViewModel()
                .runningProperty().get() && chart.outcome() != null);
        AttributionViewModel.Outcome shown = fx(chart::outcome);
        int selectedLayer = fx(() -> vm.selection().layer());
        int selectedHead = fx(() -> vm.selection().head());
        int index = -1;
        for (int i = 0; i < shown.bars().size() && index < 0; i++) {
            DirectLogitAttribution.Contribution c = shown.bars().get(i);
            if (c.kind() == DirectLogitAttribution.Contribution.Kind.HEAD
                    && (c.layer() != selectedLayer || c.head() != selectedHead)) {
                index = i;
            }
        }
        assertTrue(index >= 0, "a head among the bars");
        DirectLogitAttribution.Contribution bar = shown.bars().get(index);
        int barIndex = index;
        Rectangle2D row = fx(() -> chart.rowBounds(barIndex));
        Point2D onScreen = fx(() -> chart.localToScreen(row.getMinX() + row.getWidth() / 2,
                row.getMinY() + row.getHeight() / 2));
        robot.clickOn(onScreen);
        waitUntil(bar.label() + " selected", () -> vm.selection().layer() == bar.layer()
                && vm.selection().head() == bar.head());

        // another token through the field
        robot.interact(() -> {
            find(window.stage(), "dla-token", TextField.class).setText("#5");
            find(window.stage(), "dla-token", TextField.class).fireEvent(new javafx.event.ActionEvent());
        });
        waitUntil("the attribution of #5", () -> {
            AttributionViewModel.Outcome r = interventions.attributionViewModel().outcomeProperty().get();
            return r != null && r.token() == 5;
        });
        AttributionViewModel.Outcome five = interventions.attributionViewModel().outcomeProperty().get();
        double sum5 = five.remainder();
        for (DirectLogitAttribution.Contribution c : five.bars()) {
            sum5 += c.value();
        }
        assertEquals(logits[five.position() * vocab + 5], sum5, 2e-3);
    }

    @Test
    void attributionOnBertShowsTheAnalysisRefusal(FxRobot robot) throws Exception {
        openAndWait(robot, BERT);
        robot.interact(() -> window.parts().tabs().getSelectionModel().select(tab(window.parts().tabs(), "attribution-tab")));
        waitUntil("the refusal", () -> fx(() -> window.parts().banner().isVisible()));
        Analysis a = vm.analysis();
        UnsupportedOperationException refusal = assertThrows(UnsupportedOperationException.class,
                () -> DirectLogitAttribution.compute(a.model(), a.ids(), -1, 0));
        assertEquals("Could not attribute the logit: " + refusal.getMessage(),
                fx(() -> ((javafx.scene.control.Label) window.parts().banner().lookup(".title")).getText()));
        assertNull(interventions.attributionViewModel().outcomeProperty().get());
    }

    static void assertGridEquals(double[][] expected, double[][] actual) {
        assertNotNull(actual, "a grid is shown");
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i].length, actual[i].length);
            for (int j = 0; j < expected[i].length; j++) {
                assertEquals(expected[i][j], actual[i][j], SAME_ENGINE, "[" + i + "][" + j + "]");
            }
        }
    }

    /** An ablation table (before or after) of the window. */
    @SuppressWarnings("unchecked")
    private TableView<AblationViewModel.Row> table(String id) {
        return find(window.stage(), id, TableView.class);
    }
}
