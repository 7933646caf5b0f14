package dev.headlight.ui;

import dev.headlight.library.SampleModels;
import dev.headlight.ui.shell.MainWindow;
import javafx.application.Platform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static dev.headlight.ui.FxTestSupport.onFx;

/**
 * The explorer window at several sizes, for judging the layout of toolbars and tabs by eye:
 * {@code java -Dglass.platform=Headless -Dprism.order=sw -cp ... dev.headlight.ui.LayoutScreenshots MODEL OUT_DIR
 * 1024x700 1280x720 ...}. Writes window-WxH.png per size.
 */
public final class LayoutScreenshots {
    private LayoutScreenshots() {
    }

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        Path out = Files.createDirectories(Path.of(args[1]));
        ScreenshotWindows.startToolkit();
        MainWindow[] window = new MainWindow[1];
        window[0] = ScreenshotWindows.open(model, "headlight-layout-shots", false, SampleModels.examplePrompt(model),
                1280, 720);
        ExplorerViewModel vm = window[0].explorer();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && (onFx(() -> vm.analysis() == null || vm.isBusy()))) {
            Thread.sleep(200);
        }
        for (int i = 2; i < args.length; i++) {
            String[] wh = args[i].split("x");
            onFx(() -> {
                window[0].stage().setWidth(Double.parseDouble(wh[0]));
                window[0].stage().setHeight(Double.parseDouble(wh[1]));
            });
            Thread.sleep(800);
            Path file = out.resolve("window-" + args[i] + ".png");
            onFx(() -> {
                try {
                    PngExport.write(window[0].parts().scene().snapshot(null), file);
                } catch (java.io.IOException e) {
                    throw new RuntimeException(e);
                }
            });
            System.out.println("wrote " + file);
        }
        Platform.exit();
        System.exit(0);
    }
}
