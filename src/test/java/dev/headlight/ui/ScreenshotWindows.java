package dev.headlight.ui;

import dev.headlight.ui.shell.MainWindow;
import javafx.application.Platform;
import javafx.stage.Stage;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import static dev.headlight.ui.FxTestSupport.onFx;

/**
 * What every screenshot tool in the test sources does the same way: start the toolkit, open the real window on a
 * model with a theme and a prompt at a size, and write the window's snapshot as a PNG.
 */
public final class ScreenshotWindows {
    private ScreenshotWindows() {
    }

    /** Starts JavaFX for a tool; windows may close and open without the toolkit exiting in between. */
    public static void startToolkit() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        Platform.startup(started::countDown);
        started.await();
        Platform.setImplicitExit(false);
    }

    /** A shown window with fresh preferences under {@code prefsNode}, opening {@code model} (returns at once). */
    public static MainWindow open(Path model, String prefsNode, boolean dark, String prompt, double width,
                                  double height) throws Exception {
        return onFx(() -> {
            Stage stage = new Stage();
            MainWindow window = new MainWindow(stage, FxTestSupport.cleanPreferences(prefsNode));
            window.explorer().darkProperty().set(dark);
            window.parts().promptField().setText(prompt);
            stage.setWidth(width);
            stage.setHeight(height);
            stage.show();
            window.openModel(model);
            return window;
        });
    }

    /** Writes the whole window as it is drawn now. */
    public static void snap(MainWindow window, Path file) throws Exception {
        onFx(() -> {
            PngExport.write(window.parts().scene().snapshot(null), file);
            return null;
        });
        System.out.println("wrote " + file);
    }
}
