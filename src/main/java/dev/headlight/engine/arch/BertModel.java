package dev.headlight.engine.arch;

import dev.headlight.engine.kernel.Matrix;
import dev.headlight.format.config.ModelConfig;
import dev.headlight.format.safetensors.TensorStore;

import java.nio.file.Path;

/**
 * BERT (BertForMaskedLM), an encoder: attention is bidirectional (no causal mask). Embedding:
 * LayerNorm(word + token_type[0] + position). Post-norm block:
 * <pre>
 *   x = LayerNorm(x + dense(attn(query(x), key(x), value(x))))      attention.output.LayerNorm
 *   x = LayerNorm(x + output.dense(gelu(intermediate.dense(x))))     output.LayerNorm
 * </pre>
 * There is no final norm: the residual stream entering layer l is layer l-1's output. The output head is the
 * MLM head: decoder(LayerNorm(gelu(transform.dense(x)))) + bias, the decoder tied to the word embeddings.
 */
final class BertModel extends TransformerModel {
    private final Matrix positionEmbedding; // [P][D]
    private final float[] typeZero;         // [D] token type 0's embedding (all inputs are segment 0)
    private final Norm embedNorm;           // [D]
    private final Layer[] blocks;           // [L]
    private final Projection transform;     // [D][D], [D]
    private final Norm headNorm;            // [D]
    private final float[] decoderB;         // [V]

    private record Layer(Projection q, Projection k, Projection v, // [D][D], [D]
                         Projection o,                  // [D][D], [D]
                         Norm attnNorm,                 // [D]
                         Projection up,                 // [I][D], [I]
                         Projection down,               // [D][I], [D]
                         Norm outNorm) {                // [D]
    }

    BertModel(Path folder, ModelConfig config, TensorStore store, Weights w) {
        super(folder, config, store, w, null);
        positionEmbedding = w.matrix(-1, "embed.positions");
        Matrix types = w.matrix(-1, "embed.types");
        typeZero = new float[hidden];
        types.copyRow(0, typeZero, 0);
        embedNorm = w.layerNorm(-1, "embed.norm");
        blocks = new Layer[layers];
        for (int l = 0; l < layers; l++) {
            blocks[l] = new Layer(w.projection(l, "attn.q", true), w.projection(l, "attn.k", true),
                    w.projection(l, "attn.v", true), w.projection(l, "attn.o", true), w.layerNorm(l, "norm.attn"),
                    w.projection(l, "mlp.up", true), w.projection(l, "mlp.down", true), w.layerNorm(l, "norm.mlp"));
        }
        transform = w.projection(-1, "head.transform", true);
        headNorm = w.layerNorm(-1, "head.norm");
        decoderB = w.vector(-1, "unembed.bias");
    }

    @Override
    protected float[] embed(int[] ids, int firstPosition) {
        int tokens = ids.length;
        float[] x = super.embed(ids, firstPosition); // word embeddings [T][D]
        float[] pos = new float[hidden];            // [D]
        for (int t = 0; t < tokens; t++) {
            positionEmbedding.copyRow(firstPosition + t, pos, 0);
            for (int i = 0; i < hidden; i++) {
                x[t * hidden + i] = (x[t * hidden + i] + typeZero[i]) + pos[i]; // HF: (word + type) + position
            }
        }
        return embedNorm.apply(x, tokens, hidden, x);
    }

    /** Post-norm block; its output overwrites {@code x} (the caller has captured it). */
    @Override
    protected float[] block(int l, float[] x, int tokens, Pass pass) {
        Layer b = blocks[l];
        int n = tokens * hidden;
        float[] attn = attention(l, x, tokens, pass, b.o);                          // [T][D]
        Ops.addInPlace(attn, x, n);
        b.attnNorm.apply(attn, tokens, hidden, attn);

        float[] down = mlp(attn, tokens, b.up, b.down, pass, x);                    // [T][D], x no longer needed
        Ops.addInPlace(down, attn, n);
        return b.outNorm.apply(down, tokens, hidden, down);
    }

    /** The MLM head's transform on the residual stream (BERT has no final norm). */
    @Override
    public float[] readout(float[] hiddenStates, int tokens) {
        float[] h = linear(hiddenStates, tokens, transform, new float[tokens * hidden]); // [T][D]
        Ops.activate(kernels, config.activation(), h);
        return headNorm.apply(h, tokens, hidden, h);
    }

    @Override
    protected float[] unembeddingBias() {
        return decoderB;
    }

    /** The q, k (and v) projections of the residual stream itself (BERT normalises after attention). */
    @Override
    protected float[][] attentionInputs(int l, float[] x, int tokens, Pass pass, boolean values) {
        Layer b = blocks[l];
        return projectQkv(x, tokens, b.q, b.k, b.v, values, pass);
    }
}
