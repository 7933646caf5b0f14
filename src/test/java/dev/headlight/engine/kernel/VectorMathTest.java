package dev.headlight.engine.kernel;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** VectorMath's exp against Math.exp, and its lane sum against the same butterfly done in scalar code. */
class VectorMathTest {
    private static final int LANES = VectorKernels.SPECIES.length();

    private static float[] exp(float[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i + LANES <= x.length; i += LANES) {
            VectorMath.exp(FloatVector.fromArray(VectorKernels.SPECIES, x, i)).intoArray(out, i);
        }
        return out;
    }

    @Test
    void expIsWithinTwoUlpOverTheNormalRange() {
        SplittableRandom random = new SplittableRandom(5);
        float[] x = new float[LANES * 4096];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextDouble() * (88.3 + 87.3) - 87.3);
        }
        x[0] = 0f;
        x[1] = -0f;
        x[2] = 1f;
        x[3] = -87.3f;
        float[] e = exp(x);
        for (int i = 0; i < x.length; i++) {
            float expected = (float) Math.exp(x[i]);
            assertTrue(Math.abs(e[i] - expected) <= 2 * Math.ulp(expected), "exp(" + x[i] + ") = " + e[i]
                    + ", expected " + expected);
        }
        assertEquals(1f, e[0]);
        assertEquals(1f, e[1]);
    }

    @Test
    void expOfTheEdgesIsZeroInfinityOrNaN() {
        float[] x = new float[LANES * 2];
        java.util.Arrays.fill(x, Float.NEGATIVE_INFINITY);
        x[1] = -100f;
        x[2] = Float.NaN;
        x[3] = Float.POSITIVE_INFINITY;
        x[4] = 100f;
        float[] e = exp(x);
        assertEquals(0f, e[0]);
        assertEquals(0f, e[1]);
        assertTrue(Float.isNaN(e[2]));
        assertEquals(Float.POSITIVE_INFINITY, e[3]);
        assertEquals(Float.POSITIVE_INFINITY, e[4]);
        assertEquals(0f, e[LANES]);
    }

    @Test
    void sumLanesAddsPairsAtHalvingDistances() {
        SplittableRandom random = new SplittableRandom(9);
        for (int trial = 0; trial < 1000; trial++) {
            float[] v = new float[LANES];
            for (int i = 0; i < LANES; i++) {
                v[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(-3, 4)));
            }
            // the butterfly: lane i + lane (i ^ d) for d = LANES / 2 ... 1; lane 0 holds the sum
            float[] w = v.clone();
            for (int d = LANES / 2; d >= 1; d /= 2) {
                float[] next = new float[LANES];
                for (int i = 0; i < LANES; i++) {
                    next[i] = w[i] + w[i ^ d];
                }
                w = next;
            }
            assertEquals(w[0], VectorMath.sumLanes(FloatVector.fromArray(VectorKernels.SPECIES, v, 0)));
        }
    }
}
