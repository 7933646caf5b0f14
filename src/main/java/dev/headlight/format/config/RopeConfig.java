package dev.headlight.format.config;

/**
 * Rotary position embedding settings, from transformers 5's {@code rope_parameters} or the older top-level
 * {@code rope_theta} + {@code rope_scaling}.
 *
 * @param theta            the base (rope_theta; GPT-NeoX's rotary_emb_base)
 * @param type             "default", "linear", "dynamic", "llama3" or "longrope"
 * @param rotaryFraction   the fraction of each head's dimensions that rotate (partial_rotary_factor, rotary_pct)
 * @param factor           scaling factor (linear, dynamic, llama3; 1 when unused)
 * @param lowFreqFactor    llama3 low_freq_factor
 * @param highFreqFactor   llama3 high_freq_factor
 * @param originalMaxPositions original_max_position_embeddings (llama3, dynamic, longrope)
 * @param shortFactor      longrope per-frequency factors for short inputs, or null   // [rotaryDim / 2]
 * @param longFactor       longrope per-frequency factors for long inputs, or null    // [rotaryDim / 2]
 * @param attentionFactor  longrope attention_factor when given, else NaN (computed from the factor)
 */
public record RopeConfig(double theta, String type, double rotaryFraction, double factor,
                         double lowFreqFactor, double highFreqFactor, int originalMaxPositions,
                         double[] shortFactor, double[] longFactor, double attentionFactor) {

    public static final String SUPPORTED_TYPES = "default, linear, dynamic, llama3, longrope";

    public static RopeConfig plain(double theta, double rotaryFraction) {
        return new RopeConfig(theta, "default", rotaryFraction, 1, 1, 4, 0, null, null, Double.NaN);
    }
}
