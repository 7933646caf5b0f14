package dev.headlight.engine.arch;

import dev.headlight.format.config.Family;
import dev.headlight.format.config.ModelConfig;
import dev.headlight.format.safetensors.TensorStore;

import java.nio.file.Path;

/**
 * Gemma and Gemma 2. Embeddings are multiplied by sqrt(hidden) (a float32 constant, as HF casts it to the
 * activation dtype); every RMSNorm scales by (1 + w); the MLP is GeGLU with gelu_pytorch_tanh. Gemma 2's block
 * wraps both sublayers in pre- and post-norms:
 * <pre>
 *   x = x + post_attention_layernorm(o_proj(attn(rope(q), rope(k), v)))   of input_layernorm(x)
 *   x = x + post_feedforward_layernorm(down(gelu_tanh(gate(h)) * up(h)))   h = pre_feedforward_layernorm(x)
 * </pre>
 * Gemma 2 attention scales scores by query_pre_attn_scalar^-0.5, soft-caps them (tanh(s/50)*50) before the
 * mask, and alternates sliding-window (even layers, or as layer_types says) and full attention; the final logits
 * are soft-capped too (tanh(z/30)*30). Gemma (1) is the Llama block with Gemma's norms, GeGLU and scaled
 * embeddings: the pass is {@link GatedBlockModel}'s. The unembedding is tied to the embeddings.
 */
final class GemmaModel extends GatedBlockModel {
    private final float embedScale;      // sqrt(D) rounded to float32

    GemmaModel(Path folder, ModelConfig config, TensorStore store, Weights w) {
        super(folder, config, store, w, GemmaModel::layer, true);
        embedScale = (float) Math.sqrt(config.hidden());
    }

    private static Layer layer(Weights w, ModelConfig config, int l) {
        boolean gemma2 = config.family() == Family.GEMMA2;
        boolean bias = config.attentionBias();
        if (!bias) {
            w.refuseIfPresent(l, "attn.q.bias", "attention_bias is false");
        }
        return new Layer(w.rmsNorm(l, "norm.attn", true),
                w.projection(l, "attn.q", bias), w.projection(l, "attn.k", bias), w.projection(l, "attn.v", bias),
                null, null,
                w.projection(l, "attn.o", bias),
                gemma2 ? w.rmsNorm(l, "norm.attn.post", true) : null,
                w.rmsNorm(l, "norm.mlp", true),
                w.projection(l, "mlp.gate", false), w.projection(l, "mlp.up", false),
                w.projection(l, "mlp.down", false),
                gemma2 ? w.rmsNorm(l, "norm.mlp.post", true) : null);
    }

    @Override
    protected float[] embed(int[] ids, int firstPosition) {
        float[] x = super.embed(ids, firstPosition); // [T][D]
        for (int i = 0; i < x.length; i++) {
            x[i] *= embedScale;
        }
        return x;
    }
}
