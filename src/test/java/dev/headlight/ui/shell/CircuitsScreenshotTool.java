package dev.headlight.ui.shell;

import dev.headlight.ui.ScreenshotWindows;
import dev.headlight.library.SampleModels;
import dev.headlight.ui.CircuitsViewModel;
import dev.headlight.ui.FxTestSupport;
import dev.headlight.ui.PngExport;
import javafx.application.Platform;
import javafx.scene.Scene;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static dev.headlight.ui.FxTestSupport.onFx;

/**
 * Renders the Circuits tab headless, to look at it and for the README:
 * {@code java -Dglass.platform=Headless -Dprism.order=sw -cp ... dev.headlight.ui.shell.CircuitsScreenshotTool
 * MODEL OUT_DIR [LAYER HEAD]}. Writes circuits-window-{light,dark}.png (the whole window, the model view coloured
 * by copying score) and circuits-{light,dark}.png (the tab alone), with head LAYER HEAD selected (default: the last
 * layer's head 1).
 */
public final class CircuitsScreenshotTool {
    private CircuitsScreenshotTool() {
    }

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        Path out = Files.createDirectories(Path.of(args[1]));
        ScreenshotWindows.startToolkit();
        for (boolean dark : new boolean[]{false, true}) {
            String theme = dark ? "dark" : "light";
            MainWindow[] window = new MainWindow[1];
            window[0] = ScreenshotWindows.open(model, "headlight-circuit-screenshots", dark,
                    SampleModels.examplePrompt(model), 1440, 900);
            CircuitsViewModel circuits = window[0].parts().circuitsViewModel();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (System.nanoTime() < deadline && FxTestSupport.fx(() -> window[0].explorer().analysis() == null
                    || window[0].explorer().isBusy())) {
                Thread.sleep(200);
            }
            Thread.sleep(500); // plug-ins (the training timeline) select their tab when a model opens
            onFx(() -> window[0].parts().tabs().getSelectionModel().select(window[0].parts().circuitsTab()));
            while (System.nanoTime() < deadline && FxTestSupport.fx(() -> circuits.tableProperty().get() == null)) {
                Thread.sleep(200);
            }
            onFx(() -> {
                var e = circuits.evidenceProperty().get();
                int layer = args.length > 3 ? Integer.parseInt(args[2]) : e.circuits().layers() - 1;
                int head = args.length > 3 ? Integer.parseInt(args[3]) : Math.min(1, e.circuits().heads() - 1);
                circuits.selectHead(layer, head);
                window[0].parts().views().model().viewModel().colorByProperty().set(dev.headlight.ui.ModelViewModel.COPYING);
            });
            while (System.nanoTime() < deadline && FxTestSupport.fx(() -> circuits.shownHeadProperty().get().detail() == null
                    || circuits.shownHeadProperty().get().detail().layer() != window[0].explorer().selection().layer()
                    || circuits.shownHeadProperty().get().detail().head() != window[0].explorer().selection().head())) {
                Thread.sleep(200);
            }
            Thread.sleep(800);
            onFx(() -> {
                try {
                    PngExport.write(window[0].parts().scene().snapshot(null), out.resolve("circuits-window-" + theme + ".png"));
                } catch (java.io.IOException ex) {
                    throw new RuntimeException(ex);
                }
            });
            // the tab alone, tall enough for every part: a second panel on the same view model in a stage of its own
            // (a scene never shown: the headless screen is smaller than the panel)
            Scene[] alone = new Scene[1];
            onFx(() -> {
                CircuitsPanel panel = new CircuitsPanel(window[0].explorer(), circuits);
                panel.setDividerPositions(0.3);
                alone[0] = new Scene(panel, 760, 870);
                alone[0].getStylesheets().addAll(window[0].parts().scene().getStylesheets());
                alone[0].setFill(dev.headlight.ui.Palette.of(dark).background());
                alone[0].snapshot(null); // lays out the panel; its canvases draw at their size
            });
            Thread.sleep(800);
            onFx(() -> {
                try {
                    PngExport.write(alone[0].snapshot(null), out.resolve("circuits-" + theme + ".png"));
                } catch (java.io.IOException ex) {
                    throw new RuntimeException(ex);
                }
            });
            System.out.println("wrote " + out.resolve("circuits-" + theme + ".png"));
            onFx(() -> window[0].stage().close());
        }
        Platform.exit();
        System.exit(0);
    }
}
