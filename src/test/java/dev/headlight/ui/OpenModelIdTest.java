package dev.headlight.ui;

import dev.headlight.analysis.Fixtures;
import dev.headlight.library.HfCacheScannerTest;
import dev.headlight.ui.shell.MainWindow;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;

import static dev.headlight.ui.FxTestSupport.onFx;
import static dev.headlight.ui.FxTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** File > Open Hugging Face Model Id… on the real engine, with a fake hub cache in a temporary folder. */
@ExtendWith(ApplicationExtension.class)
class OpenModelIdTest {
    private MainWindow window;
    private ExplorerViewModel vm;

    @Start
    void start(Stage stage) {
        window = FxTestSupport.showWindow(stage, FxTestSupport.testNode("-model-id"), 1100, 760);
        vm = window.explorer();
    }

    @AfterEach
    void tearDown() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> vm.shutdown()).get();
    }

    @Test
    void anIdOpensTheCachedSnapshotAndAMissingOneSaysWhereItLooked(@TempDir Path cache) throws Exception {
        Path snapshot = HfCacheScannerTest.cacheModel(cache, "tiny-org/gpt2-tiny", "feed01",
                Fixtures.model("gpt2-tiny"));
        onFx(() -> window.parts().promptField().setText("ab ab"));
        onFx(() -> window.opening().openTyped("tiny-org/gpt2-tiny", cache));
        waitUntil("the cached model's analysis", () -> vm.analysis() != null && !vm.isBusy()
                && vm.analysis().model().info().folder().equals(snapshot.toAbsolutePath().normalize()));

        onFx(() -> window.opening().openTyped("openai-community/gpt2", cache));
        String error = onFx(() -> vm.tasks().errors().message());
        assertTrue(error != null && error.contains(cache.toString())
                && error.contains("models--openai-community--gpt2"), String.valueOf(error));
        assertTrue(onFx(() -> window.parts().banner().isVisible()));
        // the previous model stays loaded
        assertTrue(onFx(() -> vm.analysis().model().info().folder().equals(snapshot.toAbsolutePath().normalize())));
    }
}
