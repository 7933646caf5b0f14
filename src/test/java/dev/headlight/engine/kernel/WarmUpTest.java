package dev.headlight.engine.kernel;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The warm-up runs every path on every weight dtype without failing (it runs in the background in the window). */
class WarmUpTest {

    @Test
    void warmUpRunsEveryPathForBothImplementations() {
        for (Kernels k : new Kernels[] {new VectorKernels(2), new ScalarKernels(1)}) {
            // a short cap: the paths are what matter here, not reaching compiled speed
            assertDoesNotThrow(() -> WarmUp.run(k, 300_000_000L), k.name());
        }
    }

    @Test
    void aPausedWarmUpWaitsUntilItMayGoOn() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean paused = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        var done = new VectorKernels(1).warmUpInBackground(() -> {
            asked.incrementAndGet();
            return paused.get();
        });
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (asked.get() < 5 && System.nanoTime() < deadline) { // asked several times, and still waiting
            Thread.sleep(5);
        }
        assertTrue(asked.get() >= 5, "the warm-up asks whether it may go on");
        org.junit.jupiter.api.Assertions.assertFalse(done.isDone(), "a paused warm-up does not run its rounds");
        paused.set(false);
        done.get();
        assertTrue(!done.isCompletedExceptionally());
    }

    @Test
    void onlyRealCallsCountAsWorkTheBackgroundWarmUpWaitsFor() {
        VectorKernels k = new VectorKernels(2);
        long before = k.lastRealWorkNanos();
        WarmUp.run(k, 300_000_000L);
        assertTrue(k.lastRealWorkNanos() == before, "the warm-up's own calls are not real work");
        float[] x = new float[64 * 512];
        float[] out = new float[64 * 512];
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            Matrix w = TestMatrices.random(arena, dev.headlight.format.safetensors.DType.F32, 512, 512, 1,
                    new java.util.SplittableRandom(5));
            long start = System.nanoTime();
            k.linear(x, 64, w, null, out); // a pass-sized call
            assertTrue(k.lastRealWorkNanos() >= start, "a large call from elsewhere is");
        }
    }

    @Test
    void warmUpInBackgroundCompletes() throws Exception {
        var done = new VectorKernels(1).warmUpInBackground();
        done.get(); // rethrows a failure of the warm-up
        assertTrue(done.isDone() && !done.isCompletedExceptionally());
    }
}
