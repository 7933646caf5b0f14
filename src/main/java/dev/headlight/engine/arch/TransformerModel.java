package dev.headlight.engine.arch;

import dev.headlight.engine.AttentionMaps;
import dev.headlight.engine.Model;
import dev.headlight.engine.ModelInfo;
import dev.headlight.engine.RunOptions;
import dev.headlight.engine.TensorPlacement;
import dev.headlight.engine.Trace;
import dev.headlight.engine.kernel.Kernels;
import dev.headlight.engine.kernel.Matrix;
import dev.headlight.format.FormatException;
import dev.headlight.format.config.ModelConfig;
import dev.headlight.format.safetensors.TensorStore;
import dev.headlight.format.tokenizer.Tokenizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * What every family shares: the layer loop with its captures (residual stream, attention maps, logits), hooks,
 * progress and cancellation, input checks, the tokenizer and the head projection. A family supplies its
 * embedding, one block, and its output head. All per-run state lives in locals, so concurrent runs are safe.
 */
public abstract class TransformerModel implements Model {
    protected final ModelConfig config;
    protected final Weights weights;
    protected final Kernels kernels = Kernels.best();
    protected final int hidden;   // D
    protected final int layers;   // L
    private final TensorStore store;
    private final ModelInfo info;
    private final Path tokenizerFile;
    private volatile Tokenizer tokenizer;

    protected TransformerModel(Path folder, ModelConfig config, TensorStore store, Weights weights) {
        this.config = config;
        this.store = store;
        this.weights = weights;
        this.hidden = config.hidden();
        this.layers = config.layers();
        this.info = new ModelInfo(folder, config.family().modelType(), config.modelType(), config.architecture(),
                config.layers(), config.heads(), config.kvHeads(), config.headDim(), config.hidden(),
                config.intermediate(), config.vocab(), config.maxPositions(), config.causal(),
                weights.parameters(), weights.dominantDType(), store.dataBytes());
        this.tokenizerFile = folder.resolve("tokenizer.json");
        if (Files.isRegularFile(tokenizerFile)) {
            try {
                tokenizer = Tokenizer.load(tokenizerFile);
            } catch (UnsupportedOperationException notYet) {
                tokenizer = null; // tokenizer implementation not available yet: loaded on first use
            }
        }
    }

    /** Token (and position) embeddings of the input: {@code ids // [T]} -> {@code // [T][D]}. */
    protected abstract float[] embed(int[] ids);

    /** One transformer block: {@code x // [T][D]} entering layer {@code layer} -> its output {@code // [T][D]}. */
    protected abstract float[] block(int layer, float[] x, int tokens, Pass pass);

    /** The unembedding (tied or not): {@code // [V][D]}, stored as torch.nn.Linear. */
    protected abstract Matrix unembeddingMatrix();

    /** The unembedding bias {@code // [V]}, or null (only BERT's MLM decoder has one). */
    protected float[] unembeddingBias() {
        return null;
    }

    @Override
    public float[] outputHead(float[] hiddenStates, int tokens) {
        int vocab = config.vocab();
        float[] logits = new float[tokens * vocab];                    // [T][V]
        unembed(readout(hiddenStates, tokens), tokens, 0, vocab, logits);
        return logits;
    }

    @Override
    public void unembed(float[] readout, int tokens, int vocabFrom, int vocabTo, float[] out) {
        Matrix w = unembeddingMatrix();
        if (vocabFrom < 0 || vocabTo > w.rows() || vocabFrom >= vocabTo) {
            throw new IllegalArgumentException("vocabulary range [" + vocabFrom + ", " + vocabTo + ") outside 0.."
                    + w.rows());
        }
        boolean whole = vocabFrom == 0 && vocabTo == w.rows();
        Matrix rows = whole ? w : w.rowSlice(vocabFrom, vocabTo - vocabFrom);     // [to - from][D]
        float[] bias = unembeddingBias();
        if (bias != null && !whole) {
            bias = java.util.Arrays.copyOfRange(bias, vocabFrom, vocabTo);
        }
        kernels.linear(readout, tokens, rows, bias, out);
        if (config.finalLogitSoftcap() > 0) {
            float cap = (float) config.finalLogitSoftcap();
            int n = tokens * (vocabTo - vocabFrom);
            for (int i = 0; i < n; i++) {
                out[i] = Ops.softcap(out[i], cap);
            }
        }
    }

