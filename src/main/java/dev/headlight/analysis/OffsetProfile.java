package dev.headlight.analysis;

/**
 * A number per relative offset k = query position - key position (k &gt; 0: the key is k tokens back; negative
 * offsets only for bidirectional attention).
 *
 * @param firstOffset the offset of {@code mean[0]}: 0 for causal attention, -(T-1) for bidirectional
 * @param mean        the mean per offset over the (query, key) pairs at that offset  // [offset - firstOffset]
 */
public record OffsetProfile(int firstOffset, double[] mean) {

    /** The last offset held. */
    public int lastOffset() {
        return firstOffset + mean.length - 1;
    }

    /** The value at {@code offset}, or NaN outside the profile. */
    public double at(int offset) {
        int i = offset - firstOffset;
        return i >= 0 && i < mean.length ? mean[i] : Double.NaN;
    }

    /**
     * The behavioural profile of one head: for each offset k, the mean over the queries i that have a key at
     * i - k (and may see it) of A[i][i - k]. {@code map // [query][key]} over {@code tokens} positions.
     */
    public static OffsetProfile ofAttention(float[] map, int tokens, boolean causal) {
        int first = causal ? 0 : -(tokens - 1);
        double[] sum = new double[tokens - first];
        int[] count = new int[tokens - first];
        for (int i = 0; i < tokens; i++) {
            int last = causal ? i : tokens - 1;
            for (int j = 0; j <= last; j++) {
                sum[i - j - first] += map[i * tokens + j];
                count[i - j - first]++;
            }
        }
        for (int k = 0; k < sum.length; k++) {
            sum[k] = count[k] > 0 ? sum[k] / count[k] : Double.NaN;
        }
        return new OffsetProfile(first, sum);
    }
}
