package dev.headlight.analysis.circuits;

import dev.headlight.analysis.OffsetProfile;
import dev.headlight.engine.Model;
import dev.headlight.engine.kernel.Kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * What each head's weights say it does (Elhage et al. 2021, "A Mathematical Framework for Transformer Circuits";
 * TransformerLens conventions), computed from the factors of {@link CircuitWeights} without materialising any
 * d_model x d_model circuit:
 * <ul>
 *   <li><b>copying score</b>: the nonzero eigenvalues of the full OV circuit W_E W_OV W_U [vocab, vocab] are those of
 *       the [d_head, d_head] matrix W_O W_U W_E W_V; score = Re(sum lambda) / sum |lambda| (+1 a pure copier, -1 a
 *       copy suppressor). Null without a linear unembedding (BERT) or when sum |lambda| is zero (below
 *       {@value #NULL_RELATIVE} of ||W_O||_F ||W_U W_E||_F ||W_V||_F).</li>
 *   <li><b>composition scores</b> of head h1 (layer l1) into h2 (layer l2 &gt; l1), TransformerLens
 *       {@code all_composition_scores}: ||A B||_F / (||A||_F ||B||_F) with A = W_OV(h1) = W_V W_O and B = W_QK(h2) =
 *       W_Q W_K^T (Q), W_QK(h2)^T (K) or W_OV(h2) (V). Null when ||A||_F ||B||_F is zero (below
 *       {@value #NULL_RELATIVE} of the product of the four factors' Frobenius norms). Computed as ||R_V1 W_O1 X
 *       R'^T||_F where R^T R is a factor's d_head x d_head Gram matrix, so each pair costs one d_head x d_model x
 *       d_head product.</li>
 *   <li><b>OV in tokens</b> (TransformerLens {@code SVDInterpreter}, on the full circuit): the top singular
 *       directions of W_E W_OV W_U read as input tokens -&gt; output tokens, and one token's row.</li>
 *   <li><b>positional QK profile</b> for learned absolute positions: the mean of W_pos W_QK W_pos^T per relative
 *       offset.</li>
 * </ul>
 * Heavy products run in float32 on the engine's kernels; Gram matrices, eigenvalues and SVDs in float64
 * ({@link SmallMatrices}: ojAlgo's nonsymmetric eigenvalues, EJML's symmetric eigenpairs and SVDs).
 * Thread-safe; the vocabulary Gram matrices and each layer's d_head x d_head Gram matrices are computed once, on
 * first use, so keep one instance per model: a second head's {@link #compositionOf} reuses the first's work.
 */
public final class HeadCircuits {
    /** A denominator at or below this fraction of its scale is zero: the score is null. */
    public static final double NULL_RELATIVE = 1e-9;

    private final CircuitWeights w;
    private final Kernels kernels = Kernels.best();
    private final int d;
    private final int dh;
    private final CircuitGrams[] ovGrams;    // per layer, computed on first use
    private final CircuitGrams[] qkGrams;    // per layer, computed on first use
    private volatile float[] unembedEmbedT;  // (W_U W_E)^T = W_E^T W_U^T  // [dModel][dModel]
    private double unembedEmbedNorm;         // ||W_U W_E||_F, set before unembedEmbedT
    private volatile float[] embedGram;      // W_E^T W_E                // [dModel][dModel]
    private volatile float[] unembedGram;    // W_U W_U^T                // [dModel][dModel]

    public HeadCircuits(CircuitWeights weights) {
        this.w = weights;
        this.d = weights.dModel();
        this.dh = weights.dHead();
        this.ovGrams = new CircuitGrams[weights.layers().size()];
        this.qkGrams = new CircuitGrams[weights.layers().size()];
    }

    /** Reads {@code model}'s factors (see {@link CircuitWeights#read}). */
    public static HeadCircuits of(Model model) {
        return new HeadCircuits(CircuitWeights.read(model));
    }

    public CircuitWeights weights() {
        return w;
    }

    public int layers() {
        return w.layers().size();
    }

    public int heads() {
        return w.heads();
    }

    /** Whether copying scores and OV-in-tokens exist (a linear unembedding; not BERT). */
    public boolean hasUnembedding() {
        return w.unembedding() != null;
    }

    // ---------------------------------------------------------------------------------------------- copying

    /**
     * Computes the copying scores' vocabulary product W_U W_E now, unless this instance already has it (d_model² x
     * vocab multiply-adds: 134 G for TinyLlama-1.1B, about a second of both cores and most of the copying scores'
     * time), so that the copying scores computed later on this instance start without it. Meant for a background
     * task started when a model opens: keep this instance and give it to the circuits computation; a copying call
     * that needs the product meanwhile waits for this one rather than starting its own. {@code cancelled} (may be
     * null) is checked between vocabulary parts; cancelling throws a CancellationException and keeps nothing, so a
     * later call computes the product afresh. Does nothing without a linear unembedding (BERT).
     */
    public void prepareVocabularyProduct(BooleanSupplier cancelled) {
        if (hasUnembedding()) {
            unembedEmbedT(cancelled);
        }
    }

    /** Whether {@link #prepareVocabularyProduct} (or a copying score) has formed W_U W_E on this instance. */
    public boolean vocabularyProductReady() {
        return unembedEmbedT != null || !hasUnembedding();
    }

    /**
     * One head's copying evidence.
     *
     * @param eigenReal      real parts of the eigenvalues of W_O W_U W_E W_V     // [dHead]
     * @param eigenImaginary imaginary parts                                     // [dHead]
     * @param score          Re(sum lambda) / sum |lambda|, or empty (null)
     */
    public record Copying(int layer, int head, double[] eigenReal, double[] eigenImaginary, OptionalDouble score) {

        /** The scores of {@code copying // [layer][head]} as {@code // [layer][head]}, NaN where a score is null. */
        public static double[][] scores(Copying[][] copying) {
            double[][] out = new double[copying.length][];
            for (int l = 0; l < copying.length; l++) {
                out[l] = new double[copying[l].length];
                for (int h = 0; h < out[l].length; h++) {
                    out[l][h] = copying[l][h].score().orElse(Double.NaN);
                }
            }
            return out;
        }
    }

    /** Copying of every head: [layer][head]; all null (no eigenvalues) without a linear unembedding. */
    public Copying[][] copyingAll(BooleanSupplier cancelled, DoubleConsumer progress) {
        int layers = layers();
        Copying[][] out = new Copying[layers][];
        // kept from layer to layer: G W_V's B side G is then packed once for every layer
        BlockProduct.Buffers buffers = new BlockProduct.Buffers();
        for (int l = 0; l < layers; l++) {
            check(cancelled);
            out[l] = copyingOfLayer(l, cancelled, buffers);
            if (progress != null) {
                progress.accept((l + 1) / (double) layers);
            }
        }
        return out;
    }

    public Copying copying(int layer, int head) {
        return copyingOfLayer(layer, null, new BlockProduct.Buffers())[head];
    }

    private Copying[] copyingOfLayer(int layer, BooleanSupplier cancelled, BlockProduct.Buffers buffers) {
        LayerFactors f = w.layer(layer);
        Copying[] out = new Copying[f.heads()];
        if (!hasUnembedding()) {
            for (int h = 0; h < f.heads(); h++) {
                out[h] = new Copying(layer, h, new double[0], new double[0], OptionalDouble.empty());
            }
            return out;
        }
        // Association, in multiply-adds (V vocab, D d_model, L layers, H heads, K kv-heads, d = d_head):
        //  (a) G = W_U W_E once per model, V·D² (halved when tied: symmetric), then per layer G W_V^T, K·d·D², and
        //      per head one d x D x d product: GPT-2 small 15 G + 5 G, TinyLlama-1.1B 134 G + 24 G;
        //  (b) per head (W_O W_U) [d, V] and (W_E W_V) [V, d], then their d x V x d product:
        //      L·(H + K)·d·D·V + L·H·d²·V, GPT-2 small 0.74 T, TinyLlama-1.1B 3.3 T.
        // (a) wins whenever L·(H + K)·d > D, i.e. for every model with more than one layer, so G is formed once.
        float[] gT = unembedEmbedT(cancelled);
        double gNorm = unembedEmbedNorm;
        double[] vNorm = new double[f.kvHeads()];
        for (int kv = 0; kv < f.kvHeads(); kv++) {
            vNorm[kv] = frobenius(f.v(), kv * dh * d, dh * d);
        }
        // (G W_V)^T for every kv-head: gvT[kv, b][i] = sum_m W_V^T[kv, b][m] G^T[m][i]   // [kvHeads][dHead][dModel]
        int kvRows = f.kvHeads() * dh;
        float[] gvT = new float[kvRows * d];
        BlockProduct.multiply(kvRows, d, d, BlockProduct.Side.rows(f.v(), 0, d), BlockProduct.Side.depthMajor(gT, 0, d),
                gvT, 0, d, false, buffers);
        // one d_head x d_head product W_O G W_V and one float64 eigen solve per head: independent, so spread over the
        // cores (the product as dot products along the rows: a packed product per kv-group measured no faster, its
        // packing of W_O as long as its arithmetic)
        IntStream.range(0, f.heads()).parallel().forEach(h -> {
            float[] m = new float[dh * dh]; // W_O G W_V   // [dHead][dHead]
            RowDots.products(f.o(), f.queryOffset(h), d, dh, gvT, f.kvOffset(h), d, dh, d, m, false);
            double[][] eig = SmallMatrices.eigenvalues(SmallMatrices.toDoubles(m), dh);
            double sum = 0;
            double abs = 0;
            for (int i = 0; i < dh; i++) {
                sum += eig[0][i];
                abs += Math.hypot(eig[0][i], eig[1][i]);
            }
            double scale = frobenius(f.o(), f.queryOffset(h), dh * d) * gNorm * vNorm[f.kvHead(h)];
            OptionalDouble score = abs > NULL_RELATIVE * scale && abs > 0
                    ? OptionalDouble.of(sum / abs) : OptionalDouble.empty();
            out[h] = new Copying(layer, h, eig[0], eig[1], score);
        });
        return out;
    }

    // ------------------------------------------------------------------------------------------ composition

    /** Q, K and V composition of a pair; each null when its denominator is zero. */
    public record Composition(int fromLayer, int fromHead, int toLayer, int toHead, OptionalDouble q,
                              OptionalDouble k, OptionalDouble v) {
        /** The largest present score of the three, or -1. */
        public double strongest() {
            return Math.max(q.orElse(-1), Math.max(k.orElse(-1), v.orElse(-1)));
        }
    }

    /**
     * One layer's factors multiplied by the roots of their partners' Gram matrices: every product a composition
     * score needs is then a plain [dHead][dModel] x [dModel][dHead] one whose Frobenius norm is the numerator.
     * Stored depth-major (transposed), the layout the block products read fastest.
     *
     * @param oTildeT (R_V W_O per query head)^T (A = W_OV)    // [dModel][H * dHead], or null
     * @param xTildeT (R_K W_Q^T | R_Q W_K^T | R_O W_V^T per query head)^T (B for Q, K, V composition), only the
     *                kinds the table computes, in that order  // [dModel][kinds * H * dHead], or null
     * @param ovNorm  ||W_OV||_F per head; qkNorm ||W_QK||_F per head (each null when the layer's roles here do
     *                not use that circuit)
     * @param ovScale ||W_V||_F ||W_O||_F per head; qkScale ||W_Q||_F ||W_K||_F per head (likewise)
     */
    private record Transformed(float[] oTildeT, float[] xTildeT, double[] ovNorm, double[] qkNorm, double[] ovScale,
                               double[] qkScale) {
        /** The same with the reader factors dropped (keeps only what a later layer needs of this one). */
        Transformed withoutReaders() {
            return new Transformed(oTildeT, null, ovNorm, qkNorm, ovScale, qkScale);
        }
    }

    /**
     * The d_head x d_head Gram matrices F F^T, float64, of one circuit's two factors in one layer (OV: W_O per query
     * head and W_V per kv-head; QK: W_Q per query head and W_K per kv-head), and the norms they give. The halves are
     * computed apart because one head's column needs only the OV half of every earlier layer.
     *
     * @param head  W_O W_O^T (OV) or W_Q^T W_Q (QK) per query head   // [H][dHead * dHead]
     * @param kv    W_V^T W_V (OV) or W_K^T W_K (QK) per kv-head       // [kvHeads][dHead * dHead]
     * @param norm  ||W_OV||_F = sqrt(tr(G_V G_O)), or ||W_QK||_F = sqrt(tr(G_Q G_K)), per head
     * @param scale ||W_V||_F ||W_O||_F, or ||W_Q||_F ||W_K||_F, per head (the null thresholds' scale)
     */
    private record CircuitGrams(double[][] head, double[][] kv, double[] norm, double[] scale) {
    }

    /** The OV half of a layer's {@link CircuitGrams}, computed once (composition calls and the table share it). */
    private CircuitGrams ovGrams(int layer) {
        return cached(ovGrams, layer, l -> computeGrams(w.layer(l), w.layer(l).o(), w.layer(l).v()));
    }

    /** The QK half, likewise. */
    private CircuitGrams qkGrams(int layer) {
        return cached(qkGrams, layer, l -> computeGrams(w.layer(l), w.layer(l).q(), w.layer(l).k()));
    }

    private static CircuitGrams cached(CircuitGrams[] cache, int layer, IntFunction<CircuitGrams> compute) {
        CircuitGrams g = cache[layer];
        if (g == null) {
            synchronized (cache) {
                g = cache[layer];
                if (g == null) {
                    g = compute.apply(layer);
                    cache[layer] = g;
                }
            }
        }
        return g;
    }

    /** Gram matrices of a query-head factor ({@code headFactor}) and its kv-head partner ({@code kvFactor}) in f. */
    private CircuitGrams computeGrams(LayerFactors f, float[] headFactor, float[] kvFactor) {
        int heads = f.heads();
        double[][] head = new double[heads][];
        double[][] kv = new double[f.kvHeads()][];
        IntStream.range(0, heads + f.kvHeads()).parallel().forEach(i -> {
            if (i < heads) {
                head[i] = gram(headFactor, f.queryOffset(i));
            } else {
                kv[i - heads] = gram(kvFactor, (i - heads) * dh * d);
            }
        });
        double[] norm = new double[heads];
        double[] scale = new double[heads];
        for (int h = 0; h < heads; h++) {
            double[] partner = kv[f.kvHead(h)];
            norm[h] = Math.sqrt(Math.max(0, SmallMatrices.traceOfProduct(partner, head[h])));
            scale[h] = Math.sqrt(SmallMatrices.trace(partner, dh) * SmallMatrices.trace(head[h], dh));
        }
        return new CircuitGrams(head, kv, norm, scale);
    }

    /** The composition kinds, indices into a {@code boolean[3]} of the kinds a table computes. */
    private static final int Q = 0;
    private static final int K = 1;
    private static final int V = 2;
    private static final boolean[] ALL_KINDS = {true, true, true};
    private static final boolean[] K_ONLY = {false, true, false};

    /** Layer {@code layer}'s transformed factors: the writer side when {@code wantO}, the reader's chosen kinds. */
    private Transformed transform(int layer, boolean wantO, boolean[] kinds) {
        LayerFactors f = w.layer(layer);
        int heads = f.heads();
        int block = dh * d;
        int kindCount = kinds == null ? 0 : count(kinds);
        boolean wantX = kindCount > 0;
        // only the Gram halves this layer's roles use: the first layer never reads, and a K-only table's last
        // layer never writes (the writer side and V composition need OV; Q and K composition need QK)
        CircuitGrams ov = wantO || wantX && kinds[V] ? ovGrams(layer) : null;
        CircuitGrams qk = wantX && (kinds[Q] || kinds[K]) ? qkGrams(layer) : null;
        double[][] gq = qk == null ? null : qk.head();
        double[][] go = ov == null ? null : ov.head();
        double[][] gk = qk == null ? null : qk.kv();
        double[][] gv = ov == null ? null : ov.kv();
        float[] oTilde = wantO ? new float[heads * block] : null;
        float[] xTilde = wantX ? new float[kindCount * heads * block] : null;
        float[][] rootK = new float[f.kvHeads()][];
        float[][] rootV = new float[f.kvHeads()][];
        IntStream.range(0, f.kvHeads()).parallel().forEach(kv -> {
            rootK[kv] = wantX && kinds[Q] ? root(gk[kv]) : null;
            rootV[kv] = wantO ? root(gv[kv]) : null;
        });
        IntStream.range(0, heads).parallel().forEach(h -> {
            int kvOff = f.kvOffset(h);
            int qOff = f.queryOffset(h);
            int kv = f.kvHead(h);
            if (wantO) {
                kernels.gemm(dh, d, dh, rootV[kv], 0, dh, f.o(), qOff, d, oTilde, qOff, d);
            }
            int slot = 0;
            if (wantX && kinds[Q]) {
                kernels.gemm(dh, d, dh, rootK[kv], 0, dh, f.q(), qOff, d, xTilde, slot++ * heads * block + qOff, d);
            }
            if (wantX && kinds[K]) {
                kernels.gemm(dh, d, dh, root(gq[h]), 0, dh, f.k(), kvOff, d, xTilde, slot++ * heads * block + qOff, d);
            }
            if (wantX && kinds[V]) {
                kernels.gemm(dh, d, dh, root(go[h]), 0, dh, f.v(), kvOff, d, xTilde, slot * heads * block + qOff, d);
            }
        });
        return new Transformed(wantO ? BlockProduct.transposed(oTilde, 0, heads * dh, d) : null,
                wantX ? BlockProduct.transposed(xTilde, 0, kindCount * heads * dh, d) : null,
                ov == null ? null : ov.norm(), qk == null ? null : qk.norm(), ov == null ? null : ov.scale(),
                qk == null ? null : qk.scale());
    }

    private static int count(boolean[] kinds) {
        int n = 0;
        for (boolean k : kinds) {
            n += k ? 1 : 0;
        }
        return n;
    }

    /** F F^T of a [dHead][dModel] block at {@code offset}, in float64 from float32 products. */
    private double[] gram(float[] m, int offset) {
        float[] g = new float[dh * dh];
        RowDots.products(m, offset, d, dh, m, offset, d, dh, d, g, true);
        double[] out = SmallMatrices.toDoubles(g);
        for (int i = 0; i < dh; i++) { // exactly symmetric for the eigen solver
            for (int j = 0; j < i; j++) {
                double mean = 0.5 * (out[i * dh + j] + out[j * dh + i]);
                out[i * dh + j] = mean;
                out[j * dh + i] = mean;
            }
        }
        return out;
    }

    /** Every pair's scores: [layer l1][head h1][layer l2][head h2], null entries where l2 &lt;= l1. */
    public Composition[][][][] compositionAll(BooleanSupplier cancelled, DoubleConsumer progress) {
        int layers = layers();
        int heads = heads();
        Composition[][][][] out = new Composition[layers][heads][layers][heads];
        table(ALL_KINDS, cancelled, progress, (l1, h1, l2, h2, s) ->
                out[l1][h1][l2][h2] = new Composition(l1, h1, l2, h2, s[Q], s[K], s[V]));
        return out;
    }

    /**
     * Only the K-composition of every pair (what a training timeline plots), with a third of
     * {@link #compositionAll}'s products and Gram roots: [l1][h1][l2][h2], NaN where l2 &lt;= l1 or the score is
     * null. Each score equals {@link #compositionAll}'s {@code k()}.
     */
    public double[][][][] kCompositionAll(BooleanSupplier cancelled, DoubleConsumer progress) {
        int layers = layers();
        int heads = heads();
        double[][][][] out = new double[layers][heads][layers][heads];
        for (double[][][] a : out) {
            for (double[][] b : a) {
                for (double[] c : b) {
                    java.util.Arrays.fill(c, Double.NaN);
                }
            }
        }
        table(K_ONLY, cancelled, progress, (l1, h1, l2, h2, s) -> out[l1][h1][l2][h2] = s[K].orElse(Double.NaN));
        return out;
    }

    /** Receives one pair's scores, indexed Q, K, V (only the table's kinds are set). */
    private interface PairScores {
        void accept(int l1, int h1, int l2, int h2, OptionalDouble[] scores);
    }

    /** The table of the given kinds, layer pair by layer pair, into {@code sink}. */
    private void table(boolean[] kinds, BooleanSupplier cancelled, DoubleConsumer progress, PairScores sink) {
        int layers = layers();
        Transformed[] from = new Transformed[layers];
        BlockProduct.Buffers buffers = new BlockProduct.Buffers();
        int pairs = layers * (layers - 1) / 2;
        int done = 0;
        if (layers > 1) {
            from[0] = transform(0, true, null);
        }
        for (int l2 = 1; l2 < layers; l2++) {
            check(cancelled);
            // each layer's Gram matrices, roots and transformed factors once: as the reader here, and its O side
            // kept for the later layers it writes to
            Transformed to = transform(l2, l2 < layers - 1, kinds);
            from[l2] = to.withoutReaders();
            for (int l1 = 0; l1 < l2; l1++) {
                check(cancelled);
                fill(l1, from[l1], l2, to, kinds, sink, buffers);
                if (progress != null) {
                    progress.accept(++done / (double) pairs);
                }
            }
        }
    }

    /**
     * The compositions of one head: with every earlier head as the reader (its column: earlier -&gt; this head)
     * and with every later head (its row: this head -&gt; later), earlier layers first. Only this head's factors
     * are multiplied by Gram roots; the other heads enter through their Gram matrices (cached per layer), so the
     * work is one [H·d_head x d_model x 3·d_head] product per earlier layer and one [(H + 2K)·d_head x d_model x
     * d_head] product per later layer, plus d_head³ per pair.
     */
    public List<Composition> compositionOf(int layer, int head) {
        List<Composition> out = new ArrayList<>();
        BlockProduct.Buffers buffers = new BlockProduct.Buffers();
        if (layer > 0) {
            BlockProduct.Side readerFactors = readerFactors(layer, head);
            for (int l1 = 0; l1 < layer; l1++) {
                out.addAll(column(l1, layer, head, readerFactors, buffers));
            }
        }
        if (layer < layers() - 1) {
            LayerFactors f = w.layer(layer);
            // R_V W_O of this head, depth-major                                    // [dModel][dHead]
            float[] oTilde = new float[dh * d];
            kernels.gemm(dh, d, dh, root(ovGrams(layer).kv()[f.kvHead(head)]), 0, dh, f.o(), f.queryOffset(head), d,
                    oTilde, 0, d);
            BlockProduct.Side oTildeT = BlockProduct.Side.depthMajor(BlockProduct.transposed(oTilde, 0, dh, d), 0, dh);
            for (int l2 = layer + 1; l2 < layers(); l2++) {
                out.addAll(row(layer, head, oTildeT, l2, buffers));
            }
        }
        return out;
    }

    /**
     * A reader head's B factors with their partners' Gram roots, R_K W_Q^T | R_Q W_K^T | R_O W_V^T (Q, K and V
     * composition), depth-major: the same for every earlier layer of its column.   // [dModel][3 * dHead]
     */
    private BlockProduct.Side readerFactors(int layer, int head) {
        LayerFactors f = w.layer(layer);
        CircuitGrams qk = qkGrams(layer);
        CircuitGrams ov = ovGrams(layer);
        float[] x = new float[3 * dh * d]; // [3][dHead][dModel]
        kernels.gemm(dh, d, dh, root(qk.kv()[f.kvHead(head)]), 0, dh, f.q(), f.queryOffset(head), d, x, 0, d);
        kernels.gemm(dh, d, dh, root(qk.head()[head]), 0, dh, f.k(), f.kvOffset(head), d, x, dh * d, d);
        kernels.gemm(dh, d, dh, root(ov.head()[head]), 0, dh, f.v(), f.kvOffset(head), d, x, 2 * dh * d, d);
        return BlockProduct.Side.depthMajor(BlockProduct.transposed(x, 0, 3 * dh, d), 0, 3 * dh);
    }

    /** Every head of layer {@code l1} into head {@code head} of {@code layer}, whose {@link #readerFactors} is xT. */
    private List<Composition> column(int l1, int layer, int head, BlockProduct.Side xT, BlockProduct.Buffers buffers) {
        CircuitGrams readerQk = qkGrams(layer);
        CircuitGrams readerOv = ovGrams(layer);
        LayerFactors e = w.layer(l1);
        CircuitGrams writer = ovGrams(l1); // a writer's OV half only: its Q and K Gram matrices are not needed here
        int heads = e.heads();
        // P = W_O x^T for every head of l1: numerator² = ||R_V1 P_kind||² = <P_kind P_kind^T, G_V1>
        // [H][dHead][3 * dHead]
        float[] p = new float[heads * dh * 3 * dh];
        BlockProduct.multiply(heads * dh, 3 * dh, d, BlockProduct.Side.rows(e.o(), 0, d), xT, p, 0, 3 * dh, false,
                buffers);
        Composition[] scores = new Composition[heads];
        IntStream.range(0, heads).parallel().forEach(h1 -> {
            double[] gv = writer.kv()[e.kvHead(h1)];
            float[] pp = new float[dh * dh];
            OptionalDouble[] s = new OptionalDouble[3];
            for (int kind = 0; kind < 3; kind++) {
                int off = h1 * dh * 3 * dh + kind * dh;
                RowDots.products(p, off, 3 * dh, dh, p, off, 3 * dh, dh, dh, pp, true);
                CircuitGrams b = kind == V ? readerOv : readerQk;
                s[kind] = score(dot(pp, gv), writer.norm()[h1] * b.norm()[head], writer.scale()[h1] * b.scale()[head]);
            }
            scores[h1] = new Composition(l1, h1, layer, head, s[0], s[1], s[2]);
        });
        return List.of(scores);
    }

    /**
     * Head {@code head} of {@code layer} (its R_V W_O, depth-major) into every head of {@code l2}: with Y = W_X
     * (R_V W_O)^T per reader block, numerator² = <Y Y^T, G> for the reader's partner Gram G (G_K for Q, G_Q for K,
     * G_O for V composition).
     */
    private List<Composition> row(int layer, int head, BlockProduct.Side oTildeT, int l2,
                                  BlockProduct.Buffers buffers) {
        LayerFactors r = w.layer(l2);
        CircuitGrams writer = ovGrams(layer);
        CircuitGrams readerQk = qkGrams(l2);
        CircuitGrams readerOv = ovGrams(l2);
        int heads = r.heads();
        int kvHeads = r.kvHeads();
        float[] yq = new float[heads * dh * dh];     // W_Q^T (R_V W_O)^T per query head  // [H][dHead][dHead]
        float[] yk = new float[kvHeads * dh * dh];   // W_K^T (R_V W_O)^T per kv-head     // [kvHeads][dHead][dHead]
        float[] yv = new float[kvHeads * dh * dh];   // W_V^T (R_V W_O)^T per kv-head
        BlockProduct.multiply(heads * dh, dh, d, BlockProduct.Side.rows(r.q(), 0, d), oTildeT, yq, 0, dh, false, buffers);
        BlockProduct.multiply(kvHeads * dh, dh, d, BlockProduct.Side.rows(r.k(), 0, d), oTildeT, yk, 0, dh, false, buffers);
        BlockProduct.multiply(kvHeads * dh, dh, d, BlockProduct.Side.rows(r.v(), 0, d), oTildeT, yv, 0, dh, false, buffers);
        float[][] kk = new float[kvHeads][];
        float[][] vv = new float[kvHeads][];
        IntStream.range(0, kvHeads).parallel().forEach(kv -> {
            kk[kv] = outer(yk, kv * dh * dh);
            vv[kv] = outer(yv, kv * dh * dh);
        });
        double ovNorm = writer.norm()[head];
        double ovScale = writer.scale()[head];
        Composition[] scores = new Composition[heads];
        IntStream.range(0, heads).parallel().forEach(h2 -> {
            int kv = r.kvHead(h2);
            float[] qq = outer(yq, h2 * dh * dh);
            double qkDenominator = ovNorm * readerQk.norm()[h2];
            double qkScale = ovScale * readerQk.scale()[h2];
            scores[h2] = new Composition(layer, head, l2, h2,
                    score(dot(qq, readerQk.kv()[kv]), qkDenominator, qkScale),
                    score(dot(kk[kv], readerQk.head()[h2]), qkDenominator, qkScale),
                    score(dot(vv[kv], readerOv.head()[h2]), ovNorm * readerOv.norm()[h2],
                            ovScale * readerOv.scale()[h2]));
        });
        return List.of(scores);
    }

    /** Y Y^T of the [dHead][dHead] block at {@code offset}. */
    private float[] outer(float[] y, int offset) {
        float[] out = new float[dh * dh];
        RowDots.products(y, offset, dh, dh, y, offset, dh, dh, dh, out, true);
        return out;
    }

    /** sum_ij a_ij g_ij in float64. */
    private static double dot(float[] a, double[] g) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * g[i];
        }
        return sum;
    }

    /** sqrt(numerator²) / denominator, or null when the denominator is zero relative to its scale. */
    private static OptionalDouble score(double numeratorSquared, double denominator, double scale) {
        return denominator > NULL_RELATIVE * scale && denominator > 0
                ? OptionalDouble.of(Math.sqrt(Math.max(0, numeratorSquared)) / denominator) : OptionalDouble.empty();
    }

    private float[] root(double[] gram) {
        return SmallMatrices.toFloats(SmallMatrices.gramRoot(gram, dh));
    }

    /** Scores of the given kinds of every head of l1 into every head of l2, into {@code sink}. */
    private void fill(int l1, Transformed a, int l2, Transformed b, boolean[] kinds, PairScores sink,
                      BlockProduct.Buffers buffers) {
        int heads = heads();
        int rows = heads * dh;
        int kindCount = count(kinds);
        // [kind][h1 rows][h2 rows]: every h1 row against every h2 row of the B factors of each kind
        float[][] products = new float[3][];
        BlockProduct.Side oTilde = BlockProduct.Side.depthMajor(a.oTildeT(), 0, rows);
        int slot = 0;
        for (int kind = 0; kind < 3; kind++) {
            if (kinds[kind]) {
                products[kind] = new float[rows * rows];
                BlockProduct.multiply(rows, rows, d, oTilde, BlockProduct.Side.depthMajor(b.xTildeT(),
                        slot++ * rows, kindCount * rows), products[kind], 0, rows, false, buffers);
            }
        }
        for (int h1 = 0; h1 < heads; h1++) {
            for (int h2 = 0; h2 < heads; h2++) {
                OptionalDouble[] s = new OptionalDouble[3];
                for (int kind = 0; kind < 3; kind++) {
                    if (!kinds[kind]) {
                        continue;
                    }
                    double sq = 0;
                    float[] p = products[kind];
                    for (int r = 0; r < dh; r++) {
                        int base = (h1 * dh + r) * rows + h2 * dh;
                        for (int c = 0; c < dh; c++) {
                            double x = p[base + c];
                            sq += x * x;
                        }
                    }
                    double bNorm = kind == V ? b.ovNorm()[h2] : b.qkNorm()[h2];
                    double bScale = kind == V ? b.ovScale()[h2] : b.qkScale()[h2];
                    s[kind] = score(sq, a.ovNorm()[h1] * bNorm, a.ovScale()[h1] * bScale);
                }
                sink.accept(l1, h1, l2, h2, s);
            }
        }
    }

    // -------------------------------------------------------------------------------------- OV in tokens

    /** A token and its value. */
    public record TokenValue(int token, double value) {
    }

    /**
     * One singular direction of the full OV circuit W_E W_OV W_U: sigma u v^T with the top input tokens (largest
     * entries of u) and the output tokens they are written to (largest entries of v); the pair's sign is chosen so
     * that the entry of u largest in magnitude is positive.
     */
    public record SingularDirection(double sigma, List<TokenValue> in, List<TokenValue> out) {
    }

    /** Singular values of one head's full OV circuit (all d_head of them, descending); empty for BERT. */
    public double[] ovSingularValues(int layer, int head) {
        return hasUnembedding() ? ovSvd(layer, head).svd().values() : new double[0];
    }

    /**
     * The {@code directions} strongest singular directions of one head's full OV circuit with {@code tokens}
     * tokens each side; empty without a linear unembedding.
     */
    public List<SingularDirection> ovTop(int layer, int head, int directions, int tokens) {
        return ovTopAll(List.of(new int[]{layer, head}), directions, tokens, null, null).getFirst();
    }

    /** {@link #ovTop} of several heads ({layer, head} pairs) in one pass over the vocabulary. */
    public List<List<SingularDirection>> ovTopAll(List<int[]> heads, int directions, int tokens,
                                                  BooleanSupplier cancelled, DoubleConsumer progress) {
        List<List<SingularDirection>> out = new ArrayList<>();
        if (!hasUnembedding() || heads.isEmpty()) {
            heads.forEach(h -> out.add(List.of()));
            return out;
        }
        int n = Math.min(directions, dh);
        int columns = heads.size() * n;
        float[] inDirections = new float[columns * d];  // x with u = W_E x       // [head * n][dModel]
        float[] outDirections = new float[columns * d]; // z with v = W_U^T z     // [head * n][dModel]
        double[] sigmas = new double[columns];
        for (int i = 0; i < heads.size(); i++) {
            check(cancelled);
            OvSvd s = ovSvd(heads.get(i)[0], heads.get(i)[1]);
            for (int c = 0; c < n; c++) {
                sigmas[i * n + c] = s.svd().values()[c];
                s.direction(c, inDirections, (i * n + c) * d, outDirections, (i * n + c) * d);
            }
            if (progress != null) {
                progress.accept(0.2 * (i + 1) / heads.size());
            }
        }
        TopTokens in = scan(w.embedding(), inDirections, columns, tokens, cancelled, progress, 0.2, 0.4);
        TopTokens outs = scan(w.unembedding(), outDirections, columns, tokens, cancelled, progress, 0.6, 0.4);
        for (int i = 0; i < heads.size(); i++) {
            List<SingularDirection> list = new ArrayList<>();
            for (int c = 0; c < n; c++) {
                int col = i * n + c;
                boolean flip = in.largestMagnitudeNegative(col);
                list.add(new SingularDirection(sigmas[col], in.top(col, flip), outs.top(col, flip)));
            }
            out.add(List.copyOf(list));
        }
        return out;
    }

    /** The {@code count} tokens head's OV circuit writes most when it attends to {@code token}: row token of W_E W_OV W_U. */
    public List<TokenValue> ovOutputs(int layer, int head, int token, int count) {
        if (!hasUnembedding()) {
            return List.of();
        }
        LayerFactors f = w.layer(layer);
        float[] y = new float[dh];         // W_E[token] W_V
        kernels.gemmTransposed(1, dh, d, 1f, w.embedding(), token * d, d, f.v(), f.kvOffset(head), d, y, 0, dh);
        float[] z = new float[d];          // ... W_O
        kernels.gemm(1, d, dh, y, 0, dh, f.o(), f.queryOffset(head), d, z, 0, d);
        TopTokens top = scan(w.unembedding(), z, 1, count, null, null, 0, 0);
        return top.top(0, false);
    }

    private record OvSvd(SmallMatrices.Svd svd, double[] inBasis, double[] outBasis, LayerFactors f, int head,
                         int dh, int d) {
        /** x = W_V inBasis Um_c and z = W_O^T outBasis Vm_c into the given arrays. */
        void direction(int c, float[] x, int xOff, float[] z, int zOff) {
            double[] a = new double[dh];
            double[] b = new double[dh];
            for (int r = 0; r < dh; r++) {
                double sa = 0;
                double sb = 0;
                for (int k = 0; k < dh; k++) {
                    sa += inBasis[r * dh + k] * svd.u()[k * dh + c];
                    sb += outBasis[r * dh + k] * svd.v()[k * dh + c];
                }
                a[r] = sa;
                b[r] = sb;
            }
            int vOff = f.kvOffset(head);
            int oOff = f.queryOffset(head);
            for (int m = 0; m < d; m++) {
                double sx = 0;
                double sz = 0;
                for (int r = 0; r < dh; r++) {
                    sx += f.v()[vOff + r * d + m] * a[r];
                    sz += f.o()[oOff + r * d + m] * b[r];
                }
                x[xOff + m] = (float) sx;
                z[zOff + m] = (float) sz;
            }
        }
    }

    /**
     * With A = W_E W_V (Gram Ga = W_V^T W_E^T W_E W_V = Ua diag(a) Ua^T) and B = W_O W_U (B B^T = Ub diag(b) Ub^T),
     * A B = Qa Mid Qb^T with Mid = diag(sqrt a) Ua^T Ub diag(sqrt b) and orthonormal Qa = A Ua diag(a^-1/2),
     * Qb = B^T Ub diag(b^-1/2): Mid's SVD is the full circuit's.
     */
    private OvSvd ovSvd(int layer, int head) {
        LayerFactors f = w.layer(layer);
        double[] ga = sandwich(embedGram(null), f.v(), f.kvOffset(head));
        double[] gb = sandwich(unembedGram(), f.o(), f.queryOffset(head));
        SmallMatrices.SymmetricEigen ea = SmallMatrices.symmetricEigen(ga, dh);
        SmallMatrices.SymmetricEigen eb = SmallMatrices.symmetricEigen(gb, dh);
        double[] mid = new double[dh * dh];
        double[] inBasis = new double[dh * dh];  // Ua diag(a^-1/2)   [dHead][dHead]
        double[] outBasis = new double[dh * dh]; // Ub diag(b^-1/2)
        double aFloor = 1e-12 * ea.values()[0];
        double bFloor = 1e-12 * eb.values()[0];
        for (int k = 0; k < dh; k++) {
            double sa = ea.values()[k] > aFloor ? Math.sqrt(ea.values()[k]) : 0;
            double sb = eb.values()[k] > bFloor ? Math.sqrt(eb.values()[k]) : 0;
            for (int r = 0; r < dh; r++) {
                inBasis[r * dh + k] = sa > 0 ? ea.vectors()[k][r] / sa : 0;
                outBasis[r * dh + k] = sb > 0 ? eb.vectors()[k][r] / sb : 0;
            }
            for (int l = 0; l < dh; l++) {
                double sl = eb.values()[l] > bFloor ? Math.sqrt(eb.values()[l]) : 0;
                double dot = 0;
                for (int r = 0; r < dh; r++) {
                    dot += ea.vectors()[k][r] * eb.vectors()[l][r];
                }
                mid[k * dh + l] = sa * dot * sl;
            }
        }
        return new OvSvd(SmallMatrices.svd(mid, dh), inBasis, outBasis, f, head, dh, d);
    }

    /** F S F^T for a symmetric S [dModel][dModel] and the [dHead][dModel] block F at {@code offset}. */
    private double[] sandwich(float[] s, float[] f, int offset) {
        float[] fs = new float[dh * d];
        kernels.gemmTransposed(dh, d, d, 1f, f, offset, d, s, 0, d, fs, 0, d);
        float[] out = new float[dh * dh];
        kernels.gemmTransposed(dh, dh, d, 1f, fs, 0, d, f, offset, d, out, 0, dh);
        double[] g = SmallMatrices.toDoubles(out);
        for (int i = 0; i < dh; i++) {
            for (int j = 0; j < i; j++) {
                double mean = 0.5 * (g[i * dh + j] + g[j * dh + i]);
                g[i * dh + j] = mean;
                g[j * dh + i] = mean;
            }
        }
        return g;
    }

    /** The largest and smallest {@code k} entries of each column of table x directions^T. */
    private static final class TopTokens {
        final int k;
        final int[][] maxToken;
        final double[][] maxValue; // descending
        final int[][] minToken;
        final double[][] minValue; // ascending

        TopTokens(int columns, int k) {
            this.k = k;
            maxToken = new int[columns][k];
            maxValue = new double[columns][k];
            minToken = new int[columns][k];
            minValue = new double[columns][k];
            for (int c = 0; c < columns; c++) {
                java.util.Arrays.fill(maxValue[c], Double.NEGATIVE_INFINITY);
                java.util.Arrays.fill(minValue[c], Double.POSITIVE_INFINITY);
                java.util.Arrays.fill(maxToken[c], -1);
                java.util.Arrays.fill(minToken[c], -1);
            }
        }

        void offer(int column, int token, double value) {
            insert(maxToken[column], maxValue[column], token, value, true);
            insert(minToken[column], minValue[column], token, value, false);
        }

        private void insert(int[] tokens, double[] values, int token, double value, boolean descending) {
            int last = k - 1;
            if (descending ? value <= values[last] : value >= values[last]) {
                return;
            }
            int i = last;
            while (i > 0 && (descending ? value > values[i - 1] : value < values[i - 1])) {
                values[i] = values[i - 1];
                tokens[i] = tokens[i - 1];
                i--;
            }
            values[i] = value;
            tokens[i] = token;
        }

        boolean largestMagnitudeNegative(int column) {
            return -minValue[column][0] > maxValue[column][0];
        }

        List<TokenValue> top(int column, boolean negated) {
            List<TokenValue> out = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                int token = negated ? minToken[column][i] : maxToken[column][i];
                if (token >= 0) {
                    out.add(new TokenValue(token, negated ? -minValue[column][i] : maxValue[column][i]));
                }
            }
            return List.copyOf(out);
        }
    }

    /** table // [V][dModel] times directions // [columns][dModel]^T, keeping each column's extremes. */
    private TopTokens scan(float[] table, float[] directions, int columns, int k, BooleanSupplier cancelled,
                           DoubleConsumer progress, double progressFrom, double progressSpan) {
        int vocab = table.length / d;
        TopTokens top = new TopTokens(columns, Math.min(k, vocab));
        int rows = Math.max(1, Math.min(vocab, (1 << 22) / Math.max(1, columns)));
        float[] block = new float[rows * columns];
        for (int t0 = 0; t0 < vocab; t0 += rows) {
            check(cancelled);
            int n = Math.min(rows, vocab - t0);
            kernels.gemmTransposed(n, columns, d, 1f, table, t0 * d, d, directions, 0, d, block, 0, columns);
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < columns; c++) {
                    top.offer(c, t0 + r, block[r * columns + c]);
                }
            }
            if (progress != null) {
                progress.accept(progressFrom + progressSpan * (t0 + n) / vocab);
            }
        }
        return top;
    }

    // -------------------------------------------------------------------------------- positional profile

    /**
     * The mean QK logit of W_pos W_QK W_pos^T per relative offset (query position minus key position) over all
     * position pairs of the model's learned absolute positions that attention may connect (causal: key at or
     * before the query); null when the model has no learned positions (rotary families: QK circuits there are
     * content-only).
     */
    public OffsetProfile positionalProfile(int layer, int head) {
        float[] pos = w.positions();
        if (pos == null) {
            return null;
        }
        int p = w.positionCount();
        LayerFactors f = w.layer(layer);
        float[] pq = new float[p * dh];
        float[] pk = new float[p * dh];
        kernels.gemmTransposed(p, dh, d, 1f, pos, 0, d, f.q(), f.queryOffset(head), d, pq, 0, dh);
        kernels.gemmTransposed(p, dh, d, 1f, pos, 0, d, f.k(), f.kvOffset(head), d, pk, 0, dh);
        float[] logits = new float[p * p]; // [query position][key position]
        kernels.gemmTransposed(p, p, dh, 1f, pq, 0, dh, pk, 0, dh, logits, 0, p);
        int first = w.causal() ? 0 : -(p - 1);
        double[] sum = new double[p - first];
        int[] count = new int[p - first];
        for (int i = 0; i < p; i++) {
            int jFrom = 0;
            int jTo = w.causal() ? i : p - 1;
            for (int j = jFrom; j <= jTo; j++) {
                int offset = i - j - first;
                sum[offset] += logits[i * p + j];
                count[offset]++;
            }
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= count[i];
        }
        return new OffsetProfile(first, sum);
    }

    // ---------------------------------------------------------------------------- vocabulary Gram matrices

    /** G^T = (W_U W_E)^T, formed once per model; {@code cancelled} (may be null) is checked between vocabulary parts. */
    private float[] unembedEmbedT(BooleanSupplier cancelled) {
        float[] g = unembedEmbedT;
        if (g == null) {
            synchronized (this) {
                if (unembedEmbedT == null) {
                    float[] product = w.tied() ? scaleByNorm(embedGram(cancelled), false, true)
                            : vocabProduct(w.embedding(), w.unembedding(), cancelled);
                    unembedEmbedNorm = frobenius(product, 0, product.length);
                    unembedEmbedT = product;
                }
                g = unembedEmbedT;
            }
        }
        return g;
    }

    private float[] embedGram(BooleanSupplier cancelled) {
        float[] g = embedGram;
        if (g == null) {
            synchronized (this) {
                if (embedGram == null) {
                    embedGram = vocabProduct(w.embedding(), w.embedding(), cancelled);
                }
                g = embedGram;
            }
        }
        return g;
    }

    private float[] unembedGram() {
        float[] g = unembedGram;
        if (g == null) {
            synchronized (this) {
                if (unembedGram == null) {
                    unembedGram = w.tied() ? scaleByNorm(embedGram(null), true, true)
                            : vocabProduct(w.unembedding(), w.unembedding(), null);
                }
                g = unembedGram;
            }
        }
        return g;
    }

    /**
     * Tied: W_U = diag(f) W_E^T, so (W_U W_E)^T = E^T E diag(f) (columns scaled) and W_U W_U^T = diag(f) E^T E diag(f)
     * (rows and columns).
     */
    private float[] scaleByNorm(float[] eTe, boolean rows, boolean columns) {
        float[] f = w.finalNorm();
        float[] out = new float[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                out[i * d + j] = (float) ((rows ? f[i] : 1f) * (double) eTe[i * d + j] * (columns ? f[j] : 1f));
            }
        }
        return out;
    }

    /** a^T b over the vocabulary: sum_t a[t][i] b[t][j] for a, b // [V][dModel] -> // [dModel][dModel]. */
    private float[] vocabProduct(float[] a, float[] b, BooleanSupplier cancelled) {
        int vocab = a.length / d;
        double[] sum = new double[d * d];
        // a^T a is symmetric: only the blocks on and above the diagonal, mirrored below
        boolean symmetric = a == b;
        BlockProduct.multiplyAccurately(d, d, vocab, BlockProduct.Side.depthMajor(a, 0, d),
                BlockProduct.Side.depthMajor(b, 0, d), sum, symmetric, () -> check(cancelled));
        if (symmetric) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < i; j++) {
                    sum[i * d + j] = sum[j * d + i];
                }
            }
        }
        return SmallMatrices.toFloats(sum);
    }

    private static double frobenius(float[] m, int offset, int length) {
        // four independent float64 sums (one chain of dependent adds was latency-bound)
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int end = offset + length;
        int i = offset;
        for (; i + 4 <= end; i += 4) {
            s0 += (double) m[i] * m[i];
            s1 += (double) m[i + 1] * m[i + 1];
            s2 += (double) m[i + 2] * m[i + 2];
            s3 += (double) m[i + 3] * m[i + 3];
        }
        for (; i < end; i++) {
            s0 += (double) m[i] * m[i];
        }
        return Math.sqrt(s0 + s1 + s2 + s3);
    }

    private static void check(BooleanSupplier cancelled) {
        if (cancelled != null && cancelled.getAsBoolean()) {
            throw new CancellationException("circuit analysis cancelled");
        }
    }
}
