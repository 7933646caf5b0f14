package dev.headlight.engine.arch;

import dev.headlight.engine.AttentionMaps;
import dev.headlight.engine.KeyValues;
import dev.headlight.engine.Model;
import dev.headlight.engine.ModelInfo;
import dev.headlight.engine.QueryKeys;
import dev.headlight.engine.RunOptions;
import dev.headlight.engine.TensorPlacement;
import dev.headlight.engine.TensorPlacement.HeadSlice;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

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
    /** Rotary position embedding, or null for learned absolute positions (GPT-2, BERT). */
    protected final Rope rope;
    private final Matrix tokenEmbedding;        // [V][D]
    private final Norm finalNorm;               // [D], or null
    private final TensorStore store;
    private final ModelInfo info;
    private final Matrix unembedding;           // [V][D], the token embedding when tied
    private final Matrix[] outputProjections;   // [layer] attention output projection
    private final Path tokenizerFile;
    // tokenizer.json read on a background thread started when the model has opened (Qwen2's 151k tokens and 151k
    // merges take ~0.15 s warm, ~1 s in a fresh JVM: longer than the rest of open); tokenizer() waits for it or
    // runs it itself. Null without the file.
    private final FutureTask<Tokenizer> tokenizerLoad;
    private volatile Thread tokenizerLoader; // set by startLoadingTokenizer

    /**
     * @param finalNorm the norm the residual stream passes before the unembedding ({@link #readout}), or null for
     *                  a family that overrides readout (BERT)
     */
    protected TransformerModel(Path folder, ModelConfig config, TensorStore store, Weights weights, Norm finalNorm) {
        this.config = config;
        this.store = store;
        this.weights = weights;
        this.hidden = config.hidden();
        this.layers = config.layers();
        this.rope = config.rope() != null ? new Rope(config) : null;
        this.tokenEmbedding = weights.matrix(-1, "embed.tokens");
        this.finalNorm = finalNorm;
        this.unembedding = weights.matrix(-1, config.tieWordEmbeddings() ? "embed.tokens" : "unembed");
        this.outputProjections = new Matrix[layers];
        for (int l = 0; l < layers; l++) {
            outputProjections[l] = weights.matrix(l, "attn.o");
        }
        this.info = new ModelInfo(folder, config.family().modelType(), config.modelType(), config.architecture(),
                config.layers(), config.heads(), config.kvHeads(), config.headDim(), config.hidden(),
                config.intermediate(), config.vocab(), config.maxPositions(), config.causal(),
                weights.parameters(), weights.dominantDType(), store.dataBytes());
        this.tokenizerFile = folder.resolve("tokenizer.json");
        if (Files.isRegularFile(tokenizerFile)) {
            tokenizerLoad = new FutureTask<>(() -> Tokenizer.load(tokenizerFile));
        } else {
            tokenizerLoad = null;
        }
    }

    /** Starts reading tokenizer.json on a background thread; called once the model has opened without error. */
    void startLoadingTokenizer() {
        if (tokenizerLoad != null && tokenizerLoader == null) {
            tokenizerLoader = Thread.ofPlatform().daemon().name("headlight-tokenizer-load").start(tokenizerLoad);
        }
    }

    /**
     * Token (and position) embeddings of the input: {@code ids // [T]} at positions {@code firstPosition,
     * firstPosition + 1, ...} -> {@code // [T][D]}. Here the token embeddings alone (rotary families); families with
     * learned positions or a scale add them.
     */
    protected float[] embed(int[] ids, int firstPosition) {
        return lookup(tokenEmbedding, ids);
    }

    /** The final norm of the residual stream: {@code hiddenStates // [T][D]} -> a new {@code // [T][D]}. */
    @Override
    public float[] readout(float[] hiddenStates, int tokens) {
        return finalNorm.apply(hiddenStates, tokens, hidden, new float[tokens * hidden]);
    }

    /**
     * One transformer block: {@code x // [T][D]} entering layer {@code layer} -> its output {@code // [T][D]}.
     * Temporaries come from the pass's buffers ({@link Pass#buffer}): allocated once per pass, not once per layer.
     */
    protected abstract float[] block(int layer, float[] x, int tokens, Pass pass);

    /**
     * The inputs of layer {@code layer}'s attention, computed from {@code x // [T][D]} (the residual stream
     * entering the layer, left unchanged) in the pass's buffers: queries {@code // [T][heads][headDim]}, keys and
     * values {@code // [T][kvHeads][headDim]} after norms, biases and rotary. {@link #block} attends over them;
     * recomputing maps that were not kept asks for no values ({@code values} false: v may then be null).
     */
    protected abstract float[][] attentionInputs(int layer, float[] x, int tokens, Pass pass, boolean values);

    /** The unembedding (tied or not): {@code // [V][D]}, stored as torch.nn.Linear. */
    protected final Matrix unembeddingMatrix() {
        return unembedding;
    }

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
    protected final Matrix outputProjection(int layer) {
        return outputProjections[layer];
    }

    /** Whether the family stores its linear weights, the output projection among them, [in][out] (Conv1D). */
    protected boolean outputProjectionInOut() {
        return false;
    }

    @Override
    public Trace run(int[] ids, RunOptions options) {
        // a file replaced or shrunk since open (a re-download, a re-save) is refused before it is read: reading
        // past the new end of a mapping raises SIGBUS
        store.checkUnchanged();
        try {
            return pass(ids, options);
        } catch (InternalError e) {
            // the JVM turns a fault on mapped memory into this error where it can (see SECURITY.md)
            throw store.faultDuringPass(e);
        }
    }

    private Trace pass(int[] ids, RunOptions options) {
        long start = System.nanoTime();
        checkInput(ids);
        int tokens = ids.length;
        AttentionMaps maps = new AttentionMaps(layers, config.heads(), tokens, options.compactAttention(),
                options.attentionBudget()); // refuses a prompt whose one layer exceeds the budget, before any work
        Trace earlier = options.continueFrom();
        int reused = reusablePrefix(ids, options);                     // positions copied from earlier
        int fresh = tokens - reused;                                   // positions computed now
        Pass pass = new Pass(options, maps, reused, reused > 0 ? earlier.keyValues() : null);
        float[] residual = new float[(layers + 1) * tokens * hidden]; // [layer + 1][token][hidden]
        if (reused > 0) {
            copyPrefix(earlier, reused, maps, residual);
        }
        float[] x = embed(java.util.Arrays.copyOfRange(ids, reused, tokens), reused); // [fresh][hidden]
        for (int l = 0; l < layers; l++) {
            pass.checkCancelled();
            if (options.residualHook() != null) {
                options.residualHook().onResidual(l, x, tokens, hidden);
            }
            System.arraycopy(x, 0, residual, (l * tokens + reused) * hidden, fresh * hidden);
            x = block(l, x, fresh, pass);
            if (options.progress() != null) {
                options.progress().onLayer(l + 1, layers);
            }
        }
        pass.checkCancelled();
        if (options.residualHook() != null) {
            options.residualHook().onResidual(layers, x, tokens, hidden);
        }
        System.arraycopy(x, 0, residual, (layers * tokens + reused) * hidden, fresh * hidden);
        float[] logits = outputHead(x, fresh); // [fresh][vocab]
        if (reused > 0) {
            int vocab = config.vocab();
            float[] all = new float[tokens * vocab];                   // [token][vocab]
            System.arraycopy(earlier.logits(), 0, all, 0, reused * vocab);
            System.arraycopy(logits, 0, all, reused * vocab, fresh * vocab);
            logits = all;
        }
        if (maps.recomputes()) {
            // layers past the budget come back from the residual stream entering them, when asked for
            int width = tokens * hidden;
            maps.recomputeWith((layer, sink) -> attentionOfLayer(layer,
                    java.util.Arrays.copyOfRange(residual, layer * width, (layer + 1) * width), tokens, sink));
        }
        KeyValues keyValues = pass.keptKeys != null ? new KeyValues(this, pass.keptKeys, pass.keptValues) : null;
        return new Trace(ids.clone(), layers, config.heads(), hidden, config.vocab(), pass.maps, residual, logits,
                System.nanoTime() - start, reused, keyValues);
    }

    /**
     * How many leading positions a run can copy from {@code options.continueFrom()}: those whose ids equal the
     * earlier prompt's, when this model made it with its keys and values, the model is causal (earlier
     * positions never see later ones), no hook may change the pass and the rotary tables of the shared positions
     * are the same at both lengths (longrope switches tables with the length). At least one position is computed.
     */
    private int reusablePrefix(int[] ids, RunOptions options) {
        Trace earlier = options.continueFrom();
        if (earlier == null || earlier.keyValues() == null || earlier.keyValues().owner() != this
                || !config.causal() || options.headHook() != null || options.residualHook() != null
                || earlier.hidden() != hidden || earlier.layers() != layers) {
            return 0;
        }
        int[] before = earlier.inputIds();
        int shared = 0;
        int limit = Math.min(before.length, ids.length - 1);
        while (shared < limit && before[shared] == ids[shared]) {
            shared++;
        }
        return shared > 0 && (rope == null || rope.sameTables(before.length, ids.length)) ? shared : 0;
    }


    /** The first {@code reused} positions of an earlier trace: attention rows, residual stream. */
    private void copyPrefix(Trace earlier, int reused, AttentionMaps maps, float[] residual) {
        int tokens = maps.tokens();
        for (int l = 0; l <= layers; l++) {
            System.arraycopy(earlier.residual(), earlier.residualOffset(l, 0), residual, l * tokens * hidden,
                    reused * hidden);
        }
        for (int l = 0; l < layers; l++) {
            maps.copyRowsFrom(earlier.attentions(), l, reused);
        }
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

    /** Per-run state: options, the attention maps being filled and, continuing a pass, where it starts. */
    protected final class Pass {
        final RunOptions options;
        final AttentionMaps maps;
        /** Positions before this pass's first one (copied from an earlier pass); 0 for a whole prompt. */
        final int offset;
        private final KeyValues earlier;  // keys and values of positions [0, offset), or null
        final float[][] keptKeys;         // [layer][token][kvHeads * headDim] when kept, else null
        final float[][] keptValues;       // [layer][token][kvHeads * headDim] when kept, else null
        private float[][] ropeTables; // [2][T][rotaryDim / 2] cos and sin, shared by all layers of the pass
        private final java.util.Map<String, float[]> buffers = new java.util.HashMap<>(); // name -> scratch

        Pass(RunOptions options, AttentionMaps maps) {
            this(options, maps, 0, null);
        }

        Pass(RunOptions options, AttentionMaps maps, int offset, KeyValues earlier) {
            this.options = options;
            this.maps = maps;
            this.offset = offset;
            this.earlier = earlier;
            // only a causal model's keys and values can be continued from
            boolean keep = options.keepKeyValues() && config.causal();
            this.keptKeys = keep ? new float[layers][] : null;
            this.keptValues = keep ? new float[layers][] : null;
        }

        /** The rotary cos/sin tables for this pass's positions (from {@link #offset} on), computed once. */
        float[][] ropeTables(int tokens) {
            if (ropeTables == null) {
                float[][] all = rope.tables(offset + tokens);
                if (offset > 0) {
                    int half = all[0].length / (offset + tokens);
                    all = new float[][]{
                            java.util.Arrays.copyOfRange(all[0], offset * half, all[0].length),
                            java.util.Arrays.copyOfRange(all[1], offset * half, all[1].length)};
                }
                ropeTables = all;
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
         * Attention of one layer plus the head hook: q, k, v {@code // [T][heads or kvHeads][headDim]} of this
         * pass's positions -> per-head outputs {@code // [T][heads][headDim]} as the output projection will read
         * them. Continuing an earlier pass, its keys and values come first.
         */
        float[] attend(int layer, Attention.Shape shape, float[] q, float[] k, float[] v, int tokens) {
            int width = shape.kvHeads() * shape.headDim();
            int keys = offset + tokens;
            float[] allKeys = k;                                     // [keys][kvHeads][headDim]
            float[] allValues = v;                                   // [keys][kvHeads][headDim]
            if (offset > 0) {
                allKeys = new float[keys * width];
                allValues = new float[keys * width];
                System.arraycopy(earlier.keys()[layer], 0, allKeys, 0, offset * width);
                System.arraycopy(earlier.values()[layer], 0, allValues, 0, offset * width);
                System.arraycopy(k, 0, allKeys, offset * width, tokens * width);
                System.arraycopy(v, 0, allValues, offset * width, tokens * width);
            }
            if (keptKeys != null) {
                // k and v may be scratch buffers the next layer reuses
                keptKeys[layer] = offset > 0 ? allKeys : java.util.Arrays.copyOf(k, keys * width);
                keptValues[layer] = offset > 0 ? allValues : java.util.Arrays.copyOf(v, keys * width);
            }
            float[] out = new float[tokens * shape.heads() * shape.headDim()];
            AttentionMaps.RowSink sink = maps.isKept(layer)
                    ? (head, query, probs, from) -> maps.putRow(layer, head, query, probs, from) : null;
            Attention.attend(kernels, shape, q, allKeys, allValues, tokens, keys, sink, out);
            if (options.headHook() != null) {
                options.headHook().onHeadOutputs(layer, out, tokens, shape.heads(), shape.headDim());
            }
            checkCancelled();
            return out;
        }
    }

    @Override
    public void attentionOfLayer(int layer, float[] residualIn, int tokens, AttentionMaps.RowSink sink) {
        checkLayerInput(layer, residualIn, tokens);
        Pass pass = new Pass(RunOptions.exact(), null);
        float[][] qk = attentionInputs(layer, residualIn, tokens, pass, false);
        Attention.attend(kernels, attentionShape(layer), qk[0], qk[1], null, tokens, sink, null);
    }

    @Override
    public QueryKeys queryKeys(int layer, float[] residualIn, int tokens) {
        checkLayerInput(layer, residualIn, tokens);
        float[][] qk = attentionInputs(layer, residualIn, tokens, new Pass(RunOptions.exact(), null), false);
        Attention.Shape s = attentionShape(layer);
        // the pass's buffers may be longer than this prompt needs
        return new QueryKeys(tokens, s.heads(), s.kvHeads(), s.headDim(),
                java.util.Arrays.copyOf(qk[0], tokens * s.heads() * s.headDim()),
                java.util.Arrays.copyOf(qk[1], tokens * s.kvHeads() * s.headDim()),
                s.scale(), s.softcap(), s.causal(), s.window());
    }

    private void checkLayerInput(int layer, float[] residualIn, int tokens) {
        if (layer < 0 || layer >= layers) {
            throw new IllegalArgumentException("no layer " + layer + " in a model of " + layers);
        }
        if (tokens <= 0 || tokens > config.maxPositions() || residualIn.length < tokens * hidden) {
            throw new IllegalArgumentException("a residual stream of " + residualIn.length + " floats for " + tokens
                    + " tokens of width " + hidden);
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

    /** {@link #linear(float[], int, Matrix, float[])} into {@code out // [T][out]} (overwritten; may be longer). */
    protected float[] linear(float[] x, int tokens, Matrix w, float[] bias, float[] out) {
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

    /** {@link #linear(float[], int, Matrix, float[], float[])} with a projection's weight [out][in] and bias. */
    protected float[] linear(float[] x, int tokens, Projection p, float[] out) {
        return linear(x, tokens, p.weight(), p.bias(), out);
    }

    /**
     * Layer {@code l}'s self-attention through its output projection: the family's q, k, v, the pass's attention
     * (which captures the maps and applies the hooks), then W_O and its bias. [T][D] in the pass's "attn" buffer.
     */
    protected final float[] attention(int l, float[] x, int tokens, Pass pass, Projection o) {
        float[][] qkv = attentionInputs(l, x, tokens, pass, true);
        float[] perHead = pass.attend(l, attentionShape(l), qkv[0], qkv[1], qkv[2], tokens); // [T][H][hd]
        float[] out = pass.buffer("attn", tokens * hidden);                                  // [T][D]
        return project(perHead, tokens, o, out);
    }

    /** x W^T + b, or x W + b for weights stored [in][out] (see {@link #outputProjectionInOut}): into out [T][out]. */
    protected final float[] project(float[] x, int tokens, Projection p, float[] out) {
        return outputProjectionInOut() ? linearInOut(x, tokens, p.weight(), p.bias(), out) : linear(x, tokens, p, out);
    }

    /**
     * The ungated MLP, down(act(up(h))): {@code h // [T][D]} -> {@code out // [T][D]}, its hidden units
     * {@code // [T][I]} in the pass's "up" buffer.
     */
    protected final float[] mlp(float[] h, int tokens, Projection up, Projection down, Pass pass, float[] out) {
        int inner = outputProjectionInOut() ? up.weight().cols() : up.weight().rows();
        float[] hiddenUnits = project(h, tokens, up, pass.buffer("up", tokens * inner));   // [T][I]
        Ops.activate(kernels, config.activation(), hiddenUnits, tokens * inner);
        return project(hiddenUnits, tokens, down, out);
    }

    /**
     * Separate q, k (and, when {@code values}, v) projections of {@code h // [T][D]} into the pass's "q", "k", "v"
     * buffers: {@code [T][H][hd]}, {@code [T][KV][hd]}, {@code [T][KV][hd]} (v null without values).
     */
    protected final float[][] projectQkv(float[] h, int tokens, Projection q, Projection k, Projection v,
                                         boolean values, Pass pass) {
        float[] qOut = linear(h, tokens, q, pass.buffer("q", tokens * q.weight().rows()));
        float[] kOut = linear(h, tokens, k, pass.buffer("k", tokens * k.weight().rows()));
        float[] vOut = values ? linear(h, tokens, v, pass.buffer("v", tokens * v.weight().rows())) : null;
        return new float[][]{qOut, kOut, vOut};
    }

    /**
     * A fused q|k|v projection of {@code h // [T][D]} split per head by {@code slices} (its output features):
     * q, k, v {@code // [T][H][hd]} in the pass's "q", "k", "v" buffers (all three: the product makes them anyway).
     * For families whose key/value heads are the query heads (GPT-2, GPT-NeoX).
     */
    protected final float[][] projectFusedQkv(float[] h, int tokens, Projection qkv, List<HeadSlice> slices,
                                              Pass pass) {
        int heads = config.heads();
        int hd = config.headDim();
        int width = outputProjectionInOut() ? qkv.weight().cols() : qkv.weight().rows();
        float[] fused = project(h, tokens, qkv, pass.buffer("qkv", tokens * width)); // [T][3D]
        float[] q = pass.buffer("q", tokens * heads * hd);
        float[] k = pass.buffer("k", tokens * heads * hd);
        float[] v = pass.buffer("v", tokens * heads * hd);
        Attention.unpack(fused, tokens, width, slices, heads, heads, hd, q, k, v);
        return new float[][]{q, k, v};
    }

    /** Rotary embedding of the queries {@code // [T][H][hd]} and keys {@code // [T][KV][hd]}, in place. */
    protected final void rotate(float[] q, float[] k, int tokens, Pass pass) {
        float[][] cosSin = pass.ropeTables(tokens);                                  // [2][T][rotaryDim/2]
        rope.apply(q, tokens, config.heads(), cosSin);
        rope.apply(k, tokens, config.kvHeads(), cosSin);
    }

    /** A gated MLP's hidden units, act(h W_gate + b) * (h W_up + b): [T][I] in the pass's "gate" buffer. */
    protected final float[] gatedHidden(float[] h, int tokens, Projection gate, Projection up, Pass pass) {
        int inner = gate.weight().rows();
        float[] gated = linear(h, tokens, gate, pass.buffer("gate", tokens * inner)); // [T][I]
        Ops.activate(kernels, config.activation(), gated, tokens * inner);
        float[] upOut = linear(h, tokens, up, pass.buffer("up", tokens * inner));      // [T][I]
        for (int i = 0; i < tokens * inner; i++) {
            gated[i] *= upOut[i];
        }
        return gated;
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

    /**
     * The tokenizer, loaded in the background since open: waits for the load (or, if the loader thread has not
     * started yet, loads on this thread). A tokenizer.json that cannot be used throws its FormatException here,
     * on every call.
     */
    @Override
    public Tokenizer tokenizer() {
        if (tokenizerLoad == null) {
            throw new FormatException(tokenizerFile, "is missing; the model can run on token ids only");
        }
        tokenizerLoad.run(); // no-op when the loader thread has started it or it is done
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return tokenizerLoad.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the load is short and shared: finish waiting, keep the interrupt
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new FormatException(tokenizerFile, "cannot be loaded (" + e.getCause() + ")", e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether the folder had a tokenizer.json when it was opened. */
    @Override
    public boolean hasTokenizer() {
        return tokenizerLoad != null;
    }

    @Override
    public TensorStore weights() {
        return store;
    }

    @Override
    public List<TensorPlacement> tensorMap() {
        return weights.placements();
    }

    /**
     * Unmaps the weights. A tokenizer load still under way is cancelled, not waited for: a command that never
     * used the tokenizer (inspect) must not wait for a large tokenizer.json. The interrupt closes the file the
     * loader reads (an interruptible channel), so no file stays open; the loader holds no mapped weights.
     */
    @Override
    public void close() {
        if (tokenizerLoad != null && tokenizerLoader != null) {
            tokenizerLoad.cancel(true);
        }
        store.close();
    }
}
