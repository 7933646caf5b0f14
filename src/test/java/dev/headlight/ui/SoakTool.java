package dev.headlight.ui;

import dev.headlight.ui.shell.MainWindow;

import dev.headlight.library.SampleModels;
import javafx.application.Platform;
import javafx.stage.Stage;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static dev.headlight.ui.FxTestSupport.onFx;

/**
 * The long soak, on demand: 1,000 prompt edits in the real window (headless) on the bundled sample model and a
 * second model folder (a GPT-2-sized synthetic one: {@code ./headlight synth --out /tmp/gpt2-synth}), switching
 * models every 250 edits and tabs every burst of 25; prints heap after GC, threads and open files along the way
 * and the FX thread's answer times. Not a unit test:
 * {@code java -Dglass.platform=Headless -Dprism.order=sw -cp ... dev.headlight.ui.SoakTool MODEL [EDITS]}
 * (the test classpath, as for {@link TypingLatencyTool}).
 */
public final class SoakTool {
    private SoakTool() {
    }

    public static void main(String[] args) throws Exception {
        Path other = Path.of(args[0]);
        int edits = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        CountDownLatch started = new CountDownLatch(1);
        Platform.startup(started::countDown);
        started.await();
        MainWindow window = onFx(() -> FxTestSupport.showWindow(new Stage(), "headlight-soak", 1440, 900));
        Path sample = SampleModels.defaultModel().orElseThrow();
        long t0 = System.nanoTime();
        SoakRun.Result result = SoakRun.run(window, List.of(sample, other), edits, 25, 250);
        result.samples().forEach(System.out::println);
        System.out.println(result.fxSummary());
        System.out.println("the longest stalls:");
        result.stalls().stream().sorted(java.util.Comparator.comparingDouble(stall -> -stall.millis()))
                .limit(Integer.getInteger("soak.showStalls", 8)).forEach(stall -> System.out.println("  " + stall));
        System.out.println("the stalls with the longest Headlight holds:");
        result.stalls().stream().filter(stall -> stall.longestHold() != null)
                .sorted(java.util.Comparator.comparingDouble(stall -> -stall.longestHold().cpuMillis()))
                .limit(Integer.getInteger("soak.showHolds", 10)).forEach(stall -> System.out.println("  " + stall));
        System.out.printf("%d edits in %.0f s%n", edits, (System.nanoTime() - t0) / 1e9);
        Platform.exit();
        System.exit(0);
    }
}
