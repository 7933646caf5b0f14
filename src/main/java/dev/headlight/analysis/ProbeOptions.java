package dev.headlight.analysis;

/**
 * How {@link HeadAnalysis} builds and uses the standard probe.
 *
 * @param enabled      run the probe (a second forward pass) besides the prompt
 * @param seed         seed of the random tokens; the same seed, tokenizer and periods give the same probe
 * @param periods      the periods of the multi-period probe (see {@link Probe})
 * @param clusters     number of head clusters, or 0 for {@link AverageLinkage#defaultClusterCount}
 */
public record ProbeOptions(boolean enabled, long seed, int[] periods, int clusters) {
    public static final long DEFAULT_SEED = 20190801L;
    /** Random tokens per half of the single-period probe ({@link Probe#ids(int, java.util.function.IntPredicate, int, long, int)}). */
    public static final int DEFAULT_REPEAT_LENGTH = 20;

    public ProbeOptions {
        if (periods.length == 0 || java.util.Arrays.stream(periods).anyMatch(p -> p < 1)) {
            throw new IllegalArgumentException("probe periods must be at least 1, not "
                    + java.util.Arrays.toString(periods));
        }
        periods = periods.clone();
        if (clusters < 0) {
            throw new IllegalArgumentException("cluster count must not be negative");
        }
    }

    public static ProbeOptions defaults() {
        return new ProbeOptions(true, DEFAULT_SEED, Probe.PERIODS, 0);
    }
}
