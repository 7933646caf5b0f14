package dev.headlight.ui.lab;

import dev.headlight.ui.AppPreferences;
import dev.headlight.ui.ExplorerViewModel;
import dev.headlight.ui.shell.MainWindow;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.stage.Stage;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;

import static dev.headlight.ui.FxTestSupport.find;
import static dev.headlight.ui.FxTestSupport.onFx;

/**
 * Renders the timeline tab and the Training Lab headless and saves them as PNGs, to look at the layout:
 * {@code java -Dglass.platform=Headless -Dprism.order=sw -cp ... dev.headlight.ui.lab.LabScreenshotTool RUN OUT_DIR
 * [STEPS [dark]]}. Writes timeline.png and training-lab.png (the lab trains STEPS steps into a temporary folder).
 */
public final class LabScreenshotTool {
    private LabScreenshotTool() {
    }

    public static void main(String[] args) throws Exception {
        Path run = Path.of(args[0]).toAbsolutePath().normalize();
        Path out = Files.createDirectories(Path.of(args[1]));
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 400;
        boolean dark = args.length > 3 && args[3].equals("dark");
        CompletableFuture<Void> started = new CompletableFuture<>();
        Platform.startup(() -> started.complete(null));
        started.get();
        AppPreferences prefs = new AppPreferences(Preferences.userRoot().node("headlight-lab-screenshots"));
        onFx(() -> {
            prefs.clear();
            return null;
        });
        MainWindow window = onFx(() -> {
            Stage stage = new Stage();
            MainWindow w = new MainWindow(stage, prefs);
            w.explorer().darkProperty().set(dark);
            w.parts().promptField().setText(TrainingLabWindow.inductionPrompt());
            stage.setWidth(1440);
            stage.setHeight(900);
            stage.show();
            w.openModel(run);
            return w;
        });
        ExplorerViewModel vm = window.explorer();
        waitFor(() -> vm.analysis() != null && !vm.isBusy(), 120);
        int phase = onFx(() -> window.parts().lab().timeline().phaseChangeStep());
        int shown = phase > 0 ? phase : 400;
        onFx(() -> {
            window.parts().lab().timeline().selectStep(shown);
            return null;
        });
        waitFor(() -> vm.analysis() != null && !vm.isBusy()
                && vm.analysis().model().info().folder().getFileName().toString().startsWith("step-"), 120);
        onFx(() -> {
            vm.selection().selectHead(1, bestInductionHead(vm));
            return null;
        });
        Thread.sleep(500);
        save(onFx(() -> window.stage().getScene()), out.resolve("timeline.png"));
        // the timeline's charts at their full height (below the loss they scroll): the circuit scores arrive last
        waitFor(() -> find(window.parts().lab().timeline(), "timeline-circuits", MarkedLineChart.class).getData().size() == 4
                && find(window.parts().lab().timeline(), "timeline-circuits", MarkedLineChart.class).getData().getFirst().getData().size()
                == window.parts().lab().timeline().timelineProperty().getValue().checkpoints().size(), 300);
        Thread.sleep(500);
        javafx.scene.Node charts = onFx(() -> find(window.parts().lab().timeline(), "timeline-loss", MarkedLineChart.class).getParent());
        var chartsImage = onFx(() -> charts.snapshot(null, null));
        ImageIO.write(SwingFXUtils.fromFXImage(chartsImage, null), "png", out.resolve("timeline-charts.png").toFile());

        Path runDir = Files.createTempDirectory("headlight-lab-shot");
        TrainingLabWindow lab = onFx(() -> {
            TrainingLabWindow l = new TrainingLabWindow(null, prefs, new dev.headlight.ui.task.FxTaskRunner(new dev.headlight.ui.task.ErrorSink()), TrainingLabWindow.inductionPrompt(), p -> {
            });
            l.followTheme(vm);
            l.configure(TrainingLabViewModel.TaskChoice.INDUCTION, 2, 2, 32, 48, steps, 50, runDir.resolve("run"));
            l.stage().setWidth(1360);
            l.stage().setHeight(900);
            l.show();
            find(l.stage(), "lab-start", Button.class).fire();
            return l;
        });
        waitFor(() -> lab.viewModel().lastRunProperty().get().finished() || lab.viewModel().lastRunProperty().get().failure() != null, 900);
        waitFor(() -> lab.labViewModel().analysis() != null && !lab.labViewModel().isBusy(), 120);
        Thread.sleep(3500);
        save(onFx(() -> lab.stage().getScene()), out.resolve("training-lab.png"));
        onFx(() -> {
            printSharePeaks(lab.viewModel().weights());
            return null;
        });
        Platform.exit();
        System.exit(0);
    }

    private static int bestInductionHead(ExplorerViewModel vm) {
        int best = 0;
        double score = -1;
        var maps = vm.analysis().trace().attentions();
        for (int h = 0; h < maps.heads(); h++) {
            final int head = h;
            double s = dev.headlight.train.ProbeScores.induction(vm.analysis().ids(), (q, k) -> maps.get(1, head, q, k));
            if (s > score) {
                score = s;
                best = h;
            }
        }
        return best;
    }

    private static void save(Scene scene, Path file) throws Exception {
        var image = onFx(() -> scene.snapshot(null));
        ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", file.toFile());
        System.out.println("wrote " + file);
    }

    private static void waitFor(Callable<Boolean> condition, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!onFx(condition)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out");
            }
            Thread.sleep(200);
        }
    }


    /** For each slice choice and head, the bin where its share of the update peaks, and the phase change. */
    private static void printSharePeaks(LabWeightsViewModel weights) {
        System.out.println("phase change (in-context loss): " + weights.markersProperty().get().phaseChange()
                + ", induction >= 0.5 at checkpoint " + weights.markersProperty().get().inductionStep());
        int[] steps = weights.binSteps();
        for (LabWeightsViewModel.Slices slices : LabWeightsViewModel.Slices.values()) {
            weights.slicesProperty().set(slices);
            double[][] grid = weights.shareGrid();
            StringBuilder line = new StringBuilder(slices + ":");
            for (int k = 0; k < grid[0].length; k++) {
                int best = 0;
                for (int b = 1; b < grid.length; b++) {
                    if (grid[b][k] > grid[best][k]) {
                        best = b;
                    }
                }
                line.append(String.format(java.util.Locale.ROOT, "  L%dH%d peak %.2f at step %d (first %.2f, last %.2f)",
                        k / weights.shape().heads(), k % weights.shape().heads(), grid[best][k], steps[best], grid[0][k],
                        grid[grid.length - 1][k]));
            }
            System.out.println(line);
        }
        weights.slicesProperty().set(LabWeightsViewModel.Slices.QK);
    }
}
