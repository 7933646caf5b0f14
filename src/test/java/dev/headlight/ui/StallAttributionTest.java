package dev.headlight.ui;

import dev.headlight.ui.FxResponsivenessProbe.Cause;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The probe behind {@link SoakTest}'s FX-thread check says who held the FX thread: a stack with Headlight's code on
 * it is Headlight's, one with only JavaFX is the toolkit's, one where only the measuring code runs is the
 * harness's; and a hold is measured in the FX thread's CPU time, so work counts and waiting does not.
 */
@ExtendWith(ApplicationExtension.class)
class StallAttributionTest {
    @Start
    void start(Stage stage) {
        stage.show();
    }

    private static StackTraceElement frame(String className, String method) {
        return new StackTraceElement(className, method, className + ".java", 1);
    }

    @Test
    void aStackIsHeadlightsWhenHeadlightCodeIsOnItWhateverJavaFxDoesAboveIt() {
        StackTraceElement[] paintCallingJavaFx = {
                frame("javafx.scene.canvas.GraphicsContext", "lineTo"),
                frame("dev.headlight.ui.view.CircuitGraphView", "paint"),
                frame("javafx.scene.Parent", "layout"),
                frame("com.sun.javafx.tk.Toolkit", "firePulse")};
        assertEquals(Cause.HEADLIGHT, FxResponsivenessProbe.causeOf(paintCallingJavaFx));
        StackTraceElement[] renderWait = {
                frame("jdk.internal.misc.Unsafe", "park"),
                frame("com.sun.javafx.tk.quantum.PaintCollector", "waitForRenderingToComplete"),
                frame("javafx.scene.Scene$ScenePulseListener", "pulse")};
        assertEquals(Cause.TOOLKIT, FxResponsivenessProbe.causeOf(renderWait));
        StackTraceElement[] soakLookingUpTabs = {
                frame("java.util.ArrayList", "add"),
                frame("dev.headlight.ui.SoakRun", "lambda$selectNextTabs$1"),
                frame("dev.headlight.ui.FxTestSupport", "lambda$onFx$0")};
        assertEquals(Cause.HARNESS, FxResponsivenessProbe.causeOf(soakLookingUpTabs));
        StackTraceElement[] tabSwitchTheSoakStarted = {
                frame("javafx.scene.control.skin.TabPaneSkin", "updateTabContent"),
                frame("dev.headlight.ui.SoakRun", "lambda$selectNextTabs$1")};
        assertEquals(Cause.TOOLKIT, FxResponsivenessProbe.causeOf(tabSwitchTheSoakStarted));
    }

    @Test
    void workOnTheFxThreadIsAHoldOfItsCpuTimeAndWaitingIsNot() throws Exception {
        try (FxResponsivenessProbe probe = new FxResponsivenessProbe()) {
            Thread.sleep(50); // the probe is posting
            runOnFx(() -> spinCpu(300));
            Thread.sleep(100);
            FxResponsivenessProbe.Hold busy = probe.longestHeadlightHold();
            assertNotNull(busy, probe.summary());
            // the hold is measured from stack samples every few ms: most of the 300 ms of CPU is seen
            assertTrue(busy.cpuMillis() >= 200, busy.toString());
            assertTrue(busy.frames().getFirst().contains("spinCpu"), busy.toString());

            probe.reset();
            runOnFx(() -> sleep(300));
            Thread.sleep(100);
            assertTrue(probe.stalls().stream().anyMatch(s -> s.headlightMillis() >= 150), probe.summary());
            FxResponsivenessProbe.Hold waiting = probe.longestHeadlightHold();
            assertTrue(waiting.wallMillis() >= 250 && waiting.cpuMillis() < 100, waiting.toString());
        }
    }

    private static void runOnFx(Runnable work) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Platform.runLater(() -> {
            work.run();
            done.countDown();
        });
        assertTrue(done.await(60, TimeUnit.SECONDS));
    }

    /** Busy for {@code millis} of this thread's CPU time (longer in wall time on a loaded machine). */
    private static void spinCpu(long millis) {
        var threads = ManagementFactory.getThreadMXBean();
        long end = threads.getCurrentThreadCpuTime() + millis * 1_000_000;
        double sink = 0;
        while (threads.getCurrentThreadCpuTime() < end) {
            for (int i = 0; i < 10_000; i++) {
                sink += Math.sqrt(i + sink);
            }
        }
        if (sink == -1) {
            System.out.println(sink);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
