package dev.headlight.ui;

import dev.headlight.ui.shell.MainWindow;
import dev.headlight.engine.Model;
import dev.headlight.engine.RunOptions;
import dev.headlight.engine.Trace;
import dev.headlight.ui.view.ModelView;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model view's thumbnails for prompts long enough to be pooled and coloured off the FX thread: once they are
 * ready every cell shows its head's map, after typing a new prompt too, and after the colour map and scale change
 * (recoloured without pooling again). Real engine, real fixture: the expected maps come from a pass of its own.
 */
@ExtendWith(ApplicationExtension.class)
class ModelViewThumbnailsTest {
    static final Path GPT2 = Fixtures.model("gpt2-tiny");
    /** Scale of the export the pixels are read from: several pixels per token even for long prompts. */
    static final int SCALE = 4;

    private MainWindow window;
    private ExplorerViewModel vm;

    @Start
    void start(Stage stage) {
        window = FxTestSupport.showWindow(stage, FxTestSupport.testNode("-thumbnails"), 1280, 900);
        vm = window.explorer();
    }

    @AfterEach
    void tearDown() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> vm.shutdown()).get();
    }

    /** A prompt of 80 to 120 tokens: long enough that its thumbnails are pooled off the FX thread. */
    static String longPrompt(Model model, String words) {
        StringBuilder prompt = new StringBuilder(words);
        while (model.tokenizer().encode(prompt.toString()).ids().length < 80) {
            prompt.append(' ').append(words);
        }
        return prompt.toString();
    }

    @Test
    void offThreadThumbnailsShowEveryHeadsMapAfterTypingAndRecolouring(FxRobot robot) throws Exception {
        String first;
        String second;
        try (Model model = Model.open(GPT2)) {
            first = longPrompt(model, "When Mary and John went to the store, John gave a drink to Mary.");
            second = longPrompt(model, "The quick brown fox jumps over the lazy dog while it sleeps.");
        }
        window.opening().setFolderChooser(owner -> GPT2);
        robot.interact(() -> window.parts().promptField().setText(first));
        robot.interact(() -> window.parts().openMenuItem().fire());
        waitForThumbnails(first);
        Analysis a = vm.analysis();
        assertTrue((long) a.layers() * a.heads() * a.tokens() * a.tokens() > (1L << 16),
                "the prompt must be long enough to be pooled off the FX thread: " + a.tokens() + " tokens");
        assertThumbnails(ColorMap.VIRIDIS, AttentionScale.LINEAR);

        robot.interact(() -> window.parts().promptField().setText(second));
        waitForThumbnails(second);
        assertThumbnails(ColorMap.VIRIDIS, AttentionScale.LINEAR);

        robot.interact(() -> {
            vm.colorMapProperty().set(ColorMap.MAGMA);
            vm.scaleProperty().set(AttentionScale.LOG);
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThumbnails(ColorMap.MAGMA, AttentionScale.LOG);
    }

    private void waitForThumbnails(String prompt) throws Exception {
        waitUntil("the thumbnails of the prompt", () -> vm.analysis() != null && vm.analysis().prompt().equals(prompt)
                && !vm.isBusy() && window.parts().views().model().thumbnailsReady() && AttentionLoader.pending() == 0);
    }

    /** Every causal (query, key) of every head, read from the view's export at {@link #SCALE}. */
    private void assertThumbnails(ColorMap colors, AttentionScale scale) throws Exception {
        assertEquals(colors, fx(() -> vm.colorMapProperty().get()));
        Analysis a = vm.analysis();
        int tokens = a.tokens();
        Trace expected = a.model().run(a.ids(), RunOptions.display());
        ModelView view = window.parts().views().model();
        PixelReader pixels = fx(() -> view.render(SCALE)).getPixelReader();
        for (int l = 0; l < a.layers(); l++) {
            for (int h = 0; h < a.heads(); h++) {
                int layer = l, head = h;
                Rectangle2D cell = fx(() -> view.cellBounds(layer, head));
                double px = cell.getWidth() * SCALE / tokens;
                assertTrue(px >= 2, "room for the pixels of every token: " + px);
                float[] map = expected.attentions().head(l, h); // [query][key]
                for (int q = 0; q < tokens; q++) {
                    for (int k = 0; k <= q; k++) {
                        assertColour(colors, scale, map[q * tokens + k],
                                argbAt(pixels, cell.getMinX() * SCALE + (k + 0.5) * px,
                                        cell.getMinY() * SCALE + (q + 0.5) * px),
                                "layer " + l + " head " + h + " q " + q + " k " + k);
                    }
                }
            }
        }
    }
}
