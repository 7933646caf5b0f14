package dev.headlight.ui;

import dev.headlight.ui.shell.MainWindow;

import dev.headlight.engine.synth.SyntheticModel;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The short soak in the suite: 120 prompt edits on the GPT-2 fixture and a small synthetic model while the models
 * and tabs switch; heap after GC, threads and open files must stay flat, and Headlight code must never hold the FX
 * thread for more than {@value #HEADLIGHT_HOLD_MILLIS} ms. {@link SoakTool} is the long run.
 * <p>
 * The rule for the FX thread ({@link FxResponsivenessProbe}): while a task posted to the FX thread waits, the
 * thread's stack is sampled; a run of samples with Headlight's own code on the stack is a hold, and the FX thread's
 * CPU time over that run must stay within the bound. CPU time, not wall time: on a loaded 2-core machine a thread
 * waits for a core for hundreds of milliseconds whatever it runs, and a wall-time bound would measure the load. So
 * this fails when a Headlight listener, paint or layout does too much work on the FX thread (a repaint of
 * thousands of curves did: 150 ms of CPU), not when the machine is busy; JavaFX's own CSS, layout and the wait for
 * the renderer, and GC pauses, are counted apart and printed.
 */
@ExtendWith(ApplicationExtension.class)
class SoakTest {
    /** Growth allowed between the warm first sample and the last: a leak of one trace per edit exceeds it. */
    static final long HEAP_GROWTH_BYTES = 48L << 20;
    // a thread kept per edit (or per ten edits) over 120 edits exceeds it by far; pools sized by how much runs at
    // once (the task runner's workers, the common pool) grew by up to 5 on a loaded 2-core machine without a leak
    static final int THREAD_GROWTH = 8;
    static final long FILE_GROWTH = 6;
    /** The promise: the FX thread never waits more than this on Headlight code. */
    static final double HEADLIGHT_HOLD_MILLIS = FxResponsivenessProbe.STALL_MILLIS;

    private MainWindow window;

    @Start
    void start(Stage stage) {
        window = FxTestSupport.showWindow(stage, FxTestSupport.testNode("-soak"), 1280, 860);
    }

    @Test
    void resourcesStayFlatAndTheFxThreadAnswersWhileTypingAndSwitching(@TempDir Path dir) throws Exception {
        Path synth = dir.resolve("synth");
        SyntheticModel.write(synth, SyntheticModel.Spec.gpt2(2, 4, 64, 1000, 128));
        SoakRun.Result result = SoakRun.run(window, List.of(Fixtures.model("gpt2-tiny"), synth), 120, 10, 40);
        result.samples().forEach(System.out::println);
        System.out.println(result.fxSummary());
        SoakRun.Sample first = result.first();
        SoakRun.Sample last = result.last();
        assertTrue(last.heapBytes() - first.heapBytes() < HEAP_GROWTH_BYTES, result.samples().toString());
        assertTrue(last.threads() - first.threads() <= THREAD_GROWTH, result.samples().toString());
        assertTrue(last.fileHandles() - first.fileHandles() <= FILE_GROWTH, result.samples().toString());
        var hold = result.longestHeadlightHold();
        assertTrue(hold == null || hold.cpuMillis() <= HEADLIGHT_HOLD_MILLIS, () -> "Headlight code held the FX "
                + "thread for more than " + HEADLIGHT_HOLD_MILLIS + " ms of CPU: " + result.stalls().stream()
                .filter(s -> s.longestHold() == hold).findFirst().orElseThrow());
    }
}
