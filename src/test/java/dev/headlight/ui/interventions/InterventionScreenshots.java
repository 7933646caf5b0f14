package dev.headlight.ui.interventions;

import static dev.headlight.ui.FxTestSupport.find;
import static dev.headlight.ui.FxTestSupport.tab;
import static dev.headlight.ui.ScreenshotWindows.snap;
import dev.headlight.analysis.DirectLogitAttribution;
import dev.headlight.ui.AppPreferences;
import dev.headlight.ui.FxTestSupport;
import dev.headlight.ui.shell.MainWindow;
import javafx.application.Platform;
import javafx.scene.control.TextField;
import javafx.stage.Stage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import static dev.headlight.ui.FxTestSupport.onFx;

/**
 * Renders the intervention tabs headless for the README, on the bundled induction sample:
 * {@code java -Dglass.platform=Headless -Dprism.order=sw -cp ... dev.headlight.ui.interventions.InterventionScreenshots
 * MODEL OUT_DIR}. Writes patching.png, attribution.png and ablation.png.
 */
public final class InterventionScreenshots {
    private InterventionScreenshots() {
    }

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        Path out = Files.createDirectories(Path.of(args[1]));
        String clean = args.length > 2 ? args[2] : "KxQ7mPKxQ7m";
        String corrupt = args.length > 3 ? args[3] : "KxQ7aPKxQ7m";
        CountDownLatch started = new CountDownLatch(1);
        Platform.startup(started::countDown);
        started.await();
        MainWindow window = onFx(() -> {
            AppPreferences prefs = FxTestSupport.cleanPreferences("headlight-screenshots-iui");
            MainWindow w = new MainWindow(new Stage(), prefs);
            w.parts().promptField().setText(clean);
            w.stage().setWidth(1440);
            w.stage().setHeight(900);
            w.stage().show();
            w.openModel(model);
            return w;
        });
        Interventions iv = window.parts().interventions();
        waitFor(() -> window.explorer().analysis() != null && !window.explorer().isBusy());

        onFx(() -> {
            window.parts().tabs().getSelectionModel().select(tab(window.parts().tabs(), "patching-tab"));
            find(window.stage(), "patch-clean", TextField.class).setText(clean);
            find(window.stage(), "patch-corrupted", TextField.class).setText(corrupt);
            find(window.stage(), "patch-answer", TextField.class).setText(clean.substring(4, 6).substring(1));
            iv.patchingViewModel().run();
            return null;
        });
        waitFor(() -> iv.patchingViewModel().outcomeProperty().get() != null
                || window.explorer().tasks().errors().messageProperty().get() != null);
        snap(window, out.resolve("patching.png"));

        onFx(() -> {
            window.parts().tabs().getSelectionModel().select(tab(window.parts().tabs(), "attribution-tab"));
            return null;
        });
        waitFor(() -> iv.attributionViewModel().outcomeProperty().get() != null
                || window.explorer().tasks().errors().messageProperty().get() != null);
        // select the head with the largest direct effect
        onFx(() -> {
            for (DirectLogitAttribution.Contribution c : iv.attributionViewModel().outcomeProperty().get().bars()) {
                if (c.kind() == DirectLogitAttribution.Contribution.Kind.HEAD) {
                    window.explorer().selection().selectHead(c.layer(), c.head());
                    break;
                }
            }
            return null;
        });
        Thread.sleep(400);
        snap(window, out.resolve("attribution.png"));

        onFx(() -> {
            iv.ablateSelected(false);
            return null;
        });
        waitFor(() -> iv.ablationViewModel().outcomeProperty().get() != null);
        onFx(() -> {
            iv.ablationViewModel().computeMap();
            return null;
        });
        waitFor(() -> iv.ablationViewModel().mapProperty().get() != null);
        Thread.sleep(400);
        snap(window, out.resolve("ablation.png"));
        Platform.exit();
        System.exit(0);
    }

    private static void waitFor(Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (onFx(condition)) {
                Thread.sleep(300);
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("timed out");
    }


}
