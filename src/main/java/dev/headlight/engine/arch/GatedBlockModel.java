package dev.headlight.engine.arch;

import dev.headlight.format.config.ModelConfig;
import dev.headlight.format.safetensors.TensorStore;

import java.nio.file.Path;

/**
 * The pre-norm block with RMSNorms, rotary q/k and a gated MLP, shared by {@link LlamaModel} and
 * {@link GemmaModel}; each family reads its own weights into a {@link Layer} and the forward pass is this one:
 * <pre>
 *   h = norm.attn(x)
 *   q, k, v = q(h), k(h), v(h);  q, k = q_norm(q), k_norm(k) (Qwen3);  q, k = rope(q), rope(k)
 *   x = x + post_attn_norm(o(attn(q, k, v)))                          post norm: Gemma 2 only
 *   x = x + post_mlp_norm(down(act(gate(h)) * up(h)))                 h = norm.mlp(x)
 * </pre>
 * Output: the final RMSNorm, then the unembedding.
 */
abstract class GatedBlockModel extends TransformerModel {
    private final Layer[] blocks;        // [L]

    /** One block's weights; absent parts (a family's optional norms) are null. */
    record Layer(Norm attnNorm,                            // [D]
                 Projection q, Projection k, Projection v, // [H*hd][D], [KV*hd][D], [KV*hd][D]
                 Norm qNorm, Norm kNorm,                   // per head [hd] (Qwen3) or null
                 Projection o,                             // [D][H*hd]
                 Norm attnPostNorm,                        // [D] (Gemma 2) or null
                 Norm mlpNorm,                             // [D]
                 Projection gate, Projection up,           // [I][D] each
                 Projection down,                          // [D][I]
                 Norm mlpPostNorm) {                       // [D] (Gemma 2) or null
    }

    /** Reads layer {@code l}'s weights for a family. */
    @FunctionalInterface
    interface LayerReader {
        Layer read(Weights w, ModelConfig config, int l);
    }

    /** {@code gemmaNorms}: the final RMSNorm scales by 1 + w. */
    GatedBlockModel(Path folder, ModelConfig config, TensorStore store, Weights w, LayerReader reader,
                    boolean gemmaNorms) {
        super(folder, config, store, w, w.rmsNorm(-1, "final_norm", gemmaNorms));
        blocks = new Layer[layers];
        for (int l = 0; l < layers; l++) {
            blocks[l] = reader.read(w, config, l);
        }
    }

    /** Adds the block's attention and MLP outputs to {@code x} in place (the caller has captured it). */
    @Override
    protected float[] block(int l, float[] x, int tokens, Pass pass) {
        Layer b = blocks[l];
        int n = tokens * hidden;
        float[] out = attention(l, x, tokens, pass, b.o);                            // [T][D]
        if (b.attnPostNorm != null) {
            b.attnPostNorm.apply(out, tokens, hidden, out);
        }
        Ops.addInPlace(x, out, n);                                                   // residual + attention

        float[] h = b.mlpNorm.apply(x, tokens, hidden, pass.buffer("h", n));         // [T][D]
        float[] gated = gatedHidden(h, tokens, b.gate, b.up, pass);                  // [T][I]
        float[] down = linear(gated, tokens, b.down, out);                           // [T][D]
        if (b.mlpPostNorm != null) {
            b.mlpPostNorm.apply(down, tokens, hidden, down);
        }
        Ops.addInPlace(x, down, n);                                                  // residual + MLP
        return x;
    }

    /** The attention RMSNorm, q, k (and v) projections, Qwen3's per-head norms and rotary. */
    @Override
    protected float[][] attentionInputs(int l, float[] x, int tokens, Pass pass, boolean values) {
        Layer b = blocks[l];
        float[] h = b.attnNorm.apply(x, tokens, hidden, pass.buffer("h", tokens * hidden)); // [T][D]
        float[][] qkv = projectQkv(h, tokens, b.q, b.k, b.v, values, pass);
        if (b.qNorm != null) {                                                       // Qwen3: RMSNorm per head
            int hd = config.headDim();
            b.qNorm.apply(qkv[0], tokens * config.heads(), hd, qkv[0]);
            b.kNorm.apply(qkv[1], tokens * config.kvHeads(), hd, qkv[1]);
        }
        rotate(qkv[0], qkv[1], tokens, pass);
        return qkv;
    }
}
