package dev.headlight.ui.shell;

import dev.headlight.analysis.Fixtures;

import dev.headlight.library.HfCacheScannerTest;

import dev.headlight.library.HfCacheScanner;

import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Hugging Face cache dialog lists a cache laid out with symlinks and greys what cannot be opened. */
@ExtendWith(ApplicationExtension.class)
class HfCacheDialogTest {
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        stage.setScene(new javafx.scene.Scene(new javafx.scene.layout.StackPane(), 400, 300));
        stage.show();
    }

    @Test
    void listsModelsAndOnlyOpensSupportedOnes(FxRobot robot, @TempDir Path cache, @TempDir Path work) throws Exception {
        Path snapshot = HfCacheScannerTest.cacheModel(cache, "tiny/gpt2", "r1", Fixtures.model("gpt2-tiny"));
        Path odd = Files.createDirectories(work.resolve("odd"));
        Files.copy(Fixtures.model("gpt2-tiny").resolve("model.safetensors"), odd.resolve("model.safetensors"));
        Files.writeString(odd.resolve("config.json"), "{\"architectures\": [\"MambaForCausalLM\"]}");
        HfCacheScannerTest.cacheModel(cache, "tiny/mamba", "r2", odd);

        HfCacheDialog[] dialog = new HfCacheDialog[1];
        robot.interact(() -> {
            dialog[0] = new HfCacheDialog(stage, new HfCacheViewModel(cache, new dev.headlight.ui.task.FxTaskRunner(new dev.headlight.ui.task.ErrorSink())));
            dialog[0].show();
        });
        @SuppressWarnings("unchecked")
        TableView<HfCacheScanner.Entry> table = (TableView<HfCacheScanner.Entry>)
                dialog[0].getDialogPane().lookup(".table-view");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> table.getItems().size() == 2);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("tiny/gpt2", table.getItems().get(0).repoId());
        Button open = (Button) dialog[0].getDialogPane().lookupButton(dialog[0].getDialogPane().getButtonTypes()
                .stream().filter(b -> b.getButtonData() == ButtonBar.ButtonData.OK_DONE).findFirst().orElseThrow());
        robot.interact(() -> table.getSelectionModel().select(1));
        assertTrue(open.isDisabled(), "an unsupported model cannot be opened");
        var rows = table.lookupAll(".table-row-cell").stream().map(n -> (TableRow<?>) n)
                .filter(r -> r.getItem() != null).toList();
        assertTrue(rows.stream().anyMatch(r -> r.getOpacity() < 1), "unsupported rows are greyed");
        robot.interact(() -> table.getSelectionModel().select(0));
        assertFalse(open.isDisabled());
        robot.interact(open::fire);
        assertEquals(snapshot, dialog[0].getResult());
        robot.interact(() -> dialog[0].close());
    }
}
