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
    void warmUpInBackgroundCompletes() throws Exception {
        var done = new VectorKernels(1).warmUpInBackground();
        done.get(); // rethrows a failure of the warm-up
        assertTrue(done.isDone() && !done.isCompletedExceptionally());
    }
}
