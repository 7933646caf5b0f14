package dev.headlight.engine.kernel;

/**
 * Reductions over one row of logits, for reading a distribution block by block without keeping it: the running
 * maximum and sum of exponentials of an online softmax, the entries above a threshold (top-k candidates) and a
 * count (rank). Vector API where {@link Kernels#best()} uses it, plain Java otherwise; both give the same answers
 * up to the rounding of exp.
 */
public final class RowScans {
    private static final boolean VECTOR = Kernels.best().name().startsWith("vector");

    private RowScans() {
    }

    /** The largest of x[from, to), or -infinity for an empty range. */
    public static float max(float[] x, int from, int to) {
        if (VECTOR) {
            return VectorRowScans.max(x, from, to);
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) {
            max = Math.max(max, x[i]);
        }
        return max;
    }

    /** The sum of exp(x[i] - shift) over [from, to); shift is at least the maximum, so no term overflows. */
    public static double sumExp(float[] x, int from, int to, float shift) {
        if (VECTOR) {
            return VectorRowScans.sumExp(x, from, to, shift);
        }
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += Math.exp(x[i] - shift);
        }
        return sum;
    }

    /** The first index in [from, to) with x[i] &gt; threshold, or {@code to} if there is none. */
    public static int firstAbove(float[] x, int from, int to, float threshold) {
        if (VECTOR) {
            return VectorRowScans.firstAbove(x, from, to, threshold);
        }
        for (int i = from; i < to; i++) {
            if (x[i] > threshold) {
                return i;
            }
        }
        return to;
    }

    /** How many of x[from, to) are &gt; threshold. */
    public static int countAbove(float[] x, int from, int to, float threshold) {
        if (VECTOR) {
            return VectorRowScans.countAbove(x, from, to, threshold);
        }
        int count = 0;
        for (int i = from; i < to; i++) {
            if (x[i] > threshold) {
                count++;
            }
        }
        return count;
    }
}
