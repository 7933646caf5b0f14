package dev.headlight.engine.arch;

import dev.headlight.format.config.ModelConfig;
import dev.headlight.format.config.RopeConfig;

/**
 * Rotary position embedding as transformers computes it: inverse frequencies in float32 from
 * {@code 1 / (theta ^ (arange(0, dim, 2) / dim))} (adjusted by the rope type), angles {@code pos * inv_freq} in
 * float32, and the rotate_half convention: dimension i pairs with i + dim/2. With partial rotary only the first
 * {@code dim} dimensions of each head rotate.
 */
final class Rope {
    private final int headDim;
    private final int dim;                 // rotating dimensions per head (even)
    private final float[] invFreq;         // [dim / 2]
    private final float[] longInvFreq;     // [dim / 2] longrope inverse frequencies past the original length, or null
    private final int originalMax;         // longrope: the length past which longInvFreq applies
    private final float attentionScaling;  // cos and sin are multiplied by this (longrope), else 1

    Rope(ModelConfig config) {
        RopeConfig rope = config.rope();
        this.headDim = config.headDim();
        this.dim = (int) (config.headDim() * rope.rotaryFraction());
        float base = (float) rope.theta();
        switch (rope.type()) {
            case "default" -> invFreq = defaultInvFreq(base, dim);
            case "linear" -> {
                invFreq = defaultInvFreq(base, dim);
                for (int i = 0; i < invFreq.length; i++) {
                    invFreq[i] /= (float) rope.factor();
                }
            }
            case "dynamic" -> {
                // NTK-aware base, recomputed for seq_len > max_position_embeddings; the engine refuses longer
                // inputs, so seq_len is max_position_embeddings and the base is unchanged.
                double seqLen = config.maxPositions();
                double factor = rope.factor();
                double scaled = rope.theta() * Math.pow(factor * seqLen / config.maxPositions() - (factor - 1),
                        (double) dim / (dim - 2));
                invFreq = defaultInvFreq((float) scaled, dim);
            }
            case "llama3" -> invFreq = llama3(defaultInvFreq(base, dim), rope);
            case "longrope" -> invFreq = longrope(base, dim, rope.shortFactor());
            default -> throw new IllegalStateException("rope type " + rope.type());
        }
        if (rope.type().equals("longrope")) {
            longInvFreq = longrope(base, dim, rope.longFactor());
            originalMax = rope.originalMaxPositions();
            double factor = rope.factor();
            double attention = !Double.isNaN(rope.attentionFactor()) ? rope.attentionFactor()
                    : factor <= 1.0 ? 1.0 : Math.sqrt(1 + Math.log(factor) / Math.log(originalMax));
            attentionScaling = (float) attention;
        } else {
            longInvFreq = null;
            originalMax = Integer.MAX_VALUE;
            attentionScaling = 1f;
        }
    }

    /** 1 / (base ^ (arange(0, dim, 2).float() / dim)), each step rounded to float32 as torch does. */
    private static float[] defaultInvFreq(float base, int dim) {
        float[] out = new float[dim / 2];
        for (int i = 0; i < out.length; i++) {
            float exponent = (float) (2 * i) / dim;
            out[i] = 1f / (float) Math.pow(base, exponent);
        }
        return out;
    }

    /** transformers' _compute_llama3_parameters, in float32. */
    private static float[] llama3(float[] invFreq, RopeConfig rope) {
        float factor = (float) rope.factor();
        float low = (float) rope.lowFreqFactor();
        float high = (float) rope.highFreqFactor();
        float oldContext = rope.originalMaxPositions();
        double lowFreqWavelen = rope.originalMaxPositions() / rope.lowFreqFactor();
        double highFreqWavelen = rope.originalMaxPositions() / rope.highFreqFactor();
        float[] out = new float[invFreq.length];
        for (int i = 0; i < invFreq.length; i++) {
            float wavelen = (float) (2 * Math.PI) / invFreq[i];
            float scaled = wavelen > lowFreqWavelen ? invFreq[i] / factor : invFreq[i];
            boolean medium = !(wavelen < highFreqWavelen) && !(wavelen > lowFreqWavelen);
            if (medium) {
                float smooth = (oldContext / wavelen - low) / (high - low);
                scaled = (1 - smooth) * scaled / factor + smooth * scaled;
            }
            out[i] = scaled;
        }
        return out;
    }

    /** 1 / (ext_factors * base ^ (arange(0, dim, 2).float() / dim)). */
    private static float[] longrope(float base, int dim, double[] factors) {
        float[] out = new float[dim / 2];
        for (int i = 0; i < out.length; i++) {
            float exponent = (float) (2 * i) / dim;
            out[i] = 1f / ((float) factors[i] * (float) Math.pow(base, exponent));
        }
        return out;
    }

    /** Whether prompts of these two lengths give their shared positions the same tables (longrope may not). */
    boolean sameTables(int tokensA, int tokensB) {
        return longInvFreq == null || (tokensA > originalMax) == (tokensB > originalMax);
    }

    /** The cos and sin tables for positions 0..tokens-1: {@code // [2][tokens][dim / 2]} (cos first). */
    float[][] tables(int tokens) {
        float[] freq = longInvFreq != null && tokens > originalMax ? longInvFreq : invFreq;
        int half = dim / 2;
        float[] cos = new float[tokens * half];
        float[] sin = new float[tokens * half];
        for (int t = 0; t < tokens; t++) {
            for (int i = 0; i < half; i++) {
                float angle = freq[i] * (float) t;
                cos[t * half + i] = (float) Math.cos(angle) * attentionScaling;
                sin[t * half + i] = (float) Math.sin(angle) * attentionScaling;
            }
        }
        return new float[][]{cos, sin};
    }

    /**
     * Rotates {@code x // [tokens][heads][headDim]} in place: for i < dim/2,
     * x[i] <- x[i] cos - x[i + dim/2] sin and x[i + dim/2] <- x[i + dim/2] cos + x[i] sin.
     */
    void apply(float[] x, int tokens, int heads, float[][] tables) {
        float[] cos = tables[0];
        float[] sin = tables[1];
        int half = dim / 2;
        for (int t = 0; t < tokens; t++) {
            for (int h = 0; h < heads; h++) {
                int base = (t * heads + h) * headDim;
                for (int i = 0; i < half; i++) {
                    float c = cos[t * half + i];
                    float s = sin[t * half + i];
                    float a = x[base + i];
                    float b = x[base + i + half];
                    x[base + i] = a * c + -b * s;
                    x[base + i + half] = b * c + a * s;
                }
            }
        }
    }
}
