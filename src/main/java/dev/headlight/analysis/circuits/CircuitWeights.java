package dev.headlight.analysis.circuits;

import dev.headlight.engine.Model;
import dev.headlight.engine.TensorPlacement;
import dev.headlight.engine.TensorPlacement.HeadSlice;
import dev.headlight.format.FormatException;
import dev.headlight.format.config.Family;
import dev.headlight.format.config.ModelConfig;
import dev.headlight.format.safetensors.Tensor;
import dev.headlight.format.safetensors.TensorStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The matrices the circuit scores read, taken from the stored tensors through the engine's
 * {@link TensorPlacement}s (fused or separate q/k/v, Conv1D [in, out] or Linear [out, in], grouped-query
 * attention) with each norm's per-channel weight folded into the matrices that read from it or that it is
 * applied to:
 * <ul>
 *   <li>the norm before attention (ln_1, input_layernorm) into W_Q, W_K, W_V (scales their d_model rows);</li>
 *   <li>Qwen3's per-head q_norm / k_norm into W_Q / W_K (scales their d_head columns);</li>
 *   <li>Gemma 2's post-attention norm (applied to the attention output) into W_O (scales its d_model columns);</li>
 *   <li>the final norm into W_U;</li>
 *   <li>Gemma and Gemma 2 norm weights enter as (1 + w).</li>
 * </ul>
 * Not folded: the pre-MLP norm (called post_attention_layernorm by Llama, Mistral, Qwen, Phi-3 and NeoX), Gemma 2's
 * feed-forward norms, and everything in BERT (post-norm). Ignored: norm biases, centring, the 1/rms scale, q/k/v/o
 * biases, every scalar factor (attention scaling, soft-caps, Gemma's sqrt(d) embedding scale) and rotary.
 *
 * @param family      the model's family
 * @param layers      the layers' factors, in order
 * @param vocab       V
 * @param dModel      d_model
 * @param embedding   W_E, the token embeddings (no positions)                 // [V][dModel]
 * @param unembedding W_U^T (one row per token, final norm folded), or null without a linear unembedding (BERT)
 *                    // [V][dModel]
 * @param tied        the unembedding is the embedding matrix (before folding the final norm)
 * @param finalNorm   the folded final norm's per-channel factor (ones when there is none) // [dModel]
 * @param positions   W_pos, learned absolute positions (GPT-2, BERT), or null      // [P][dModel]
 * @param causal      attention sees only earlier positions
 */
public record CircuitWeights(Family family, List<LayerFactors> layers, int vocab, int dModel, float[] embedding,
                             float[] unembedding, boolean tied, float[] finalNorm, float[] positions,
                             boolean causal) {

    public int heads() {
        return layers.getFirst().heads();
    }

    public int dHead() {
        return layers.getFirst().dHead();
    }

    public LayerFactors layer(int l) {
        return layers.get(l);
    }

    /** Positions of {@link #positions}, or 0. */
    public int positionCount() {
        return positions == null ? 0 : positions.length / dModel;
    }

    /**
     * About how many bytes of heap {@link #read} takes for a model of this configuration, from the configuration
     * alone (float32): W_E and W_U (a second, norm-folded copy even when tied), every layer's Q, K, V and O, and
     * W_pos (counted for every family: an upper bound). A caller uses it to decide whether reading the factors
     * before anyone asked for them would crowd the heap.
     */
    public static long heapBytes(ModelConfig config) {
        long d = config.hidden();
        long perLayer = d * (2L * config.queryDim() + 2L * config.kvDim());
        long floats = 2L * config.vocab() * d + config.layers() * perLayer + (long) config.maxPositions() * d;
        return Float.BYTES * floats;
    }

    /**
     * Reads and folds the factors of {@code model}'s stored weights: each tensor is widened from the mapped file
     * straight into its factor layout with its norm multiplied in, layers and row blocks of the (un)embedding on
     * every core.
     */
    public static CircuitWeights read(Model model) {
        ModelConfig config = model.config();
        Family family = config.family();
        TensorStore store = model.weights();
        Map<String, String> byRole = new HashMap<>();          // "layer:component" -> tensor name
        Map<String, List<HeadSlice>> slicesOf = new HashMap<>(); // tensor name -> head slices
        for (TensorPlacement p : model.tensorMap()) {
            if (!p.component().equals("buffer")) {
                byRole.putIfAbsent(p.layer() + ":" + p.component(), p.tensorName());
                slicesOf.put(p.tensorName(), p.headSlices());
            }
        }
        Reader reader = new Reader(store, byRole, slicesOf, config);
        boolean bert = family == Family.BERT;
        boolean gemma = family == Family.GEMMA || family == Family.GEMMA2;
        int d = config.hidden();
        Tensor embed = reader.tensor(reader.require(-1, "embed.tokens"));
        boolean tied = false;
        Tensor unembed = null;
        float[] finalNorm = ones(d);
        float[] unembedScale = null; // the final norm folded into W_U, when there is one
        if (!bert) {
            String name = byRole.get("-1:unembed");
            tied = name == null;
            unembed = tied ? embed : reader.tensor(name);
            if (byRole.containsKey("-1:final_norm")) {
                finalNorm = reader.norm(-1, "final_norm", gemma);
                unembedScale = finalNorm;
            }
        }
        float[] embedding = new float[Math.toIntExact(embed.elementCount())];
        float[] unembedding = unembed == null ? null : new float[Math.toIntExact(unembed.elementCount())];
        LayerFactors[] layers = new LayerFactors[config.layers()];
        List<Runnable> parts = new ArrayList<>();
        for (int l = 0; l < layers.length; l++) {
            int layer = l;
            parts.add(() -> layers[layer] = reader.layer(layer, bert, gemma));
        }
        addRowBlocks(parts, embed, embedding, null);
        if (unembed != null) {
            addRowBlocks(parts, unembed, unembedding, unembedScale);
        }
        parts.parallelStream().forEach(Runnable::run);
        String positions = byRole.get("-1:embed.positions");
        float[] pos = positions == null ? null : reader.tensor(positions).toFloats();
        return new CircuitWeights(family, new ArrayList<>(List.of(layers)), config.vocab(), d, embedding,
                unembedding, tied, finalNorm, pos, config.causal());
    }

    /** Rows of a [V][d] matrix in blocks (one work item each), times {@code columnScale} when not null. */
    private static void addRowBlocks(List<Runnable> parts, Tensor t, float[] dst, float[] columnScale) {
        int rows = (int) t.dim(0);
        int cols = (int) t.dim(1);
        int block = 2048;
        for (int r0 = 0; r0 < rows; r0 += block) {
            int from = r0;
            int count = Math.min(block, rows - r0);
            parts.add(() -> StoredFloats.rows(t, from, count, dst, from * cols, columnScale));
        }
    }

    private static float[] ones(int n) {
        float[] out = new float[n];
        java.util.Arrays.fill(out, 1f);
        return out;
    }

    /** Reads head slices of stored tensors as [dHead][dModel] blocks. */
    private record Reader(TensorStore store, Map<String, String> byRole, Map<String, List<HeadSlice>> slicesOf,
                          ModelConfig config) {

        String require(int layer, String component) {
            String name = byRole.get(layer + ":" + component);
            if (name == null) {
                throw new FormatException(store.folder(), "has no " + component + " tensor"
                        + (layer >= 0 ? " for layer " + layer : "") + " (needed for the circuit scores)");
            }
            return name;
        }

        Tensor tensor(String name) {
            return store.tensor(name);
        }

        float[] norm(int layer, String component, boolean gemma) {
            float[] w = tensor(require(layer, component)).toFloats();
            if (gemma) {
                for (int i = 0; i < w.length; i++) {
                    w[i] = 1f + w[i];
                }
            }
            return w;
        }

        LayerFactors layer(int l, boolean bert, boolean gemma) {
            int h = config.heads();
            int kv = config.kvHeads();
            int dh = config.headDim();
            int d = config.hidden();
            float[] q = new float[h * dh * d];
            float[] k = new float[kv * dh * d];
            float[] v = new float[kv * dh * d];
            float[] o = new float[h * dh * d];
            // the norms folded on the way in, each over d_model: the input norm into W_Q, W_K, W_V, Gemma 2's
            // post-attention norm into W_O
            float[] inputNorm = bert ? null : norm(l, "norm.attn", gemma);
            float[] outputNorm = !bert && byRole.containsKey(l + ":norm.attn.post")
                    ? norm(l, "norm.attn.post", gemma) : null;
            String fused = byRole.get(l + ":attn.qkv");
            if (fused != null) {
                readSlices(fused, q, k, v, inputNorm);
            } else {
                readSlices(require(l, "attn.q"), q, null, null, inputNorm);
                readSlices(require(l, "attn.k"), null, k, null, inputNorm);
                readSlices(require(l, "attn.v"), null, null, v, inputNorm);
            }
            String out = require(l, "attn.o");
            Tensor oTensor = tensor(out);
            for (HeadSlice s : slicesOf.get(out)) {
                readBlock(oTensor, s, o, s.head() * dh * d, dh, d, outputNorm);
            }
            if (!bert && byRole.containsKey(l + ":attn.q_norm")) {
                scaleRows(q, d, dh, norm(l, "attn.q_norm", gemma));
                scaleRows(k, d, dh, norm(l, "attn.k_norm", gemma));
            }
            return new LayerFactors(h, kv, dh, d, q, k, v, o);
        }

        /** Row r of each [dHead][dModel] block scaled by perRow[r % dHead] (a per-head norm over d_head). */
        private static void scaleRows(float[] m, int cols, int dHead, float[] perRow) {
            for (int row = 0; row < m.length / cols; row++) {
                float s = perRow[row % dHead];
                for (int i = row * cols; i < (row + 1) * cols; i++) {
                    m[i] *= s;
                }
            }
        }

        private void readSlices(String name, float[] q, float[] k, float[] v, float[] dModelScale) {
            Tensor t = tensor(name);
            int dh = config.headDim();
            int d = config.hidden();
            for (HeadSlice s : slicesOf.get(name)) {
                float[] dst = switch (s.part()) {
                    case "q" -> q;
                    case "k" -> k;
                    case "v" -> v;
                    default -> null;
                };
                if (dst != null) {
                    readBlock(t, s, dst, s.head() * dh * d, dh, d, dModelScale);
                }
            }
        }

        /**
         * A head slice as [dHead][dModel], each element times {@code dModelScale} (may be null) of its d_model
         * index: a slice of rows is those rows; a slice of columns is those columns, one output row per column.
         * (Linear q/k/v [out, in] and Conv1D c_proj [in, out] slice rows; Conv1D c_attn [in, out] and Linear
         * o_proj [out, in] slice columns: either way a block row runs over d_model.)
         */
        private static void readBlock(Tensor t, HeadSlice s, float[] dst, int offset, int dh, int d,
                                      float[] dModelScale) {
            if (s.to() - s.from() != dh) {
                throw new IllegalArgumentException("head slice of " + (s.to() - s.from()) + " in " + t.name());
            }
            if (s.axis() == TensorPlacement.Axis.ROWS) {
                if (t.dim(1) != d) {
                    throw new IllegalArgumentException(t.name() + " rows are not d_model wide");
                }
                StoredFloats.rows(t, s.from(), dh, dst, offset, dModelScale);
            } else {
                if (t.dim(0) != d) {
                    throw new IllegalArgumentException(t.name() + " columns are not d_model long");
                }
                StoredFloats.columnsTransposed(t, s.from(), dh, dst, offset, dModelScale);
            }
        }
    }
}
