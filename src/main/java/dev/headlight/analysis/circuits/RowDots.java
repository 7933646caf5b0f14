package dev.headlight.analysis.circuits;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * A B^T for two short stacks of long rows (d_head rows of d_model: a head's Gram matrix F F^T, or W_O (G W_V)^T of
 * a copying score), as dot products along the rows in 4 x 4 tiles: 16 vector accumulators, 8 loads per 16 FMAs,
 * one horizontal sum per entry at the end, neither side copied or transposed (the engine's general product
 * transposed A element by element first: most of the time of every Gram matrix). A Gram matrix computes the tiles
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
        for (int i0 = 0; i0 < m; i0 += TILE) {
            for (int j0 = symmetric ? i0 : 0; j0 < n; j0 += TILE) {
                if (i0 + TILE <= m && j0 + TILE <= n) {
                    tile(a, aOff + i0 * aStride, aStride, b, bOff + j0 * bStride, bStride, k, out, i0 * n + j0, n);
                } else {
                    for (int i = i0; i < Math.min(m, i0 + TILE); i++) {
                        for (int j = j0; j < Math.min(n, j0 + TILE); j++) {
                            out[i * n + j] = dot(a, aOff + i * aStride, b, bOff + j * bStride, k);
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

    private static float dot(float[] a, int aOff, float[] b, int bOff, int k) {
        FloatVector s = FloatVector.zero(SPECIES);
        int p = 0;
        for (; p + LANES <= k; p += LANES) {
            s = FloatVector.fromArray(SPECIES, a, aOff + p).fma(FloatVector.fromArray(SPECIES, b, bOff + p), s);
        }
        float sum = s.reduceLanes(VectorOperators.ADD);
        for (; p < k; p++) {
            sum += a[aOff + p] * b[bOff + p];
        }
        return sum;
    }

    /** One 4 x 4 tile of dot products into out[at + r * ldo + c]. */
    private static void tile(float[] a, int aOff, int aStride, float[] b, int bOff, int bStride, int k, float[] out,
                             int at, int ldo) {
        FloatVector s00 = FloatVector.zero(SPECIES), s01 = s00, s02 = s00, s03 = s00;
        FloatVector s10 = s00, s11 = s00, s12 = s00, s13 = s00;
        FloatVector s20 = s00, s21 = s00, s22 = s00, s23 = s00;
        FloatVector s30 = s00, s31 = s00, s32 = s00, s33 = s00;
        int a1 = aOff + aStride;
        int a2 = a1 + aStride;
        int a3 = a2 + aStride;
        int b1 = bOff + bStride;
        int b2 = b1 + bStride;
        int b3 = b2 + bStride;
        int p = 0;
        for (; p + LANES <= k; p += LANES) {
            FloatVector y0 = FloatVector.fromArray(SPECIES, b, bOff + p);
            FloatVector y1 = FloatVector.fromArray(SPECIES, b, b1 + p);
            FloatVector y2 = FloatVector.fromArray(SPECIES, b, b2 + p);
            FloatVector y3 = FloatVector.fromArray(SPECIES, b, b3 + p);
            FloatVector x = FloatVector.fromArray(SPECIES, a, aOff + p);
            s00 = x.fma(y0, s00);
            s01 = x.fma(y1, s01);
            s02 = x.fma(y2, s02);
            s03 = x.fma(y3, s03);
            x = FloatVector.fromArray(SPECIES, a, a1 + p);
            s10 = x.fma(y0, s10);
            s11 = x.fma(y1, s11);
            s12 = x.fma(y2, s12);
            s13 = x.fma(y3, s13);
            x = FloatVector.fromArray(SPECIES, a, a2 + p);
            s20 = x.fma(y0, s20);
            s21 = x.fma(y1, s21);
            s22 = x.fma(y2, s22);
            s23 = x.fma(y3, s23);
            x = FloatVector.fromArray(SPECIES, a, a3 + p);
            s30 = x.fma(y0, s30);
            s31 = x.fma(y1, s31);
            s32 = x.fma(y2, s32);
            s33 = x.fma(y3, s33);
        }
        float[] t = {
                s00.reduceLanes(VectorOperators.ADD), s01.reduceLanes(VectorOperators.ADD),
                s02.reduceLanes(VectorOperators.ADD), s03.reduceLanes(VectorOperators.ADD),
                s10.reduceLanes(VectorOperators.ADD), s11.reduceLanes(VectorOperators.ADD),
                s12.reduceLanes(VectorOperators.ADD), s13.reduceLanes(VectorOperators.ADD),
                s20.reduceLanes(VectorOperators.ADD), s21.reduceLanes(VectorOperators.ADD),
                s22.reduceLanes(VectorOperators.ADD), s23.reduceLanes(VectorOperators.ADD),
                s30.reduceLanes(VectorOperators.ADD), s31.reduceLanes(VectorOperators.ADD),
                s32.reduceLanes(VectorOperators.ADD), s33.reduceLanes(VectorOperators.ADD)};
        for (; p < k; p++) { // the part of the rows short of a whole vector
            for (int r = 0; r < TILE; r++) {
                float x = a[aOff + r * aStride + p];
                for (int c = 0; c < TILE; c++) {
                    t[r * TILE + c] += x * b[bOff + c * bStride + p];
                }
            }
        }
        for (int r = 0; r < TILE; r++) {
            System.arraycopy(t, r * TILE, out, at + r * ldo, TILE);
        }
    }
}