    /** The attention output projection of a layer and whether it is stored [in][out] (GPT-2 Conv1D). */
    protected abstract Matrix outputProjection(int layer);

    protected boolean outputProjectionInOut() {
        return false;
    }

    @Override
    public Trace run(int[] ids, RunOptions options) {
        long start = System.nanoTime();
        checkInput(ids);
        int tokens = ids.length;
        Pass pass = new Pass(options, new AttentionMaps(layers, config.heads(), tokens, options.compactAttention()));
        float[] residual = new float[(layers + 1) * tokens * hidden]; // [layer + 1][token][hidden]
        float[] x = embed(ids);                                        // [token][hidden]
        for (int l = 0; l < layers; l++) {
            pass.checkCancelled();
            if (options.residualHook() != null) {
                options.residualHook().onResidual(l, x, tokens, hidden);
            }
            System.arraycopy(x, 0, residual, l * tokens * hidden, tokens * hidden);
            x = block(l, x, tokens, pass);
            if (options.progress() != null) {
                options.progress().onLayer(l + 1, layers);
            }
        }
        pass.checkCancelled();
        if (options.residualHook() != null) {
            options.residualHook().onResidual(layers, x, tokens, hidden);
        }
        System.arraycopy(x, 0, residual, layers * tokens * hidden, tokens * hidden);
        float[] logits = outputHead(x, tokens); // [token][vocab]
        return new Trace(ids.clone(), layers, config.heads(), hidden, config.vocab(), pass.maps, residual, logits,
                System.nanoTime() - start);
    }

