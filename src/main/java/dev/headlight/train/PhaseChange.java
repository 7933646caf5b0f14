package dev.headlight.train;

/**
 * The steps of a run's phase change, read from its in-context loss (the loss on positions the context can predict,
 * which drops when induction heads form): from the step where the loss's centred 21-step moving average has fallen
 * 10% of the way from its plateau (mean of the first 50 logged steps) to its end level (mean of the last 100) to the
 * step where it has fallen 90% of the way. NaN steps (none predictable) are skipped in the averages.
 *
 * @param start first step of the phase change (0 = the first update, as training.json's "loss" counts)
 * @param end   last step of the phase change
 */
public record PhaseChange(int start, int end) {
    private static final int HALF_WINDOW = 10;

    /** The phase change of a loss curve, or null when it is too short (under 150 steps) or does not fall. */
    public static PhaseChange fromInContextLoss(double[] loss) {
        int n = loss.length;
        if (n < 150) {
            return null;
        }
        double plateau = mean(loss, 0, 50);
        double endLevel = mean(loss, n - 100, n);
        double fall = plateau - endLevel;
        if (!(fall > 0)) {
            return null;
        }
        int start = -1;
        for (int i = 0; i < n; i++) {
            double smoothed = mean(loss, Math.max(0, i - HALF_WINDOW), Math.min(n, i + HALF_WINDOW + 1));
            if (start < 0 && smoothed < plateau - 0.1 * fall) {
                start = i;
            }
            if (start >= 0 && smoothed < plateau - 0.9 * fall) {
                return new PhaseChange(start, i);
            }
        }
        return null;
    }

    public boolean contains(int step) {
        return step >= start && step <= end;
    }

    /** The mean of {@code v[from..to)} over the values that are not NaN (steps not measured); NaN if none is. */
    static double mean(double[] v, int from, int to) {
        double sum = 0;
        int count = 0;
        for (int i = from; i < to; i++) {
            if (!Double.isNaN(v[i])) {
                sum += v[i];
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }
}
