package dev.headlight.engine.kernel;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The strided GEMMs of VectorKernels against the plain definitions in Kernels (what ScalarKernels runs). */
class GemmTest {
    private static final int[] SIZES = {1, 3, 4, 5, 17, 64, 65, 130};
    private static final Kernels SCALAR = new ScalarKernels(1);
    private static final Kernels VECTOR = new VectorKernels(2);

    @Test
    void gemmTransposedMatchesTheDefinition() {
        SplittableRandom random = new SplittableRandom(11);
        int cases = 0;
        for (int m : SIZES) {
            for (int n : SIZES) {
                for (int k : SIZES) {
                    // views inside bigger buffers: rows at a stride wider than their length, at an offset
                    int aStride = k + 3;
                    int bStride = k + 5;
                    int cStride = n + 2;
                    float[] a = TestMatrices.random(7 + m * aStride, random);
                    float[] b = TestMatrices.random(2 + n * bStride, random);
                    float[] expected = TestMatrices.random(1 + m * cStride, random);
                    float[] actual = expected.clone();
                    SCALAR.gemmTransposed(m, n, k, 0.125f, a, 7, aStride, b, 2, bStride, expected, 1, cStride);
                    VECTOR.gemmTransposed(m, n, k, 0.125f, a, 7, aStride, b, 2, bStride, actual, 1, cStride);
                    assertClose(expected, actual, 1e-5 * Math.sqrt(k), m + "x" + n + "x" + k);
                    cases++;
                }
            }
        }
        assertEquals(SIZES.length * SIZES.length * SIZES.length, cases);
    }

    @Test
    void gemmMatchesTheDefinition() {
        SplittableRandom random = new SplittableRandom(12);
        for (int m : SIZES) {
            for (int n : SIZES) {
                for (int k : SIZES) {
                    int aStride = k + 1;
                    int bStride = n + 9;
                    int cStride = n + 4;
                    float[] a = TestMatrices.random(3 + m * aStride, random);
                    float[] b = TestMatrices.random(5 + k * bStride, random);
                    float[] expected = TestMatrices.random(2 + m * cStride, random);
                    float[] actual = expected.clone();
                    SCALAR.gemm(m, n, k, a, 3, aStride, b, 5, bStride, expected, 2, cStride);
                    VECTOR.gemm(m, n, k, a, 3, aStride, b, 5, bStride, actual, 2, cStride);
                    assertClose(expected, actual, 1e-4 * Math.sqrt(k), m + "x" + n + "x" + k);
                }
            }
        }
    }

    /** Everything equal within tol, including the untouched floats around the view. */
    private static void assertClose(float[] expected, float[] actual, double tol, String what) {
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= tol)) {
                throw new AssertionError(what + ": c[" + i + "] = " + actual[i] + ", expected " + expected[i]);
            }
        }
    }

    @Test
    void viewsOutsideTheArrayAreRejected() {
        float[] a = new float[10];
        float[] c = new float[100];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VECTOR.gemmTransposed(3, 3, 4, 1f, a, 0, 4, a, 0, 4, c, 0, 3));
        assertEquals(true, e.getMessage().contains("a view of 3x4"), e.getMessage());
    }
}
