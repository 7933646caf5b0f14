package dev.headlight.analysis;

import dev.headlight.engine.AttentionMaps;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Distance between two heads: the Jensen–Shannon divergence (in bits, so within [0, 1]) between their attention
 * rows, averaged over all query rows of all views (Clark et al. 2019, "What does BERT look at?"). For causal
 * models row 0 is skipped (it is [1] for every head); a causal row i covers keys 0..i, a bidirectional row all keys.
 * Every row of every view weighs the same.
 *
 * <p>The cost is pairs × rows × keys logarithms; pairs are spread over all cores and the logarithm is a
 * float-precision polynomial ({@link #fastLn}), about 1e-7 relative error, which is plenty for a map of heads.
 * The same function computes each row's own term, so identical heads are at distance exactly 0.
 */
public final class HeadDistances {
    private static final double LN2 = Math.log(2);

    private HeadDistances() {
    }

    /** One token sequence's attention: maps over {@code maps.tokens()} tokens. */
    public record View(AttentionMaps maps, boolean causal) {
    }

    /**
     * Distances between all heads, head index = layer * heads + head: {@code // [head][head]}, symmetric, zero
     * diagonal.
     */
    public static double[][] compute(List<View> views) {
        if (views.isEmpty()) {
            throw new IllegalArgumentException("no attention to compare heads on");
        }
        int layers = views.getFirst().maps().layers();
        int heads = views.getFirst().maps().heads();
        int n = layers * heads;
        // Row layout shared by all heads: rowStart[r] .. rowStart[r + 1] in the packed arrays.
        int rowCount = 0;
        int packed = 0;
        for (View v : views) {
            if (v.maps().layers() != layers || v.maps().heads() != heads) {
                throw new IllegalArgumentException("views of different models");
            }
            int t = v.maps().tokens();
            for (int i = v.causal() ? 1 : 0; i < t; i++) {
                rowCount++;
                packed += v.causal() ? i + 1 : t;
            }
        }
        if (rowCount == 0) {
            double[][] zero = new double[n][n];
            return zero;
        }
        int[] rowStart = new int[rowCount + 1];
        {
            int r = 0;
            int offset = 0;
            for (View v : views) {
                int t = v.maps().tokens();
                for (int i = v.causal() ? 1 : 0; i < t; i++) {
                    rowStart[r++] = offset;
                    offset += v.causal() ? i + 1 : t;
                }
            }
            rowStart[r] = offset;
        }
        float[][] rows = new float[n][packed];       // [head][packed rows]
        double[][] selfTerms = new double[n][rowCount]; // [head][row] sum of p ln p
        final int packedLength = packed;
        final int rowsTotal = rowCount;
        IntStream.range(0, n).parallel().forEach(k -> {
            int layer = k / heads;
            int head = k % heads;
            float[] dst = rows[k];
            int offset = 0;
            for (View v : views) {
                int t = v.maps().tokens();
                float[] map = v.maps().head(layer, head); // [query][key]
                for (int i = v.causal() ? 1 : 0; i < t; i++) {
                    int keys = v.causal() ? i + 1 : t;
                    System.arraycopy(map, i * t, dst, offset, keys);
                    offset += keys;
                }
            }
            assert offset == packedLength;
            for (int r = 0; r < rowsTotal; r++) {
                double sum = 0;
                for (int x = rowStart[r]; x < rowStart[r + 1]; x++) {
                    sum += plogp(dst[x]);
                }
                selfTerms[k][r] = sum;
            }
        });
        double[][] distance = new double[n][n];
        IntStream.range(0, n).parallel().forEach(a -> {
            float[] pa = rows[a];
            for (int b = a + 1; b < n; b++) {
                float[] pb = rows[b];
                double total = 0;
                for (int r = 0; r < rowsTotal; r++) {
                    double mixed = 0;
                    for (int x = rowStart[r], end = rowStart[r + 1]; x < end; x++) {
                        mixed += plogp((pa[x] + pb[x]) * 0.5f);
                    }
                    // JSD = H(m) - (H(p) + H(q)) / 2 with H = -sum p ln p
                    double jsd = 0.5 * (selfTerms[a][r] + selfTerms[b][r]) - mixed;
                    total += Math.max(0, jsd);
                }
                double d = total / rowsTotal / LN2;
                distance[a][b] = d;
                distance[b][a] = d;
            }
        });
        return distance;
    }

    /** p ln p with 0 ln 0 = 0 (and negligible for p below 1e-30). */
    static float plogp(float p) {
        return p > 1e-30f ? p * fastLn(p) : 0f;
    }

    /** Natural logarithm of a positive normal float, about 1e-7 relative error. */
    static float fastLn(float x) {
        int bits = Float.floatToRawIntBits(x);
        int exponent = ((bits >>> 23) & 0xff) - 127;
        float m = Float.intBitsToFloat((bits & 0x007fffff) | 0x3f800000); // [1, 2)
        if (m > 1.41421356f) {
            m *= 0.5f;
            exponent++;
        }
        // ln m = 2 atanh(s), s = (m - 1) / (m + 1), |s| <= 0.172
        float s = (m - 1f) / (m + 1f);
        float s2 = s * s;
        float series = s * (2f + s2 * (0.6666667f + s2 * (0.4f + s2 * (0.2857143f + s2 * 0.2222222f))));
        return exponent * 0.6931472f + series;
    }
}
