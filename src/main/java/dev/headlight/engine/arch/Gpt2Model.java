package dev.headlight.engine.arch;

import dev.headlight.engine.TensorPlacement.HeadSlice;
import dev.headlight.engine.kernel.Matrix;
import dev.headlight.format.config.ModelConfig;
import dev.headlight.format.safetensors.TensorStore;

import java.nio.file.Path;
import java.util.List;

/**
 * GPT-2 (GPT2LMHeadModel). Embedding: token + learned position. Block (pre-norm):
 * <pre>
 *   x = x + c_proj(attn(c_attn(ln_1(x))))        c_attn fused [D, 3D] Conv1D: columns q | k | v
 *   x = x + mlp.c_proj(gelu_new(c_fc(ln_2(x))))
 * </pre>
 * Output: ln_f, then the unembedding tied to wte. Weights are Conv1D, stored [in][out]. Scores are scaled by
 * 1/sqrt(headDim) (and 1/(layer + 1) with scale_attn_by_inverse_layer_idx). Older hub files without the
 * "transformer." prefix and with legacy attn.bias / attn.masked_bias buffers load the same way.
 */
final class Gpt2Model extends TransformerModel {
    private final Matrix tokenEmbedding;    // [V][D]
    private final Matrix positionEmbedding; // [P][D]
    private final Layer[] blocks;           // [L]
    private final float[] finalNormW;       // [D]
    private final float[] finalNormB;       // [D]

    private record Layer(float[] ln1W, float[] ln1B,        // [D]
                         Matrix qkv, float[] qkvB,          // [D][3D] Conv1D, [3D]
                         List<HeadSlice> qkvSlices,         // each head's q/k/v columns of qkv
                         Matrix o, float[] oB,              // [D][D] Conv1D, [D]
                         float[] ln2W, float[] ln2B,        // [D]
                         Matrix up, float[] upB,            // [D][I] Conv1D, [I]
                         Matrix down, float[] downB) {      // [I][D] Conv1D, [D]
    }

    Gpt2Model(Path folder, ModelConfig config, TensorStore store, Weights w) {
        super(folder, config, store, w);
        tokenEmbedding = w.matrix(-1, "embed.tokens");
        positionEmbedding = w.matrix(-1, "embed.positions");
        blocks = new Layer[layers];
        for (int l = 0; l < layers; l++) {
            blocks[l] = new Layer(w.vector(l, "norm.attn"), w.vector(l, "norm.attn.bias"),
                    w.matrix(l, "attn.qkv"), w.vector(l, "attn.qkv.bias"), w.headSlices(l, "attn.qkv"),
                    w.matrix(l, "attn.o"), w.vector(l, "attn.o.bias"),
                    w.vector(l, "norm.mlp"), w.vector(l, "norm.mlp.bias"),
                    w.matrix(l, "mlp.up"), w.vector(l, "mlp.up.bias"),
                    w.matrix(l, "mlp.down"), w.vector(l, "mlp.down.bias"));
        }
        finalNormW = w.vector(-1, "final_norm");
        finalNormB = w.vector(-1, "final_norm.bias");
    }

    @Override
    protected float[] embed(int[] ids, int firstPosition) {
        float[] x = lookup(tokenEmbedding, ids);               // [T][D]
        float[] pos = new float[hidden];                       // [D]
        for (int t = 0; t < ids.length; t++) {
            positionEmbedding.copyRow(firstPosition + t, pos, 0);
            for (int i = 0; i < hidden; i++) {
                x[t * hidden + i] += pos[i];
            }
        }
        return x;
    }

    /** Adds the block's attention and MLP outputs to {@code x} in place (the caller has captured it). */
    @Override
    protected float[] block(int l, float[] x, int tokens, Pass pass) {
        Layer b = blocks[l];
        int n = tokens * hidden;
        int inner = b.up.cols();
        float[] attn = attention(l, x, tokens, pass, b.o, b.oB);             // [T][D]
        Ops.addInPlace(x, attn, n);                                          // residual + attention

        float[] h = pass.buffer("h", n);                                     // [T][D]
        Ops.layerNorm(x, tokens, hidden, b.ln2W, b.ln2B, config.normEps(), h);
        float[] up = linearInOut(h, tokens, b.up, b.upB, pass.buffer("up", tokens * inner)); // [T][I]
        Ops.activate(kernels, config.activation(), up, tokens * inner);
        float[] down = linearInOut(up, tokens, b.down, b.downB, attn);       // [T][D]
        Ops.addInPlace(x, down, n);                                          // residual + MLP
        return x;
    }

    @Override
    public float[] readout(float[] hiddenStates, int tokens) {
        float[] h = new float[tokens * hidden];                              // [T][D]
        Ops.layerNorm(hiddenStates, tokens, hidden, finalNormW, finalNormB, config.normEps(), h);
        return h;
    }

    @Override
    protected boolean outputProjectionInOut() {
        return true;
    }

    /** ln_1 and the fused c_attn projection split into per-head q, k, v. */
    @Override
    protected float[][] attentionInputs(int l, float[] x, int tokens, Pass pass, boolean values) {
        Layer b = blocks[l];
        int hd = config.headDim();
        int heads = config.heads();
        int width = b.qkv.cols();
        float[] h = pass.buffer("h", tokens * hidden);                       // [T][D]
        Ops.layerNorm(x, tokens, hidden, b.ln1W, b.ln1B, config.normEps(), h);
        float[] qkv = linearInOut(h, tokens, b.qkv, b.qkvB, pass.buffer("qkv", tokens * width)); // [T][3D]
        float[] q = pass.buffer("q", tokens * heads * hd);                   // [T][H][hd]
        float[] k = pass.buffer("k", tokens * heads * hd);                   // [T][H][hd]
        float[] v = pass.buffer("v", tokens * heads * hd);                   // [T][H][hd] (fused: always made)
        Attention.unpack(qkv, tokens, width, b.qkvSlices, heads, heads, hd, q, k, v);
        return new float[][]{q, k, v};
    }
}
