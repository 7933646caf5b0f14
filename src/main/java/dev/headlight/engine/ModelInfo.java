package dev.headlight.engine;

import java.nio.file.Path;

/**
 * What a loaded model is, in the terms the UI and CLI show.
 *
 * @param family        the architecture family key, e.g. "gpt2", "llama", "gemma2", "bert"
 * @param modelType     config.json's model_type
 * @param architecture  config.json's architectures[0], e.g. "GPT2LMHeadModel"
 * @param causal        false for encoders (BERT), whose attention is bidirectional
 * @param maxPositions  the longest input the model accepts
 * @param parameters    number of parameters in the weights files
 * @param weightsDType  the dominant stored dtype, e.g. "F32", "BF16"
 * @param weightsBytes  bytes of tensor data on disk
 */
public record ModelInfo(Path folder, String family, String modelType, String architecture,
                        int layers, int heads, int kvHeads, int headDim, int hidden, int intermediate,
                        int vocab, int maxPositions, boolean causal,
                        long parameters, String weightsDType, long weightsBytes) {

    /** A short label such as "gpt2 · 12 layers × 12 heads · 124M params · F32". */
    public String summary() {
        return family + " · " + layers + " layers × " + heads + " heads · " + humanCount(parameters) + " params · "
                + weightsDType;
    }

    public static String humanCount(long n) {
        if (n >= 1_000_000_000L) {
            return String.format(java.util.Locale.ROOT, "%.1fB", n / 1e9);
        }
        if (n >= 1_000_000L) {
            return String.format(java.util.Locale.ROOT, "%.0fM", n / 1e6);
        }
        if (n >= 1_000L) {
            return String.format(java.util.Locale.ROOT, "%.0fK", n / 1e3);
        }
        return Long.toString(n);
    }
}
