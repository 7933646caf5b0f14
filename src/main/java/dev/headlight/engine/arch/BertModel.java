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
    private final Matrix wordEmbedding;     // [V][D]
    private final Matrix positionEmbedding; // [P][D]
    private final float[] typeZero;         // [D] token type 0's embedding (all inputs are segment 0)
    private final float[] embedNormW;       // [D]
    private final float[] embedNormB;       // [D]
    private final Layer[] blocks;           // [L]
    private final Matrix transform;         // [D][D]
    private final float[] transformB;       // [D]
    private final float[] headNormW;        // [D]
    private final float[] headNormB;        // [D]
    private final float[] decoderB;         // [V]

    private record Layer(Matrix q, float[] qB, Matrix k, float[] kB, Matrix v, float[] vB, // [D][D], [D]
                         Matrix o, float[] oB,                  // [D][D], [D]
                         float[] attnNormW, float[] attnNormB,  // [D]
                         Matrix up, float[] upB,                // [I][D], [I]
                         Matrix down, float[] downB,            // [D][I], [D]
                         float[] outNormW, float[] outNormB) {  // [D]
    }

    BertModel(Path folder, ModelConfig config, TensorStore store, Weights w) {
        super(folder, config, store, w);
        wordEmbedding = w.matrix(-1, "embed.tokens");
        positionEmbedding = w.matrix(-1, "embed.positions");
        Matrix types = w.matrix(-1, "embed.types");
        typeZero = new float[hidden];
        types.copyRow(0, typeZero, 0);
        embedNormW = w.vector(-1, "embed.norm");
        embedNormB = w.vector(-1, "embed.norm.bias");
        blocks = new Layer[layers];
        for (int l = 0; l < layers; l++) {
            blocks[l] = new Layer(w.matrix(l, "attn.q"), w.vector(l, "attn.q.bias"),
                    w.matrix(l, "attn.k"), w.vector(l, "attn.k.bias"),
                    w.matrix(l, "attn.v"), w.vector(l, "attn.v.bias"),
                    w.matrix(l, "attn.o"), w.vector(l, "attn.o.bias"),
                    w.vector(l, "norm.attn"), w.vector(l, "norm.attn.bias"),
                    w.matrix(l, "mlp.up"), w.vector(l, "mlp.up.bias"),
                    w.matrix(l, "mlp.down"), w.vector(l, "mlp.down.bias"),
                    w.vector(l, "norm.mlp"), w.vector(l, "norm.mlp.bias"));
        }
        transform = w.matrix(-1, "head.transform");
        transformB = w.vector(-1, "head.transform.bias");
        headNormW = w.vector(-1, "head.norm");
        headNormB = w.vector(-1, "head.norm.bias");
        decoderB = w.vector(-1, "unembed.bias");
    }

    @Override
    protected float[] embed(int[] ids, int firstPosition) {
        int tokens = ids.length;
        float[] x = lookup(wordEmbedding, ids);     // [T][D]
        float[] pos = new float[hidden];            // [D]
        for (int t = 0; t < tokens; t++) {
            positionEmbedding.copyRow(firstPosition + t, pos, 0);
            for (int i = 0; i < hidden; i++) {
                x[t * hidden + i] = (x[t * hidden + i] + typeZero[i]) + pos[i]; // HF: (word + type) + position
            }
        }
        Ops.layerNorm(x, tokens, hidden, embedNormW, embedNormB, config.normEps(), x);
        return x;
    }

    /** Post-norm block; its output overwrites {@code x} (the caller has captured it). */
    @Override
    protected float[] block(int l, float[] x, int tokens, Pass pass) {
        Layer b = blocks[l];
        double eps = config.normEps();
        int n = tokens * hidden;
        int inner = b.up.rows();
        float[] attn = attention(l, x, tokens, pass, b.o, b.oB);                    // [T][D]
        Ops.addInPlace(attn, x, n);
        Ops.layerNorm(attn, tokens, hidden, b.attnNormW, b.attnNormB, eps, attn);

        float[] up = linear(attn, tokens, b.up, b.upB, pass.buffer("up", tokens * inner)); // [T][I]
        Ops.activate(kernels, config.activation(), up, tokens * inner);
        float[] down = linear(up, tokens, b.down, b.downB, x);                       // [T][D], x no longer needed
        Ops.addInPlace(down, attn, n);
        Ops.layerNorm(down, tokens, hidden, b.outNormW, b.outNormB, eps, down);
        return down;
    }

    /** The MLM head's transform on the residual stream (BERT has no final norm). */
    @Override
    public float[] readout(float[] hiddenStates, int tokens) {
        float[] h = linear(hiddenStates, tokens, transform, transformB);        // [T][D]
        Ops.activate(kernels, config.activation(), h);
        Ops.layerNorm(h, tokens, hidden, headNormW, headNormB, config.normEps(), h);
        return h;
    }

    @Override
    protected float[] unembeddingBias() {
        return decoderB;
    }

    /** The q, k (and v) projections of the residual stream itself (BERT normalises after attention). */
    @Override
    protected float[][] attentionInputs(int l, float[] x, int tokens, Pass pass, boolean values) {
        Layer b = blocks[l];
        float[] q = linear(x, tokens, b.q, b.qB, pass.buffer("q", tokens * b.q.rows()));  // [T][H][hd]
        float[] k = linear(x, tokens, b.k, b.kB, pass.buffer("k", tokens * b.k.rows()));  // [T][H][hd]
        float[] v = values ? linear(x, tokens, b.v, b.vB, pass.buffer("v", tokens * b.v.rows())) : null;
        return new float[][]{q, k, v};
    }
}
