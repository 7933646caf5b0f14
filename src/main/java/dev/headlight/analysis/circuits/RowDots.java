package dev.headlight.analysis.circuits;

import dev.headlight.engine.kernel.VectorKernels;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A B^T for two short stacks of long rows (d_head rows of d_model: a head's Gram matrix F F^T, or W_O (G W_V)^T of
 * a copying score), as dot products along the rows in the engine's 4 x 4 tiles ({@link VectorKernels#dots4x4}: 16
 * vector accumulators, 8 loads per 16 FMAs, lanes summed in a fixed order so that the same product gives the same
 * bits in every call), neither side copied or transposed (the engine's general product transposed A element by
 * element first: most of the time of every Gram matrix). A Gram matrix computes the tiles
 * on and above the diagonal only and mirrors them.
 */
final class RowDots {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final int TILE = 4;

    private RowDots() {
    }

    /**
     * out[i * n + j] = sum_p a[aOff + i * aStride + p] b[bOff + j * bStride + p] for i &lt; m, j &lt; n, p &lt; k (float32
     * sums). With {@code symmetric} (the same rows on both sides, m == n) the tiles below the diagonal are mirrors.
     */
    static void products(float[] a, int aOff, int aStride, int m, float[] b, int bOff, int bStride, int n, int k,
                         float[] out, boolean symmetric) {
        float[] lanes = new float[TILE * TILE * LANES];
        float[] sums = new float[TILE * TILE];
        for (int i0 = 0; i0 < m; i0 += TILE) {
            for (int j0 = symmetric ? i0 : 0; j0 < n; j0 += TILE) {
                if (i0 + TILE <= m && j0 + TILE <= n) {
                    tile(a, aOff + i0 * aStride, aStride, b, bOff + j0 * bStride, bStride, k, out, i0 * n + j0, n,
                            lanes, sums);
                } else {
                    for (int i = i0; i < Math.min(m, i0 + TILE); i++) {
                        for (int j = j0; j < Math.min(n, j0 + TILE); j++) {
                            out[i * n + j] = dot(a, aOff + i * aStride, b, bOff + j * bStride, k, lanes);
                        }
                    }
                }
            }
        }
        if (symmetric) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < i / TILE * TILE; j++) {
                    out[i * n + j] = out[j * n + i];
                }
            }
        }
    }

    private static float dot(float[] a, int aOff, float[] b, int bOff, int k, float[] lanes) {
        FloatVector s = FloatVector.zero(SPECIES);
        int p = 0;
        for (; p + LANES <= k; p += LANES) {
            s = FloatVector.fromArray(SPECIES, a, aOff + p).fma(FloatVector.fromArray(SPECIES, b, bOff + p), s);
        }
        s.intoArray(lanes, 0);
        float sum = sumOfLanes(lanes, 0);
        for (; p < k; p++) {
            sum += a[aOff + p] * b[bOff + p];
        }
        return sum;
    }

    /** One 4 x 4 tile of dot products into out[at + r * ldo + c], by the engine's dot-product tile. */
    private static void tile(float[] a, int aOff, int aStride, float[] b, int bOff, int bStride, int k, float[] out,
                             int at, int ldo, float[] lanes, float[] sums) {
        VectorKernels.dots4x4(a, aOff, aOff + aStride, aOff + 2 * aStride, aOff + 3 * aStride,
                b, bOff, bOff + bStride, bOff + 2 * bStride, bOff + 3 * bStride, k, sums, lanes);
        for (int r = 0; r < TILE; r++) {
            System.arraycopy(sums, r * TILE, out, at + r * ldo, TILE);
        }
    }

    /** lanes[from] + lanes[from + 1] + ... over one vector's lanes, in that order. */
    private static float sumOfLanes(float[] lanes, int from) {
        float sum = 0;
        for (int i = from; i < from + LANES; i++) {
            sum += lanes[i];
        }
        return sum;
    }
}
