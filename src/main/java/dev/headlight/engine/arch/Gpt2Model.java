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
    private final Matrix positionEmbedding; // [P][D]
    private final Layer[] blocks;           // [L]

    private record Layer(Norm ln1,                          // [D]
                         Projection qkv,                    // [D][3D] Conv1D, [3D]
                         List<HeadSlice> qkvSlices,         // each head's q/k/v columns of qkv
                         Projection o,                      // [D][D] Conv1D, [D]
                         Norm ln2,                          // [D]
                         Projection up,                     // [D][I] Conv1D, [I]
                         Projection down) {                 // [I][D] Conv1D, [D]
    }

    Gpt2Model(Path folder, ModelConfig config, TensorStore store, Weights w) {
        super(folder, config, store, w, w.layerNorm(-1, "final_norm"));
        positionEmbedding = w.matrix(-1, "embed.positions");
        blocks = new Layer[layers];
        for (int l = 0; l < layers; l++) {
            blocks[l] = new Layer(w.layerNorm(l, "norm.attn"), w.projection(l, "attn.qkv", true),
                    w.headSlices(l, "attn.qkv"), w.projection(l, "attn.o", true), w.layerNorm(l, "norm.mlp"),
                    w.projection(l, "mlp.up", true), w.projection(l, "mlp.down", true));
        }
    }

    @Override
    protected float[] embed(int[] ids, int firstPosition) {
        float[] x = super.embed(ids, firstPosition);           // token embeddings [T][D]
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
        float[] attn = attention(l, x, tokens, pass, b.o);                   // [T][D]
        Ops.addInPlace(x, attn, n);                                          // residual + attention
        float[] h = b.ln2.apply(x, tokens, hidden, pass.buffer("h", n));     // [T][D]
        Ops.addInPlace(x, mlp(h, tokens, b.up, b.down, pass, attn), n);      // residual + MLP: c_proj(gelu(c_fc))
        return x;
    }

    @Override
    protected boolean outputProjectionInOut() {
        return true;
    }

    /** ln_1 and the fused c_attn projection split into per-head q, k, v. */
    @Override
    protected float[][] attentionInputs(int l, float[] x, int tokens, Pass pass, boolean values) {
        Layer b = blocks[l];
        float[] h = b.ln1.apply(x, tokens, hidden, pass.buffer("h", tokens * hidden)); // [T][D]
        return projectFusedQkv(h, tokens, b.qkv, b.qkvSlices, pass);
    }
}
