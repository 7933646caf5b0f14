package dev.headlight.ui;

import dev.headlight.ui.shell.MainWindow;
import dev.headlight.library.SampleModels;

import dev.headlight.engine.AttentionMaps;
import dev.headlight.engine.Model;
import dev.headlight.engine.RunOptions;
import dev.headlight.engine.Trace;
import javafx.geometry.Point2D;
import javafx.geometry.Rectangle2D;
import javafx.scene.image.PixelReader;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;

import static dev.headlight.ui.ExplorerWindowTest.argbAt;
import static dev.headlight.ui.ExplorerWindowTest.assertColour;
import static dev.headlight.ui.FxTestSupport.fx;
import static dev.headlight.ui.FxTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The window under an attention memory budget so small ({@value RunOptions#BUDGET_PROPERTY}) that gpt2-tiny's
 * last two layers are not kept: their maps are recomputed off the FX thread when shown, look exactly like
 * stored ones, and the window says which layers are recomputed; a prompt whose one layer exceeds the budget is
 * refused with the numbers. Real engine, real fixture.
 */
@ExtendWith(ApplicationExtension.class)
class AttentionBudgetWindowTest {
    static final Path GPT2 = Fixtures.model("gpt2-tiny");

    private MainWindow window;
    private ExplorerViewModel vm;
    private int tokens;

    @Start
    void start(Stage stage) {
        try (Model model = Model.open(GPT2)) {
            tokens = model.tokenizer().encode(SampleModels.EXAMPLE_PROMPT).ids().length;
            // room for two layers of three: layer 0 kept, one slot for a recomputed layer
            long twoLayers = 2 * AttentionMaps.bytesPerLayer(model.info().heads(), tokens, true);
            System.setProperty(RunOptions.BUDGET_PROPERTY, Double.toString(twoLayers / (double) (1 << 20)));
        }
        window = FxTestSupport.showWindow(stage, FxTestSupport.testNode("-budget"), 1280, 860);
        vm = window.explorer();
    }

    @AfterEach
    void tearDown() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> vm.shutdown()).get();
        System.clearProperty(RunOptions.BUDGET_PROPERTY);
    }

    void openAndWait(FxRobot robot) throws Exception {
        window.opening().setFolderChooser(owner -> GPT2);
        robot.interact(() -> window.parts().openMenuItem().fire());
        waitUntil("analysis of gpt2-tiny", () -> vm.analysis() != null && vm.analysis().lens() != null
                && !vm.isBusy());
    }

    @Test
    void recomputedLayersLookLikeStoredOnesAndTheWindowSaysWhichAreRecomputed(FxRobot robot) throws Exception {
        openAndWait(robot);
        Analysis a = vm.analysis();
        assertEquals(tokens, a.tokens());
        AttentionMaps maps = a.trace().attentions();
        assertEquals(3, maps.layers());
        assertEquals(1, maps.keptLayers(), "layer 0 kept, layers 1-2 recomputed");

        // the user is told, in the model view and in the status bar
        String note = "Prompt of " + tokens + " tokens: attention maps of layers 1–2 are recomputed when shown "
                + "(memory budget " + AttentionMaps.mib(maps.budgetBytes()) + ")";
        assertEquals(note, a.attentionNote());
        assertEquals(note, fx(() -> window.parts().views().model().note()));
        String status = fx(() -> vm.statusProperty().get());
        assertTrue(status.contains(tokens + " tokens"), status);
        assertTrue(status.contains("attention maps of layers 1–2 are recomputed when shown (memory budget "), status);

        // the same prompt with room for everything: the maps the views must show
        Trace stored = a.model().run(a.ids(), RunOptions.display().withAttentionBudget(AttentionMaps.UNBOUNDED));
        assertFalse(stored.attentions().recomputes());

        // model view: every thumbnail, recomputed ones included, is the stored attention
        waitUntil("the thumbnails", () -> window.parts().views().model().thumbnailsReady() && AttentionLoader.pending() == 0);
        PixelReader pixels = fx(() -> window.parts().views().model().snapshot(null, null)).getPixelReader();
        ColorMap colors = fx(() -> vm.colorMapProperty().get());
        for (int l = 0; l < a.layers(); l++) {
            for (int h = 0; h < a.heads(); h++) {
                int layer = l, head = h;
                Rectangle2D cell = fx(() -> window.parts().views().model().cellBounds(layer, head));
                double px = cell.getWidth() / tokens;
                float[] expected = stored.attentions().head(l, h);
                for (int q = 0; q < tokens; q++) {
                    for (int k = 0; k <= q; k++) {
                        assertColour(colors, AttentionScale.LINEAR, expected[q * tokens + k],
                                argbAt(pixels, cell.getMinX() + (k + 0.5) * px, cell.getMinY() + (q + 0.5) * px),
                                "thumbnail layer " + l + " head " + h + " q " + q + " k " + k);
                    }
                }
            }
        }

        // head view: of layers 1 and 2 one is held as the last recomputed layer (one slot); clicking a head of the
        // other has its map recomputed off the FX thread before it shows
        boolean oneReady = fx(() -> vm.analysis().mapReady(1));
        assertTrue(oneReady != fx(() -> vm.analysis().mapReady(2)), "one slot for a recomputed layer");
        int layer = oneReady ? 2 : 1, head = 2;
        assertFalse(fx(() -> vm.analysis().mapReady(layer)));
        Rectangle2D cell = fx(() -> window.parts().views().model().cellBounds(layer, head));
        Point2D onScreen = fx(() -> window.parts().views().model().localToScreen(cell.getMinX() + cell.getWidth() / 2,
                cell.getMinY() + cell.getHeight() / 2));
        robot.clickOn(onScreen);
        waitUntil("the recomputed map", () -> window.parts().views().head().shownMap() != null);
        assertEquals(layer, vm.selection().layer());
        assertEquals(head, vm.selection().head());
        float[] shown = fx(() -> window.parts().views().head().shownMap());
        float[] expected = stored.attentions().head(layer, head);
        assertEquals(expected.length, shown.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], shown[i], 1.0 / 2048, "recomputed map entry " + i); // one float16 step

        }
        Rectangle2D heat = fx(() -> window.parts().views().head().heatmapBounds());
        PixelReader headPixels = fx(() -> window.parts().views().head().snapshot(null, null)).getPixelReader();
        double px = heat.getWidth() / tokens;
        for (int q = 0; q < tokens; q++) {
            for (int k = 0; k <= q; k++) {
                assertColour(colors, AttentionScale.LINEAR, expected[q * tokens + k],
                        argbAt(headPixels, heat.getMinX() + (k + 0.5) * px, heat.getMinY() + (q + 0.5) * px),
                        "head view q " + q + " k " + k);
            }
        }
        // the token chips are tinted by the recomputed row too
        robot.interact(() -> vm.selection().queryProperty().set(tokens - 1));
        int q = tokens - 1;
        float[] window16 = shown; // the map as the window holds it (float16 steps): the tints come from it
        int strongest = 0; // the key the last query attends to most: surely tinted
        for (int k = 1; k < q; k++) {
            strongest = window16[q * tokens + k] > window16[q * tokens + strongest] ? k : strongest;
        }
        int tinted = strongest;
        waitUntil("tinted chips", () -> !window.parts().views().tokens().chips().get(tinted).getStyle().isEmpty());
        fx(() -> {
            for (int k = 0; k < q; k++) {
                assertEquals(TokensViewTints.expectedStyle(window16[q * tokens + k], vm.paletteProperty().get()),
                        window.parts().views().tokens().chips().get(k).getStyle(), "chip " + k);
            }
            assertEquals("", window.parts().views().tokens().chips().get(q).getStyle(), "the query's own chip is not tinted");
            return null;
        });
    }

    @Test
    void aPromptWhoseOneLayerExceedsTheBudgetIsRefusedWithTheNumbers(FxRobot robot) throws Exception {
        openAndWait(robot);
        // the window's budget (View > Attention Memory Budget…) set below one layer of this prompt re-runs it
        long oneLayer = AttentionMaps.bytesPerLayer(vm.analysis().heads(), tokens, true);
        robot.interact(() -> vm.attentionBudgetProperty().set(oneLayer - 2));
        waitUntil("the refusal", () -> vm.tasks().errors().messageProperty().get() != null && !vm.isBusy());
        String error = fx(() -> vm.tasks().errors().messageProperty().get());
        assertEquals("The prompt of " + tokens + " tokens is too long for the attention memory budget: one layer's "
                + "maps take " + AttentionMaps.mib(oneLayer) + " (" + vm.analysis().heads() + " heads × " + tokens
                + "² × 2 bytes), the budget is " + AttentionMaps.mib(oneLayer - 2) + ". Shorten the prompt or raise "
                + "the budget (View ▸ Attention Memory Budget…).", error);
        assertTrue(fx(() -> window.parts().banner().isVisible()));
        assertNotNull(vm.analysis(), "the last analysis stays on screen");
        assertEquals(oneLayer - 2, vm.preferences().attentionBudget().orElseThrow(), "remembered");

        // raised again: every layer fits, nothing is recomputed and the note is gone
        robot.interact(() -> vm.attentionBudgetProperty().set(3 * oneLayer));
        waitUntil("the analysis under the raised budget", () -> vm.tasks().errors().messageProperty().get() == null && !vm.isBusy()
                && !vm.analysis().trace().attentions().recomputes());
        assertEquals(null, vm.analysis().attentionNote());
        assertEquals(null, fx(() -> window.parts().views().model().note()));
        assertFalse(fx(() -> vm.statusProperty().get()).contains("recomputed"));
    }
}
