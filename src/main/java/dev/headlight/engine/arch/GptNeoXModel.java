package dev.headlight.engine.arch;

import dev.headlight.engine.TensorPlacement.HeadSlice;
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
    private final Layer[] blocks;        // [L]

    private record Layer(Norm ln1, Norm ln2,                       // input_ / post_attention_layernorm [D]
                         Projection qkv,                           // [3D][D], [3D] (or null)
                         List<HeadSlice> qkvSlices,                // head h: rows [3h*hd, 3(h+1)*hd) = q | k | v
                         Projection o,                             // [D][D], [D] (or null)
                         Projection up,                            // [I][D], [I]
                         Projection down) {                        // [D][I], [D]
    }

    GptNeoXModel(Path folder, ModelConfig config, TensorStore store, Weights w) {
        super(folder, config, store, w, w.layerNorm(-1, "final_norm"));
        boolean bias = config.attentionBias();
        blocks = new Layer[layers];
        for (int l = 0; l < layers; l++) {
            if (!bias) {
                w.refuseIfPresent(l, "attn.qkv.bias", "attention_bias is false");
            }
            blocks[l] = new Layer(w.layerNorm(l, "norm.attn"), w.layerNorm(l, "norm.mlp"),
                    w.projection(l, "attn.qkv", bias), w.headSlices(l, "attn.qkv"), w.projection(l, "attn.o", bias),
                    w.projection(l, "mlp.up", true), w.projection(l, "mlp.down", true));
        }
    }

    /** Adds the block's attention and MLP outputs to {@code x} in place (the caller has captured it). */
    @Override
    protected float[] block(int l, float[] x, int tokens, Pass pass) {
        Layer b = blocks[l];
        int n = tokens * hidden;
        float[] attn = attention(l, x, tokens, pass, b.o);                       // [T][D]
        float[] h = pass.buffer("h", n);                                        // [T][D]

        if (config.parallelResidual()) {
            b.ln2.apply(x, tokens, hidden, h);
            float[] mlp = mlp(h, tokens, b.up, b.down, pass, pass.buffer("mlp", n)); // [T][D]
            for (int i = 0; i < n; i++) {
                x[i] = (mlp[i] + attn[i]) + x[i];                                // HF: mlp + attn + residual
            }
            return x;
        }
        Ops.addInPlace(x, attn, n);                                              // attn + residual
        b.ln2.apply(x, tokens, hidden, h);
        float[] mlp = mlp(h, tokens, b.up, b.down, pass, pass.buffer("mlp", n));
        Ops.addInPlace(x, mlp, n);
        return x;
    }

    /** The attention LayerNorm, the fused q|k|v projection split per head, and partial rotary. */
    @Override
    protected float[][] attentionInputs(int l, float[] x, int tokens, Pass pass, boolean values) {
        Layer b = blocks[l];
        float[] h = b.ln1.apply(x, tokens, hidden, pass.buffer("h", tokens * hidden)); // [T][D]
        float[][] qkv = projectFusedQkv(h, tokens, b.qkv, b.qkvSlices, pass);       // rows per head q|k|v
        rotate(qkv[0], qkv[1], tokens, pass);
        return qkv;
    }
}
