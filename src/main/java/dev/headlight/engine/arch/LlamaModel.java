package dev.headlight.engine.arch;

import dev.headlight.engine.kernel.Matrix;
import dev.headlight.format.config.Family;
import dev.headlight.format.config.ModelConfig;
import dev.headlight.format.safetensors.TensorStore;

import java.nio.file.Path;

/**
 * The Llama block, shared by Llama (SmolLM, TinyLlama, Llama 2/3), Mistral, Qwen2, Qwen3 and Phi-3. Pre-norm:
 * <pre>
 *   h = rmsnorm(x)                            w * (x * rsqrt(mean(x^2) + eps))
 *   q, k, v = q_proj(h), k_proj(h), v_proj(h) grouped-query: kvHeads <= heads
 *   q, k = rope(q), rope(k)                   rotate_half convention
 *   x = x + o_proj(attn(q, k, v))
 *   x = x + down_proj(silu(gate_proj(rmsnorm(x))) * up_proj(rmsnorm(x)))
 * </pre>
 * Variants: Qwen2 has q/k/v biases; Qwen3 RMS-normalizes each query and key head (q_norm, k_norm) before RoPE;
 * Phi-3 fuses q|k|v into qkv_proj (rows) and gate|up into gate_up_proj; Mistral and Phi-3 slide the attention
 * window when sliding_window is set; Llama 3 scales RoPE frequencies ("llama3"). Output: final RMSNorm and
 * lm_head (or the embedding when tied). The pass itself is {@link GatedBlockModel}'s; this class reads the weights.
 */
final class LlamaModel extends GatedBlockModel {

    LlamaModel(Path folder, ModelConfig config, TensorStore store, Weights w) {
        super(folder, config, store, w, LlamaModel::layer, false);
    }

    /** Layer {@code l}'s weights; Phi-3's fused qkv_proj and gate_up_proj are read through row slices. */
    private static Layer layer(Weights w, ModelConfig config, int l) {
        Family family = config.family();
        boolean qkvBias = config.attentionBias();
        boolean oBias = config.attentionBias() && (family == Family.LLAMA || family == Family.QWEN3);
        boolean fused = family == Family.PHI3;
        boolean qkNorm = family == Family.QWEN3;
        boolean mlpBias = config.mlpBias();
        if (!qkvBias) {
            w.refuseIfPresent(l, "attn.q.bias", "attention_bias is false");
        }
        if (!oBias) {
            w.refuseIfPresent(l, "attn.o.bias", "the attention output projection has no bias");
        }
        if (!mlpBias) {
            w.refuseIfPresent(l, "mlp.up.bias", "mlp_bias is false");
        }
        if (!qkNorm) {
            w.refuseIfPresent(l, "attn.q_norm", config.modelType() + " has no q_norm");
        }
        Matrix q;
        Matrix k;
        Matrix v;
        Matrix gate;
        Matrix up;
        if (fused) {
            // qkv_proj rows: [q heads | k heads | v heads]; gate_up_proj rows: [gate | up]
            Matrix qkv = w.matrix(l, "attn.qkv");                      // [(H+2KV)*hd][D]
            q = qkv.rowSlice(0, config.queryDim());
            k = qkv.rowSlice(config.queryDim(), config.kvDim());
            v = qkv.rowSlice(config.queryDim() + config.kvDim(), config.kvDim());
            Matrix gateUp = w.matrix(l, "mlp.gate_up");                // [2I][D]
            gate = gateUp.rowSlice(0, config.intermediate());
            up = gateUp.rowSlice(config.intermediate(), config.intermediate());
        } else {
            q = w.matrix(l, "attn.q");
            k = w.matrix(l, "attn.k");
            v = w.matrix(l, "attn.v");
            gate = w.matrix(l, "mlp.gate");
            up = w.matrix(l, "mlp.up");
        }
        return new Layer(w.rmsNorm(l, "norm.attn", false),
                new Projection(q, qkvBias ? w.vector(l, "attn.q.bias") : null),
                new Projection(k, qkvBias ? w.vector(l, "attn.k.bias") : null),
                new Projection(v, qkvBias ? w.vector(l, "attn.v.bias") : null),
                qkNorm ? w.rmsNorm(l, "attn.q_norm", false) : null,
                qkNorm ? w.rmsNorm(l, "attn.k_norm", false) : null,
                w.projection(l, "attn.o", oBias),
                null,
                w.rmsNorm(l, "norm.mlp", false),
                new Projection(gate, mlpBias ? w.vector(l, "mlp.gate.bias") : null),
                new Projection(up, mlpBias ? w.vector(l, "mlp.up.bias") : null),
                w.projection(l, "mlp.down", mlpBias),
                null);
    }
}
