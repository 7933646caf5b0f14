package dev.headlight.engine.arch;

import dev.headlight.engine.kernel.Matrix;
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
 * embeddings. The unembedding is tied to the embeddings.
 */
final class GemmaModel extends TransformerModel {
    private final Matrix tokenEmbedding; // [V][D]
    private final Layer[] blocks;        // [L]
    private final float[] finalNorm;     // [D]
    private final boolean gemma2;
    private final float embedScale;      // sqrt(D) rounded to float32

    private record Layer(float[] attnNorm,                 // [D]
                         Matrix q, Matrix k, Matrix v,     // [H*hd][D], [KV*hd][D], [KV*hd][D]
                         Matrix o,                         // [D][H*hd]
                         float[] qB, float[] kB, float[] vB, float[] oB, // attention_bias: [H*hd], [KV*hd] x2, [D]; else null
                         float[] attnPostNorm,             // [D] Gemma 2, else null
                         float[] mlpNorm,                  // [D]
                         Matrix gate, Matrix up, Matrix down, // [I][D], [I][D], [D][I]
                         float[] mlpPostNorm) {            // [D] Gemma 2, else null
    }

    GemmaModel(Path folder, ModelConfig config, TensorStore store, Weights w) {
        super(folder, config, store, w);
        gemma2 = config.family() == Family.GEMMA2;
        tokenEmbedding = w.matrix(-1, "embed.tokens");
        blocks = new Layer[layers];
        boolean bias = config.attentionBias();
        for (int l = 0; l < layers; l++) {
            if (!bias) {
                w.refuseIfPresent(l, "attn.q.bias", "attention_bias is false");
            }
            blocks[l] = new Layer(w.vector(l, "norm.attn"),
                    w.matrix(l, "attn.q"), w.matrix(l, "attn.k"), w.matrix(l, "attn.v"), w.matrix(l, "attn.o"),
                    bias ? w.vector(l, "attn.q.bias") : null, bias ? w.vector(l, "attn.k.bias") : null,
                    bias ? w.vector(l, "attn.v.bias") : null, bias ? w.vector(l, "attn.o.bias") : null,
                    gemma2 ? w.vector(l, "norm.attn.post") : null,
                    w.vector(l, "norm.mlp"),
                    w.matrix(l, "mlp.gate"), w.matrix(l, "mlp.up"), w.matrix(l, "mlp.down"),
                    gemma2 ? w.vector(l, "norm.mlp.post") : null);
        }
        finalNorm = w.vector(-1, "final_norm");
        embedScale = (float) Math.sqrt(config.hidden());
    }

    @Override
    protected float[] embed(int[] ids, int firstPosition) {
        float[] x = lookup(tokenEmbedding, ids); // [T][D]
        for (int i = 0; i < x.length; i++) {
            x[i] *= embedScale;
        }
        return x;
    }

    /** Adds the block's attention and MLP outputs to {@code x} in place (the caller has captured it). */
    @Override
    protected float[] block(int l, float[] x, int tokens, Pass pass) {
        Layer b = blocks[l];
        int n = tokens * hidden;
        double eps = config.normEps();

        float[] out = attention(l, x, tokens, pass, b.o, b.oB);                   // [T][D]
        if (gemma2) {
            Ops.rmsNorm(out, tokens, hidden, b.attnPostNorm, eps, true, out);
        }
        Ops.addInPlace(x, out, n);                                                // residual + attention

        float[] h = pass.buffer("h", n);                                          // [T][D]
        Ops.rmsNorm(x, tokens, hidden, b.mlpNorm, eps, true, h);
        float[] gated = gatedHidden(h, tokens, b.gate, null, b.up, null, pass);   // [T][I]
        float[] down = linear(gated, tokens, b.down, null, out);                 // [T][D]
        if (gemma2) {
            Ops.rmsNorm(down, tokens, hidden, b.mlpPostNorm, eps, true, down);
        }
        Ops.addInPlace(x, down, n);                                               // residual + MLP
        return x;
    }

    @Override
    public float[] readout(float[] hiddenStates, int tokens) {
        float[] h = new float[tokens * hidden];                           // [T][D]
        Ops.rmsNorm(hiddenStates, tokens, hidden, finalNorm, config.normEps(), true, h);
        return h;
    }

    /** The attention RMSNorm (1 + w), q, k (and v) projections and rotary. */
    @Override
    protected float[][] attentionInputs(int l, float[] x, int tokens, Pass pass, boolean values) {
        Layer b = blocks[l];
        float[] h = pass.buffer("h", tokens * hidden);                            // [T][D]
        Ops.rmsNorm(x, tokens, hidden, b.attnNorm, config.normEps(), true, h);
        float[] q = linear(h, tokens, b.q, b.qB, pass.buffer("q", tokens * b.q.rows()));  // [T][H][hd]
        float[] k = linear(h, tokens, b.k, b.kB, pass.buffer("k", tokens * b.k.rows()));  // [T][KV][hd]
        float[] v = values ? linear(h, tokens, b.v, b.vB, pass.buffer("v", tokens * b.v.rows())) : null;
        float[][] cosSin = pass.ropeTables(tokens);                               // [2][T][hd/2]
        rope.apply(q, tokens, config.heads(), cosSin);
        rope.apply(k, tokens, config.kvHeads(), cosSin);
        return new float[][]{q, k, v};
    }
}