    private void checkInput(int[] ids) {
        if (ids == null || ids.length == 0) {
            throw new IllegalArgumentException("no input tokens");
        }
        if (ids.length > config.maxPositions()) {
            throw new IllegalArgumentException("the prompt has " + ids.length + " tokens but " + config.modelType()
                    + " accepts at most " + config.maxPositions() + " (max_position_embeddings); shorten it");
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= config.vocab()) {
                throw new IllegalArgumentException("token id " + ids[i] + " at position " + i
                        + " is outside the vocabulary of " + config.vocab());
            }
        }
    }

    /** Per-run state: options and the attention maps being filled. */
    protected final class Pass {
        final RunOptions options;
        final AttentionMaps maps;
        private float[][] ropeTables; // [2][T][rotaryDim / 2] cos and sin, shared by all layers of the pass
        private final java.util.Map<String, float[]> buffers = new java.util.HashMap<>(); // name -> scratch

        Pass(RunOptions options, AttentionMaps maps) {
            this.options = options;
            this.maps = maps;
        }

        /** The rotary cos/sin tables for this pass's positions, computed once. */
        float[][] ropeTables(Rope rope, int tokens) {
            if (ropeTables == null) {
                ropeTables = rope.tables(tokens);
            }
            return ropeTables;
        }

        /**
         * A scratch buffer of at least {@code size} floats reused by every layer of this pass (contents left
         * from the previous use): megabyte-sized temporaries allocated once per pass instead of once per layer
         * (G1 treats them as humongous objects; measured ~9 ms of GC pauses per GPT-2-small pass).
         */
        float[] buffer(String name, int size) {
            float[] b = buffers.get(name);
            if (b == null || b.length < size) {
                b = new float[size];
                buffers.put(name, b);
            }
            return b;
        }

        void checkCancelled() {
            if (options.cancelled() != null && options.cancelled().getAsBoolean()) {
                throw new CancellationException("forward pass cancelled");
            }
        }

        /**
         * Attention of one layer plus the head hook: q, k, v {@code // [T][heads or kvHeads][headDim]} ->
         * per-head outputs {@code // [T][heads][headDim]} as the output projection will read them.
         */
        float[] attend(int layer, Attention.Shape shape, float[] q, float[] k, float[] v, int tokens) {
            float[] out = new float[tokens * shape.heads() * shape.headDim()];
            Attention.attend(kernels, shape, q, k, v, tokens, layer, maps, out);
            if (options.headHook() != null) {
                options.headHook().onHeadOutputs(layer, out, tokens, shape.heads(), shape.headDim());
            }
            checkCancelled();
            return out;
        }
    }

    /** The attention shape of a layer from the config (scale, soft-cap, causal mask and sliding window). */
    protected Attention.Shape attentionShape(int layer) {
        float scale = config.attentionScale();
        if (config.scaleAttnByInverseLayerIdx()) {
            scale /= (layer + 1);
        }
        return new Attention.Shape(config.heads(), config.kvHeads(), config.headDim(), scale,
                (float) config.attnLogitSoftcap(), config.causal(), config.slides(layer) ? config.slidingWindow() : 0);
    }

    /** x W^T + b: {@code x // [T][in]}, {@code w // [out][in]} -> {@code // [T][out]}. */
    protected float[] linear(float[] x, int tokens, Matrix w, float[] bias) {
        float[] out = new float[tokens * w.rows()];
        kernels.linear(x, tokens, w, bias, out);
        return out;
    }

    /** {@link #linearInOut(float[], int, Matrix, float[])} into {@code out // [T][out]} (overwritten). */
    protected float[] linearInOut(float[] x, int tokens, Matrix w, float[] bias, float[] out) {
        kernels.linearInOut(x, tokens, w, bias, out);
        return out;
    }

    /** x W + b for Conv1D weights: {@code x // [T][in]}, {@code w // [in][out]} -> {@code // [T][out]}. */
    protected float[] linearInOut(float[] x, int tokens, Matrix w, float[] bias) {
        float[] out = new float[tokens * w.cols()];
        kernels.linearInOut(x, tokens, w, bias, out);
        return out;
    }

    /** Rows of an embedding matrix: {@code ids // [T]} -> {@code // [T][D]}. */
    protected static float[] lookup(Matrix table, int[] ids) {
        float[] out = new float[ids.length * table.cols()];
        for (int t = 0; t < ids.length; t++) {
            table.copyRow(ids[t], out, t * table.cols());
        }
        return out;
    }

    @Override
    public float[] projectHeadOutput(int layer, int head, float[] headOutput, int tokens) {
        if (layer < 0 || layer >= layers || head < 0 || head >= config.heads()) {
            throw new IllegalArgumentException("no head " + layer + "." + head);
        }
        int hd = config.headDim();
        Matrix o = outputProjection(layer);
        if (outputProjectionInOut()) {
            // Conv1D [heads * headDim][D]: the head's rows
            return linearInOut(headOutput, tokens, o.rowSlice(head * hd, hd), null);
        }
        // Linear [D][heads * headDim]: the head's columns
        float[] out = new float[tokens * hidden]; // [T][D]
        float[] row = new float[o.cols()];
        for (int d = 0; d < hidden; d++) {
            o.copyRow(d, row, 0);
            for (int t = 0; t < tokens; t++) {
                out[t * hidden + d] = kernels.dot(headOutput, t * hd, row, head * hd, hd);
            }
        }
        return out;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    /** The settings read from config.json. */
    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public Tokenizer tokenizer() {
        Tokenizer t = tokenizer;
        if (t == null) {
            if (!Files.isRegularFile(tokenizerFile)) {
                throw new FormatException(tokenizerFile, "is missing; the model can run on token ids only");
            }
            synchronized (this) {
                if (tokenizer == null) {
                    tokenizer = Tokenizer.load(tokenizerFile);
                }
                t = tokenizer;
            }
        }
        return t;
    }

    @Override
    public boolean hasTokenizer() {
        return Files.isRegularFile(tokenizerFile);
    }

    @Override
    public TensorStore weights() {
        return store;
    }

    @Override
    public List<TensorPlacement> tensorMap() {
        return weights.placements();
    }

    @Override
    public void close() {
        store.close();
    }
}
