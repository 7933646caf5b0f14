package dev.headlight.engine.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Vectorized activations and softmax against the double-precision definitions in Kernels. */
class ActivationTest {
    private static final Kernels SCALAR = new ScalarKernels(1);
    private static final Kernels VECTOR = new VectorKernels(1);

    private static float[] values(int n, double scale, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (random.nextGaussian() * scale);
        }
        return x;
    }

    /** Relative to max(1, |expected|): a few float ulps. */
    private static void assertClose(float[] expected, float[] actual, double tol, String what) {
        for (int i = 0; i < expected.length; i++) {
            double scale = Math.max(1, Math.abs(expected[i]));
            if (!(Math.abs(expected[i] - actual[i]) <= tol * scale)) {
                throw new AssertionError(what + "[" + i + "] = " + actual[i] + ", expected " + expected[i]);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 15, 16, 17, 100, 3072})
    void geluTanhAndSiluMatchTheDefinitions(int n) {
        for (double scale : new double[] {0.5, 3, 30}) {
            float[] x = values(n + 4, scale, n);
            float[] expected = x.clone();
            float[] actual = x.clone();
            SCALAR.geluTanh(expected, 2, n + 2);
            VECTOR.geluTanh(actual, 2, n + 2);
            assertClose(expected, actual, 1e-6, "gelu scale " + scale);
            expected = x.clone();
            actual = x.clone();
            SCALAR.silu(expected, 2, n + 2);
            VECTOR.silu(actual, 2, n + 2);
            assertClose(expected, actual, 1e-6, "silu scale " + scale);
        }
    }

    @Test
    void longActivationsSplitAcrossThreadsGiveTheSameBits() {
        // several chunks of work and a tail: the pool's split must not change a single result
        Kernels two = new VectorKernels(2);
        int n = 100_003;
        float[] x = values(n + 3, 3, 7);
        float[] one = x.clone();
        float[] split = x.clone();
        float[] expected = x.clone();
        VECTOR.geluTanh(one, 3, n + 3);
        two.geluTanh(split, 3, n + 3);
        SCALAR.geluTanh(expected, 3, n + 3);
        assertArrayEquals(one, split);
        assertClose(expected, split, 1e-6, "gelu");
        one = x.clone();
        split = x.clone();
        expected = x.clone();
        VECTOR.silu(one, 3, n + 3);
        two.silu(split, 3, n + 3);
        SCALAR.silu(expected, 3, n + 3);
        assertArrayEquals(one, split);
        assertClose(expected, split, 1e-6, "silu");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 16, 17, 128, 1000})
    void softmaxMatchesTheDefinition(int n) {
        float[] x = values(n + 3, 4, n);
        // a masked key as the engine writes it (not the only one: a fully masked row is NaN, tested below)
        if (n > 1) {
            x[1 + n / 2] = Float.NEGATIVE_INFINITY;
        }
        float[] expected = x.clone();
        float[] actual = x.clone();
        SCALAR.softmax(expected, 1, n + 1);
        VECTOR.softmax(actual, 1, n + 1);
        assertClose(expected, actual, 1e-6, "softmax");
        double sum = 0;
        for (int i = 1; i < n + 1; i++) {
            sum += actual[i];
        }
        assertEquals(1.0, sum, 1e-5);
        assertEquals(x[0], actual[0]);            // outside the range: untouched
        assertEquals(x[n + 1], actual[n + 1]);
        if (n > 1) {
            assertEquals(0f, actual[1 + n / 2]);
        }
    }

    @Test
    void fullyMaskedRowIsNaNAsInTorch() {
        float[] x = new float[40];
        java.util.Arrays.fill(x, Float.NEGATIVE_INFINITY);
        VECTOR.softmax(x, 0, 40);
        for (float v : x) {
            assertTrue(Float.isNaN(v));
        }
    }

    @Test
    void geluHasItsKnownValues() {
        // gelu_new(1) = 0.8411919906 and gelu_new(-1) = -0.1588080094 (torch, float64)
        float[] x = new float[32];
        java.util.Arrays.fill(x, 1f);
        x[31] = -1f;
        VECTOR.geluTanh(x, 0, 32);
        assertEquals(0.8411919906, x[0], 1e-6);
        assertEquals(-0.1588080094, x[31], 1e-6);
        assertTrue(x[5] == x[6]);
    }
}
