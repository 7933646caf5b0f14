package dev.headlight.engine.arch;

import dev.headlight.engine.TensorPlacement.HeadSlice;
import dev.headlight.engine.kernel.Matrix;
import dev.headlight.format.config.ModelConfig;
import dev.headlight.format.safetensors.TensorStore;

import java.nio.file.Path;
import java.util.List;

/**
 * GPT-NeoX (Pythia). Fused query_key_value [3D][D] whose rows are interleaved per head (head h: q, k, v rows
 * consecutively); RoPE on the first rotary_pct of each head's dimensions only. With use_parallel_residual
 * (Pythia) attention and MLP both read the block input:
 * <pre>
 *   x = x + dense(attn(qkv(input_layernorm(x)))) + mlp(post_attention_layernorm(x))
 * </pre>
 * otherwise they run in sequence. MLP: dense_4h_to_h(gelu(dense_h_to_4h(h))). Output: final_layer_norm and the
 * untied embed_out.
 */
final class GptNeoXModel extends TransformerModel {
    private final Matrix tokenEmbedding; // [V][D]
    private final Layer[] blocks;        // [L]
    private final float[] finalNormW;    // [D]
    private final float[] finalNormB;    // [D]

    private record Layer(float[] ln1W, float[] ln1B,               // [D]
                         float[] ln2W, float[] ln2B,               // [D]
                         Matrix qkv, float[] qkvB,                 // [3D][D], [3D] (or null)
                         List<HeadSlice> qkvSlices,                // head h: rows [3h*hd, 3(h+1)*hd) = q | k | v
                         Matrix o, float[] oB,                     // [D][D], [D] (or null)
                         Matrix up, float[] upB,                   // [I][D], [I]
                         Matrix down, float[] downB) {             // [D][I], [D]
    }

    GptNeoXModel(Path folder, ModelConfig config, TensorStore store, Weights w) {
        super(folder, config, store, w);
        tokenEmbedding = w.matrix(-1, "embed.tokens");
        boolean bias = config.attentionBias();
        blocks = new Layer[layers];
        for (int l = 0; l < layers; l++) {
            if (!bias) {
                w.refuseIfPresent(l, "attn.qkv.bias", "attention_bias is false");
            }
            blocks[l] = new Layer(w.vector(l, "norm.attn"), w.vector(l, "norm.attn.bias"),
                    w.vector(l, "norm.mlp"), w.vector(l, "norm.mlp.bias"),
                    w.matrix(l, "attn.qkv"), bias ? w.vector(l, "attn.qkv.bias") : null,
                    w.headSlices(l, "attn.qkv"),
                    w.matrix(l, "attn.o"), bias ? w.vector(l, "attn.o.bias") : null,
                    w.matrix(l, "mlp.up"), w.vector(l, "mlp.up.bias"),
                    w.matrix(l, "mlp.down"), w.vector(l, "mlp.down.bias"));
        }
        finalNormW = w.vector(-1, "final_norm");
        finalNormB = w.vector(-1, "final_norm.bias");
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

        float[] attn = attention(l, x, tokens, pass, b.o, b.oB);                  // [T][D]
        float[] h = pass.buffer("h", n);                                        // [T][D]

        if (config.parallelResidual()) {
            Ops.layerNorm(x, tokens, hidden, b.ln2W, b.ln2B, eps, h);
            float[] mlp = mlp(b, h, tokens, pass);                               // [T][D]
            for (int i = 0; i < n; i++) {
                x[i] = (mlp[i] + attn[i]) + x[i];                                // HF: mlp + attn + residual
            }
            return x;
        }
        Ops.addInPlace(x, attn, n);                                              // attn + residual
        Ops.layerNorm(x, tokens, hidden, b.ln2W, b.ln2B, eps, h);
        float[] mlp = mlp(b, h, tokens, pass);
        Ops.addInPlace(x, mlp, n);
        return x;
    }

    /** dense_4h_to_h(act(dense_h_to_4h(h))): {@code h // [T][D]} -> {@code // [T][D]} (a pass buffer). */
    private float[] mlp(Layer b, float[] h, int tokens, Pass pass) {
        int inner = b.up.rows();
        float[] up = linear(h, tokens, b.up, b.upB, pass.buffer("up", tokens * inner)); // [T][I]
        Ops.activate(kernels, config.activation(), up, tokens * inner);
        return linear(up, tokens, b.down, b.downB, pass.buffer("mlp", tokens * hidden));
    }

    @Override
    public float[] readout(float[] hiddenStates, int tokens) {
        float[] h = new float[tokens * hidden];                             // [T][D]
        Ops.layerNorm(hiddenStates, tokens, hidden, finalNormW, finalNormB, config.normEps(), h);
        return h;
    }

    /** The attention LayerNorm, the fused q|k|v projection split per head, and partial rotary. */
    @Override
    protected float[][] attentionInputs(int l, float[] x, int tokens, Pass pass, boolean values) {
        Layer b = blocks[l];
        int heads = config.heads();
        int hd = config.headDim();
        float[] h = pass.buffer("h", tokens * hidden);                          // [T][D]
        Ops.layerNorm(x, tokens, hidden, b.ln1W, b.ln1B, config.normEps(), h);
        int width = b.qkv.rows();
        float[] qkv = linear(h, tokens, b.qkv, b.qkvB, pass.buffer("qkv", tokens * width)); // [T][3D] per head q|k|v
        float[] q = pass.buffer("q", tokens * heads * hd);                      // [T][H][hd]
        float[] k = pass.buffer("k", tokens * heads * hd);                      // [T][H][hd]
        float[] v = pass.buffer("v", tokens * heads * hd);                      // [T][H][hd] (fused: always made)
        Attention.unpack(qkv, tokens, width, b.qkvSlices, heads, heads, hd, q, k, v);
        float[][] cosSin = pass.ropeTables(tokens);                             // [2][T][rotaryDim/2]
        rope.apply(q, tokens, heads, cosSin);
        rope.apply(k, tokens, heads, cosSin);
        return new float[][]{q, k, v};
    }
}
