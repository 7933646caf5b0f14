package dev.headlight.engine.kernel;

import dev.headlight.format.safetensors.DType;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelSelectorTest {

    @Test
    void autoPicksVectorKernelsWhenTheModuleIsPresent() {
        // surefire runs with --add-modules jdk.incubator.vector
        assertTrue(KernelSelector.vectorModulePresent());
        Kernels k = KernelSelector.create("auto", 2);
        assertInstanceOf(VectorKernels.class, k);
        assertEquals(2, k.threads());
        assertTrue(k.name().startsWith("vector-"), k.name());
        assertInstanceOf(VectorKernels.class, KernelSelector.create("vector", 1));
    }

    @Test
    void scalarCanBeForced() {
        Kernels k = KernelSelector.create("scalar", 3);
        assertInstanceOf(ScalarKernels.class, k);
        assertEquals(3, k.threads());
        assertEquals("scalar", k.name());
    }

    @Test
    void unknownChoiceIsRejectedWithItsName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelSelector.create("gpu", 1));
        assertTrue(e.getMessage().contains("'gpu'"), e.getMessage());
    }

    @Test
    void threadsComeFromTheSystemProperty() {
        String old = System.getProperty(KernelSelector.THREADS_PROPERTY);
        try {
            System.setProperty(KernelSelector.THREADS_PROPERTY, "3");
            assertEquals(3, KernelSelector.threads());
            System.clearProperty(KernelSelector.THREADS_PROPERTY);
            assertEquals(Runtime.getRuntime().availableProcessors(), KernelSelector.threads());
            System.setProperty(KernelSelector.THREADS_PROPERTY, "zero");
            assertThrows(IllegalArgumentException.class, KernelSelector::threads);
        } finally {
            if (old == null) {
                System.clearProperty(KernelSelector.THREADS_PROPERTY);
            } else {
                System.setProperty(KernelSelector.THREADS_PROPERTY, old);
            }
        }
    }

    @Test
    void bestIsCreatedOnce() {
        assertTrue(Kernels.best() == Kernels.best());
    }

    @Test
    void warmUpLeavesBothImplementationsCorrect() {
        SplittableRandom random = new SplittableRandom(3);
        try (Arena arena = Arena.ofShared()) {
            Matrix w = TestMatrices.random(arena, DType.BF16, 100, 300, 1, random);
            float[] x = TestMatrices.random(6 * 300, random);
            float[] expected = new float[6 * 100];
            float[] actual = new float[6 * 100];
            Kernels scalar = new ScalarKernels(1);
            Kernels vector = new VectorKernels(2);
            // short caps: the test is about the results, not about how long compiling takes on a busy machine
            WarmUp.run(scalar, 1_000_000_000L);
            WarmUp.run(vector, 2_000_000_000L);
            scalar.linear(x, 6, w, null, expected);
            vector.linear(x, 6, w, null, actual);
            assertArrayEquals(expected, actual, 1e-3f);
        }
    }

    @Test
    void warmUpInBackgroundCompletes() throws Exception {
        new VectorKernels(1).warmUpInBackground().get(60, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void weightsInAConfinedArenaWorkWithSeveralThreads() {
        // only the owner thread may read a confined segment: the kernels must not hand it to their pool
        SplittableRandom random = new SplittableRandom(4);
        try (Arena arena = Arena.ofConfined()) {
            Matrix w = TestMatrices.random(arena, DType.F32, 300, 400, 0, random);
            Matrix wt = TestMatrices.random(arena, DType.F32, 400, 300, 0, random);
            float[] x = TestMatrices.random(64 * 400, random);
            float[] expected = new float[64 * 300];
            float[] actual = new float[64 * 300];
            Kernels scalar = new ScalarKernels(1);
            Kernels vector = new VectorKernels(2);
            scalar.linear(x, 64, w, null, expected);
            vector.linear(x, 64, w, null, actual);
            assertArrayEquals(expected, actual, 1e-3f);
            scalar.linearInOut(x, 64, wt, null, expected);
            vector.linearInOut(x, 64, wt, null, actual);
            assertArrayEquals(expected, actual, 1e-3f);
        }
    }
}
