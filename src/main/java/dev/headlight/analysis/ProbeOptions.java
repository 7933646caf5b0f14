package dev.headlight.analysis;

/**
 * How {@link HeadAnalysis} builds and uses the standard probe.
 *
 * @param enabled      run the probe (a second forward pass) besides the prompt
 * @param seed         seed of the random tokens; the same seed, tokenizer and length give the same probe
 * @param repeatLength random tokens per half; the probe is [BOS] + r + r, so 2 * repeatLength (+ 1) tokens
 * @param clusters     number of head clusters, or 0 for {@link AverageLinkage#defaultClusterCount}
 */
public record ProbeOptions(boolean enabled, long seed, int repeatLength, int clusters) {
    public static final long DEFAULT_SEED = 20190801L;
    public static final int DEFAULT_REPEAT_LENGTH = 20;

    public ProbeOptions {
        if (repeatLength < 1) {
            throw new IllegalArgumentException("probe repeat length must be at least 1, not " + repeatLength);
        }
        if (clusters < 0) {
            throw new IllegalArgumentException("cluster count must not be negative");
        }
    }

    public static ProbeOptions defaults() {
        return new ProbeOptions(true, DEFAULT_SEED, DEFAULT_REPEAT_LENGTH, 0);
    }
}
