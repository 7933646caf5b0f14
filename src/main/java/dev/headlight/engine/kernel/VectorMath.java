package dev.headlight.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp and a horizontal sum built from lane-wise IEEE operations only, so that a result does not depend on
 * whether the JIT has compiled the caller yet. The Vector API's own {@code reduceLanes(ADD)} and
 * {@code lanewise(EXP / TANH)} run in a different order or through a different math library once C2 compiles
 * them: the same forward pass then gave logits differing in the last bits between its first and later runs in one
 * JVM, which analyses that compare runs (patching, attribution) see.
 */
final class VectorMath {
    private static final VectorSpecies<Float> SPECIES = VectorKernels.SPECIES;
    private static final int LANES = SPECIES.length();

    /** Round-to-nearest by adding 1.5 * 2^23: the float's low bits are then the integer. */
    private static final float ROUNDER = 12582912f;
    private static final float LOG2_E = 1.44269504088896341f;
    /** ln 2 in two parts (Cephes): n * LN2_HI is exact for the n that occur. */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** Above this exp overflows float; below this the result is subnormal (returned as 0). */
    private static final float EXP_MAX = 88.3762626647949f;
    private static final float EXP_MIN = -87.3365447505531f;

    private VectorMath() {
    }

    private static FloatVector constant(float c) {
        return FloatVector.broadcast(SPECIES, c);
    }

    /** Sum of the lanes in the fixed order of {@link #sumLanes(float[], int)}. */
    static float sumLanes(FloatVector v) {
        float[] lanes = new float[LANES];
        v.intoArray(lanes, 0);
        return sumLanes(lanes, 0);
    }

    /**
     * Sum of lanes[off, off + LANES) as written by {@code intoArray}: the upper half added to the lower half
     * until one value remains, in scalar code (the same bits in every run). The tiles store their accumulators
     * and call this rather than pass vectors: a call the JIT does not inline boxes its vector arguments.
     */
    static float sumLanes(float[] lanes, int off) {
        if (LANES == 16) {
            float a0 = (lanes[off] + lanes[off + 8]) + (lanes[off + 4] + lanes[off + 12]);
            float a1 = (lanes[off + 1] + lanes[off + 9]) + (lanes[off + 5] + lanes[off + 13]);
            float a2 = (lanes[off + 2] + lanes[off + 10]) + (lanes[off + 6] + lanes[off + 14]);
            float a3 = (lanes[off + 3] + lanes[off + 11]) + (lanes[off + 7] + lanes[off + 15]);
            return (a0 + a2) + (a1 + a3);
        }
        float sum = 0f;
        for (int i = 0; i < LANES; i++) {
            sum += lanes[off + i];
        }
        return sum;
    }

    /**
     * e^x per lane (Cephes expf: x = n ln2 + r, |r| &lt;= ln2 / 2, degree-7 polynomial, times 2^n), within ~2 ulp.
     * -infinity and anything below -87.34 give 0, NaN stays NaN, above 88.38 gives +infinity.
     */
    static FloatVector exp(FloatVector x) {
        FloatVector clamped = x.min(EXP_MAX).max(EXP_MIN);
        FloatVector shifted = clamped.fma(LOG2_E, ROUNDER);
        FloatVector n = shifted.sub(ROUNDER);
        FloatVector r = n.fma(constant(-LN2_HI), clamped);
        r = n.fma(constant(-LN2_LO), r);
        FloatVector p = r.fma(1.9875691500e-4f, 1.3981999507e-3f);
        p = p.fma(r, constant(8.3334519073e-3f));
        p = p.fma(r, constant(4.1665795894e-2f));
        p = p.fma(r, constant(1.6666665459e-1f));
        p = p.fma(r, constant(5.0000001201e-1f));
        p = p.mul(r.mul(r)).add(r).add(1f);
        // 2^n from the rounded value's low bits: n in [-126, 127], a normal float
        IntVector bits = shifted.reinterpretAsInts().sub(Float.floatToRawIntBits(ROUNDER)).add(127)
                .lanewise(VectorOperators.LSHL, 23);
        FloatVector result = p.mul(bits.reinterpretAsFloats());
        result = result.blend(0f, x.compare(VectorOperators.LT, EXP_MIN));
        result = result.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, EXP_MAX));
        // min/max above keep NaN (as Math.min/max do), so a NaN lane comes out NaN
        return result;
    }
}
