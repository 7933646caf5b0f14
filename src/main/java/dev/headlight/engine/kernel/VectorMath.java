package dev.headlight.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
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
    /** Lane i takes lane i ^ d: the butterfly steps of {@link #sumLanes}. Unused ones are never applied. */
    private static final VectorShuffle<Float> SWAP_8 = VectorShuffle.fromOp(SPECIES, i -> (i ^ 8) % LANES);
    private static final VectorShuffle<Float> SWAP_4 = VectorShuffle.fromOp(SPECIES, i -> (i ^ 4) % LANES);
    private static final VectorShuffle<Float> SWAP_2 = VectorShuffle.fromOp(SPECIES, i -> (i ^ 2) % LANES);
    private static final VectorShuffle<Float> SWAP_1 = VectorShuffle.fromOp(SPECIES, i -> (i ^ 1) % LANES);

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

    /** Sum of the lanes by a fixed butterfly (pairs at distance 8, 4, 2, 1), the same in every run. */
    static float sumLanes(FloatVector v) {
        if (LANES > 16) {
            return v.reduceLanes(VectorOperators.ADD); // no such species on current hardware
        }
        if (LANES == 16) {
            v = v.add(v.rearrange(SWAP_8));
        }
        if (LANES >= 8) {
            v = v.add(v.rearrange(SWAP_4));
        }
        v = v.add(v.rearrange(SWAP_2));
        v = v.add(v.rearrange(SWAP_1));
        return v.lane(0);
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
