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
 * lm_head (or the embedding when tied).
 */
final class LlamaModel extends TransformerModel {
    private final Matrix tokenEmbedding; // [V][D]
    private final Layer[] blocks;        // [L]
    private final float[] finalNorm;     // [D]

    /** One block's weights; Phi-3's fused qkv_proj and gate_up_proj are read through row slices. */
    private record Layer(float[] attnNorm,                   // [D]
                         Matrix q, Matrix k, Matrix v,       // [H*hd][D], [KV*hd][D], [KV*hd][D]
                         float[] qB, float[] kB, float[] vB, // [H*hd], [KV*hd], [KV*hd] or null
                         float[] qNorm, float[] kNorm,       // Qwen3 [hd] or null
                         Matrix o, float[] oB,               // [D][H*hd], [D] or null
                         float[] mlpNorm,                    // [D]
                         Matrix gate, Matrix up,             // [I][D] each
                         float[] gateB, float[] upB, float[] downB, // Llama mlp_bias: [I], [I], [D] or null
                         Matrix down) {                      // [D][I]
    }

    LlamaModel(Path folder, ModelConfig config, TensorStore store, Weights w) {
        super(folder, config, store, w);
        Family family = config.family();
        tokenEmbedding = w.matrix(-1, "embed.tokens");
        boolean qkvBias = config.attentionBias();
        boolean oBias = config.attentionBias() && (family == Family.LLAMA || family == Family.QWEN3);
        boolean fused = family == Family.PHI3;
        boolean qkNorm = family == Family.QWEN3;
        blocks = new Layer[layers];
        for (int l = 0; l < layers; l++) {
            if (!qkvBias) {
                w.refuseIfPresent(l, "attn.q.bias", "attention_bias is false");
            }
            if (!oBias) {
                w.refuseIfPresent(l, "attn.o.bias", "the attention output projection has no bias");
            }
            if (!config.mlpBias()) {
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
            blocks[l] = new Layer(w.vector(l, "norm.attn"), q, k, v,
                    qkvBias ? w.vector(l, "attn.q.bias") : null,
                    qkvBias ? w.vector(l, "attn.k.bias") : null,
                    qkvBias ? w.vector(l, "attn.v.bias") : null,
                    qkNorm ? w.vector(l, "attn.q_norm") : null,
                    qkNorm ? w.vector(l, "attn.k_norm") : null,
                    w.matrix(l, "attn.o"), oBias ? w.vector(l, "attn.o.bias") : null,
                    w.vector(l, "norm.mlp"), gate, up,
                    config.mlpBias() ? w.vector(l, "mlp.gate.bias") : null,
                    config.mlpBias() ? w.vector(l, "mlp.up.bias") : null,
                    config.mlpBias() ? w.vector(l, "mlp.down.bias") : null,
                    w.matrix(l, "mlp.down"));
        }
        finalNorm = w.vector(-1, "final_norm");
    }

    @Override
    protected float[] embed(int[] ids, int firstPosition) {
        return lookup(tokenEmbedding, ids); // [T][D]
    }

    /** Adds the block's attention and MLP outputs to {@code x} in place (the caller has captured it). */
    @Override
    protected float[] block(int l, float[] x, int tokens, Pass pass) {
        Layer b = blocks[l];
        int n = tokens * hidden;
        double eps = config.normEps();

        float[] out = attention(l, x, tokens, pass, b.o, b.oB);                      // [T][D]
        Ops.addInPlace(x, out, n);                                                   // residual + attention

        float[] h = pass.buffer("h", n);                                             // [T][D]
        Ops.rmsNorm(x, tokens, hidden, b.mlpNorm, eps, false, h);
        float[] gated = gatedHidden(h, tokens, b.gate, b.gateB, b.up, b.upB, pass); // [T][I]
        float[] down = linear(gated, tokens, b.down, b.downB, out);                 // [T][D]
        Ops.addInPlace(x, down, n);                                                  // residual + MLP
        return x;
    }

    @Override
    public float[] readout(float[] hiddenStates, int tokens) {
        float[] h = new float[tokens * hidden];                          // [T][D]
        Ops.rmsNorm(hiddenStates, tokens, hidden, finalNorm, config.normEps(), false, h);
        return h;
    }

    /** The attention RMSNorm, q, k (and v) projections, Qwen3's per-head norms and rotary. */
    @Override
    protected float[][] attentionInputs(int l, float[] x, int tokens, Pass pass, boolean values) {
        Layer b = blocks[l];
        int heads = config.heads();
        int kvHeads = config.kvHeads();
        int hd = config.headDim();
        double eps = config.normEps();
        float[] h = pass.buffer("h", tokens * hidden);                               // [T][D]
        Ops.rmsNorm(x, tokens, hidden, b.attnNorm, eps, false, h);
        float[] q = linear(h, tokens, b.q, b.qB, pass.buffer("q", tokens * heads * hd));     // [T][H][hd]
        float[] k = linear(h, tokens, b.k, b.kB, pass.buffer("k", tokens * kvHeads * hd));   // [T][KV][hd]
        float[] v = values ? linear(h, tokens, b.v, b.vB, pass.buffer("v", tokens * kvHeads * hd)) : null;
        if (b.qNorm != null) {                                                       // Qwen3: RMSNorm per head
            Ops.rmsNorm(q, tokens * heads, hd, b.qNorm, eps, false, q);
            Ops.rmsNorm(k, tokens * kvHeads, hd, b.kNorm, eps, false, k);
        }
        float[][] cosSin = pass.ropeTables(tokens);                                  // [2][T][rotaryDim/2]
        rope.apply(q, tokens, heads, cosSin);
        rope.apply(k, tokens, kvHeads, cosSin);
        return new float[][]{q, k, v};
    }
}
