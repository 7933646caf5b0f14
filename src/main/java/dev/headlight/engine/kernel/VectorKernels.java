package dev.headlight.engine.kernel;

import dev.headlight.format.safetensors.DType;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Vector API kernels (jdk.incubator.vector): register-tiled matmuls for both weight layouts, strided GEMMs for
 * attention, vectorized dot/axpy/activations/softmax.
 * <ul>
 *   <li>{@code linearInOut} (W [in][out], GPT-2 Conv1D): outer-product micro-kernel over a packed panel of
 *   {@link #PANEL} output columns x {@code kBlock} input positions (float32, {@code [k][column]}, in L2 while
 *   every token tile reuses it). The tiles keep 6 (or {@link #TOKEN_TILE}, or 1) tokens x {@code PANEL_VECTORS}
 *   vectors of accumulators in registers (24 of the 32 with AVX-512); per input position they broadcast x[t][k]
 *   and do one FMA per accumulator: no horizontal sums, no tail along {@code in}.</li>
 *   <li>{@code linear} (W [out][in], torch Linear): blocks of weight rows converted to float32 into a zero-padded
 *   buffer. Whole panels of {@link #PANEL} tokens (then one of {@link #QPANEL}) use outer-product tiles with the
 *   roles swapped (x transposed once per call is the packed side, weight rows are broadcast); the other tokens use
 *   dot-product tiles of 4 tokens x 4 rows (16 accumulators along {@code in}, one horizontal sum each at the end,
 *   in a fixed order). Transposing the weights into panels instead measured slower, scalar or with gathers.</li>
 *   <li>Attention: scores (A B^T, 16+ rows) broadcast rows of B against A transposed in 12 x 2-vector tiles; P.V
 *   uses the 6-row outer-product tile.</li>
 * </ul>
 * Weights are read from their memory-mapped segment only by bulk copies ({@code MemorySegment.copy}, see
 * {@link #convert}): never by Vector API loads, whose faults on a file cut short killed the JVM.
 * BF16 / F16 are widened once per element while packing (O(weights) against O(tokens x weights) FMAs). Work is
 * split across a dedicated pool of daemon threads by panels / row blocks, dynamically (a shared counter: a core
 * busy with something else simply takes fewer); the caller thread always works too, so concurrent calls from
 * several threads are safe and cannot deadlock. Small problems run on the caller alone, and so do weights in a
 * confined arena (no other thread may read them).
 * <p>
 * The species is a compile-time constant for the JIT (the Vector API is only fast that way), chosen once per
 * JVM from the system property {@code headlight.vector.bits} (256 or 512; default: the preferred species,
 * 512-bit on AVX-512, measured ~5-10% faster than 256-bit here for the [in][out] layout, equal for [out][in]).
 */
public final class VectorKernels implements Kernels {

    static final VectorSpecies<Float> SPECIES = chooseSpecies();
    private static final int LANES = SPECIES.length();
    /** Shorts with as many lanes as {@link #SPECIES}: half its bit size. */
    private static final VectorSpecies<Short> SHORTS = VectorSpecies.of(short.class,
            VectorShape.forBitSize(SPECIES.vectorBitSize() / 2));
    private static final VectorSpecies<Integer> INTS = SPECIES.withLanes(int.class);
    /** Accumulator vectors per token in the micro-kernel tile. */
    private static final int PANEL_VECTORS = 4;
    /** Output columns per packed panel. */
    static final int PANEL = PANEL_VECTORS * LANES;
    /** Tokens per micro-kernel tile. */
    static final int TOKEN_TILE = 4;
    /**
     * Input positions per packed panel. 256 (a 64 KB panel, in L2 rather than L1) measured ~2-5% faster than 128
     * with the 6-token tile: half the passes over the accumulators, and L2 keeps up with 4 loads per 24 FMAs.
     */
    private static final int DEFAULT_K_BLOCK = Math.max(1, Integer.getInteger("headlight.kblock", 256));
    /** Weight rows per dot-product tile. */
    private static final int ROW_TILE = 4;
    /** Weight rows converted together for the [out][in] layout; a multiple of {@link #ROW_TILE}. */
    private static final int ROW_BLOCK =
            Math.max(ROW_TILE, (Integer.getInteger("headlight.rowblock", 8) + ROW_TILE - 1) / ROW_TILE * ROW_TILE);
    /** From this many tokens on, linear runs whole panels of tokens with the weights as the broadcast side. */
    private static final int SWAP_MIN_TOKENS = Integer.getInteger("headlight.swapTokens", PANEL);
    /** Weight rows per work item of that path: converted once, used by every token panel. */
    private static final int SWAP_ROW_BLOCK = Integer.getInteger("headlight.swapRows", 48);
    /** Input positions per block of that path (xt block of SWAP_K_BLOCK x PANEL floats in L2; 64 or 128 to keep
     * it in L1 measured slower: more passes over the accumulators). */
    private static final int SWAP_K_BLOCK = Integer.getInteger("headlight.swapKBlock", 768);
    /** Queries per panel of gemmTransposed's swapped score tile: 2 vectors. */
    private static final int QPANEL = 2 * LANES;
    /** Keys (rows of B) per swapped score tile: 12 x 2 vectors = 24 accumulators. */
    private static final int KEY_TILE = 12;
    /** From this many rows of A on, gemmTransposed transposes B and runs the outer-product kernel. */
    private static final int TRANSPOSE_MIN_ROWS = 16;
    /** Flag in a parallel call's gate: the caller has finished, helpers arriving later must not start. */
    private static final int CLOSED = 1 << 30;
    /** Below this many multiply-adds a call runs on the caller thread alone. */
    private static final long PARALLEL_THRESHOLD = 1L << 18;
    /** System.nanoTime() of the last large call not made by the warm-up; see {@link #lastRealWorkNanos()}. */
    private volatile long lastRealWork = System.nanoTime() - (1L << 40);

    /** Never started: asks whether a segment can be read from threads other than its owner. */
    private static final Thread ANY_OTHER_THREAD = Thread.ofPlatform().unstarted(() -> { });

    private final int threads;
    private final int kBlock;
    private final int maxPanelGroup;
    private final ExecutorService pool;

    public VectorKernels(int threads) {
        // packing several adjacent panels per work item (longer contiguous reads per weight row) measured no
        // clear gain over 1 in KernelSpeed or in a GPT-2-small pass (2026-11, Zen 5); -Dheadlight.panelgroup=N
        this(threads, Integer.getInteger("headlight.panelgroup", 1));
    }

    /** With work items of linearInOut packing up to {@code maxPanelGroup} adjacent panels together. */
    VectorKernels(int threads, int maxPanelGroup) {
        this.maxPanelGroup = Math.max(1, maxPanelGroup);
        this.threads = Math.max(1, threads);
        this.kBlock = DEFAULT_K_BLOCK;
        this.pool = this.threads == 1 ? null : Executors.newFixedThreadPool(this.threads - 1, r -> {
            Thread t = new Thread(r, "headlight-kernel");
            t.setDaemon(true);
            return t;
        });
    }

    /** False where the vectors would be too narrow to beat plain Java (the API then runs in software). */
    static boolean usable() {
        return SPECIES.length() >= 4 && FloatVector.SPECIES_PREFERRED.length() >= 4;
    }

    private static VectorSpecies<Float> chooseSpecies() {
        int bits = Integer.getInteger("headlight.vector.bits", 0);
        return switch (bits) {
            case 128 -> FloatVector.SPECIES_128;
            case 256 -> FloatVector.SPECIES_256;
            case 512 -> FloatVector.SPECIES_512;
            default -> FloatVector.SPECIES_PREFERRED;
        };
    }

    // ------------------------------------------------------------------------------------------------ matmul

    @Override
    public void linear(float[] x, int tokens, Matrix w, float[] bias, float[] out) {
        int in = w.cols();
        int outDim = w.rows();
        checkSizes(x, tokens, in, outDim, w, bias, out);
        if (tokens == 0 || outDim == 0) {
            return;
        }
        int inPad = (in + LANES - 1) / LANES * LANES;
        // x with rows padded by zeros to whole vectors: no tail loop and no masks along in
        float[] xp = x;
        if (inPad != in) {
            xp = new float[tokens * inPad];
            for (int t = 0; t < tokens; t++) {
                System.arraycopy(x, t * in, xp, t * inPad, in);
            }
        }
        float[] xs = xp;
        // Whole panels of PANEL tokens run weights-as-broadcast: x transposed once per call into
        // xt[panel][k][PANEL tokens] is the packed side of the outer-product tiles and the weight rows are
        // broadcast, so no horizontal sums (the unembedding at 128 tokens: ~94 against ~88 GFLOP/s per core with
        // the dot tiles, ~100 against ~89 at 512); the tokens past the last whole (or half) panel take the dot tiles.
        int tokenPanels = tokens >= SWAP_MIN_TOKENS ? tokens / PANEL : 0;
        float[] xt = tokenPanels == 0 ? null : new float[tokenPanels * in * PANEL];   // [panel][k][PANEL tokens]
        for (int tp = 0; tp < tokenPanels; tp++) {
            transposeTokens(x, in, tp * PANEL, PANEL, xt, tp * in * PANEL);
        }
        // then one half panel of QPANEL tokens the same way (the score tiles of gemmTransposed), if that many remain
        int halfStart = tokenPanels * PANEL;
        boolean halfPanel = tokens - halfStart >= QPANEL;
        float[] xh = halfPanel ? new float[in * QPANEL] : null;   // [k][QPANEL tokens from halfStart]
        if (halfPanel) {
            transposeTokens(x, in, halfStart, QPANEL, xh, 0);
        }
        int rowBlock = tokenPanels == 0 && !halfPanel ? ROW_BLOCK : SWAP_ROW_BLOCK;
        int blocks = (outDim + rowBlock - 1) / rowBlock;
        // BF16 rows for one to three tokens (a keystroke's pass) are copied as stored and widened in registers by
        // the dot tiles: widening them into a float buffer first cost more than the products
        boolean rawDots = tokens < TOKEN_TILE && w.dtype() == DType.BF16 && inPad == in;
        AtomicInteger next = new AtomicInteger();
        Runnable work = () -> {
            float[] rows = new float[rowBlock * inPad];   // [row][inPad] of one block, float32, zero padded
            float[] acc = tokenPanels == 0 ? null : new float[rowBlock * PANEL];   // [row][token] of one panel
            float[] lanes = new float[4 * LANES];         // 4 accumulators of a dot tile, stored to be summed
            float[] tile = halfPanel ? new float[KEY_TILE * QPANEL] : null;   // [row][token] of a half panel tile
            short[] raw = rawBuffer(w.dtype(), rawDots ? rowBlock * in : in);   // 16-bit weights as stored
            int b;
            while ((b = next.getAndIncrement()) < blocks) {
                int row0 = b * rowBlock;
                int count = Math.min(rowBlock, outDim - row0);
                if (rawDots) {
                    // the block's rows are contiguous: one copy; rows past count read as zeros, never stored
                    MemorySegment.copy(w.data(), Layouts.I16, 2L * row0 * in, raw, 0, count * in);
                    Arrays.fill(raw, count * in, raw.length, (short) 0);
                    for (int t = 0; t < tokens; t++) {
                        for (int r = 0; r < count; r += ROW_TILE) {
                            dot1x4Bf16(x, t * in, in, raw, r * in, bias, row0 + r, Math.min(ROW_TILE, count - r),
                                    out, t * outDim, lanes);
                        }
                    }
                    continue;
                }
                for (int r = 0; r < count; r++) {
                    convert(w.data(), w.dtype(), (long) (row0 + r) * in, rows, r * inPad, in, raw);
                }
                if (count < rowBlock) {
                    Arrays.fill(rows, count * inPad, rows.length, 0f);
                }
                for (int tp = 0; tp < tokenPanels; tp++) {
                    swapPanel(rows, inPad, in, count, xt, tp, bias, row0, acc, out, outDim);
                }
                int t = halfStart;
                if (halfPanel) {
                    halfPanel(rows, inPad, in, count, xh, bias, row0, tile, out, outDim, halfStart);
                    t += QPANEL;
                }
                for (; t + TOKEN_TILE <= tokens; t += TOKEN_TILE) {
                    for (int r = 0; r < count; r += ROW_TILE) {
                        dot4x4(xs, t * inPad, inPad, rows, r * inPad, bias, row0 + r, Math.min(ROW_TILE, count - r),
                                out, t * outDim, outDim, lanes);
                    }
                }
                for (; t < tokens; t++) {
                    for (int r = 0; r < count; r += ROW_TILE) {
                        dot1x4(xs, t * inPad, inPad, rows, r * inPad, bias, row0 + r, Math.min(ROW_TILE, count - r),
                                out, t * outDim, lanes);
                    }
                }
            }
        };
        runParallel(work, (long) tokens * in * outDim, blocks, shareable(w));
    }

    /**
     * Where the 6-row tiles stop for {@code n} rows: a remainder of 2 (128 or 512 tokens) is better done as two
     * 4-row tiles than as one 6-row tile and two single rows.
     */
    private static int sixTileEnd(int n) {
        int end = n / 6 * 6;
        return n % 6 == 2 && end > 0 ? end - 6 : end;
    }

    /** Tokens [first, first + count) of x [tokens][in], transposed into dst[dstOff..] as [k][count]. */
    private static void transposeTokens(float[] x, int in, int first, int count, float[] dst, int dstOff) {
        for (int j = 0; j < count; j++) {
            int row = (first + j) * in;
            for (int k = 0; k < in; k++) {
                dst[dstOff + k * count + j] = x[row + k];
            }
        }
    }

    /**
     * out[tp * PANEL + j][row0 + r] = rows[r] . x[tp * PANEL + j] + bias for the {@code count} rows of a block and
     * the PANEL tokens of panel {@code tp}: the outer-product tiles with weight rows as the broadcast side,
     * into acc [row][token], then stored transposed.
     */
    private static void swapPanel(float[] rows, int inPad, int in, int count, float[] xt, int tp, float[] bias,
                                  int row0, float[] acc, float[] out, int outDim) {
        for (int r = 0; r < count; r++) {
            Arrays.fill(acc, r * PANEL, (r + 1) * PANEL, bias == null ? 0f : bias[row0 + r]);
        }
        int xtBase = tp * in * PANEL;
        for (int k0 = 0; k0 < in; k0 += SWAP_K_BLOCK) {
            int kc = Math.min(SWAP_K_BLOCK, in - k0);
            int p = xtBase + k0 * PANEL;
            int r = 0;
            int sixEnd = sixTileEnd(count);
            for (; r + 6 <= sixEnd; r += 6) {
                tile6(rows, r * inPad + k0, inPad, xt, p, PANEL, kc, acc, r * PANEL, PANEL);
            }
            for (; r + TOKEN_TILE <= count; r += TOKEN_TILE) {
                tile4(rows, r * inPad + k0, inPad, xt, p, PANEL, kc, acc, r * PANEL, PANEL);
            }
            for (; r < count; r++) {
                tile1(rows, r * inPad + k0, xt, p, PANEL, kc, acc, r * PANEL);
            }
        }
        int t0 = tp * PANEL;
        for (int j = 0; j < PANEL; j++) {
            int o = (t0 + j) * outDim + row0;
            for (int r = 0; r < count; r++) {
                out[o + r] = acc[r * PANEL + j];
            }
        }
    }

    /**
     * out[t0 + q][row0 + r] = rows[r] . x[t0 + q] + bias for the {@code count} rows of a block and the QPANEL
     * tokens from t0, with {@link #keys12} (weight rows broadcast against xh [k][QPANEL]).
     */
    private static void halfPanel(float[] rows, int inPad, int in, int count, float[] xh, float[] bias, int row0,
                                  float[] tile, float[] out, int outDim, int t0) {
        for (int r0 = 0; r0 < count; r0 += KEY_TILE) {
            int n = Math.min(KEY_TILE, count - r0);
            if (n == KEY_TILE) {
                keys12(rows, r0 * inPad, inPad, in, xh, 0, QPANEL, tile);
            } else {
                for (int r = 0; r < n; r++) {
                    keys1(rows, (r0 + r) * inPad, in, xh, 0, QPANEL, tile, r);
                }
            }
            for (int q = 0; q < QPANEL; q++) {
                int o = (t0 + q) * outDim + row0 + r0;
                for (int r = 0; r < n; r++) {
                    out[o + r] = tile[r * QPANEL + q] + (bias == null ? 0f : bias[row0 + r0 + r]);
                }
            }
        }
    }

    private static void checkSizes(float[] x, int tokens, int in, int outDim, Matrix w, float[] bias, float[] out) {
        if (x.length < (long) tokens * in || out.length < (long) tokens * outDim
                || (bias != null && bias.length < outDim)) {
            throw new IllegalArgumentException(w.name() + ": buffers too small for " + tokens + " tokens");
        }
    }

    @Override
    public void linearInOut(float[] x, int tokens, Matrix w, float[] bias, float[] out) {
        matmulInOut(x, tokens, w, bias, out);
    }

    /** out[tokens][outDim] = x[tokens][in] . W + bias with W stored [in][out]. */
    private void matmulInOut(float[] x, int tokens, Matrix w, float[] bias, float[] out) {
        int in = w.rows();
        int outDim = w.cols();
        checkSizes(x, tokens, in, outDim, w, bias, out);
        if (tokens == 0 || outDim == 0) {
            return;
        }
        if (tokens < TOKEN_TILE) {
            matmulInOutFewTokens(x, tokens, w, bias, out);
            return;
        }
        int panels = (outDim + PANEL - 1) / PANEL;
        // a work item packs several adjacent panels together: longer contiguous reads per weight row; as many
        // as keep at least ~4 items per thread for balance
        int group = Math.max(1, Math.min(maxPanelGroup, panels / (4 * threads)));
        int groups = (panels + group - 1) / group;
        int sixEnd = sixTileEnd(tokens);
        AtomicInteger next = new AtomicInteger();
        Runnable work = () -> {
            float[] packed = new float[group * kBlock * PANEL];    // [panel][k][column] of one group
            short[] raw = rawBuffer(w.dtype(), group * PANEL);     // one row of the group's 16-bit weights as stored
            float[] edgeOut = null;                                // [token][PANEL] for a partial last panel
            int g;
            while ((g = next.getAndIncrement()) < groups) {
                int firstPanel = g * group;
                int groupPanels = Math.min(group, panels - firstPanel);
                int col0 = firstPanel * PANEL;
                int cols = Math.min(groupPanels * PANEL, outDim - col0);
                int fullPanels = cols / PANEL;
                int edgeCols = cols - fullPanels * PANEL;
                if (edgeCols > 0 && edgeOut == null) {
                    edgeOut = new float[tokens * PANEL];
                }
                for (int t = 0; t < tokens; t++) {
                    int o = t * outDim + col0;
                    if (bias == null) {
                        Arrays.fill(out, o, o + fullPanels * PANEL, 0f);
                    } else {
                        System.arraycopy(bias, col0, out, o, fullPanels * PANEL);
                    }
                    if (edgeCols > 0) {
                        int e = t * PANEL;
                        if (bias == null) {
                            Arrays.fill(edgeOut, e, e + PANEL, 0f);
                        } else {
                            System.arraycopy(bias, col0 + fullPanels * PANEL, edgeOut, e, edgeCols);
                            Arrays.fill(edgeOut, e + edgeCols, e + PANEL, 0f);
                        }
                    }
                }
                for (int k0 = 0; k0 < in; k0 += kBlock) {
                    int kc = Math.min(kBlock, in - k0);
                    packInOut(w, k0, kc, col0, fullPanels, edgeCols, packed, raw);
                    for (int pnl = 0; pnl < groupPanels; pnl++) {
                        int pOff = pnl * kc * PANEL;
                        boolean edge = pnl == fullPanels;
                        float[] dst = edge ? edgeOut : out;
                        int dstOff = edge ? 0 : col0 + pnl * PANEL;
                        int dstStride = edge ? PANEL : outDim;
                        int t = 0;
                        for (; t + 6 <= sixEnd; t += 6) {
                            tile6(x, t * in + k0, in, packed, pOff, PANEL, kc, dst, dstOff + t * dstStride,
                                    dstStride);
                        }
                        for (; t + TOKEN_TILE <= tokens; t += TOKEN_TILE) {
                            tile4(x, t * in + k0, in, packed, pOff, PANEL, kc, dst, dstOff + t * dstStride,
                                    dstStride);
                        }
                        for (; t < tokens; t++) {
                            tile1(x, t * in + k0, packed, pOff, PANEL, kc, dst, dstOff + t * dstStride);
                        }
                    }
                }
                if (edgeCols > 0) {
                    for (int t = 0; t < tokens; t++) {
                        System.arraycopy(edgeOut, t * PANEL, out, t * outDim + col0 + fullPanels * PANEL, edgeCols);
                    }
                }
            }
        };
        runParallel(work, (long) tokens * in * outDim, groups, shareable(w));
    }

    /**
     * Runs {@code work} on the caller and, for big enough problems, on the pool's threads too. Weights in a
     * confined arena can only be read by their owner thread: those run on the caller alone.
     */
    private void runParallel(Runnable work, long multiplyAdds, int items, boolean shareable) {
        if (multiplyAdds >= PARALLEL_THRESHOLD && !WarmUp.onThisThread()) {
            lastRealWork = System.nanoTime();
        }
        int helpers = Math.min(threads, items) - 1;
        if (pool == null || helpers <= 0 || multiplyAdds < PARALLEL_THRESHOLD || !shareable) {
            work.run();
            return;
        }
        // A helper joins only while the call is open. When the caller has run out of work it closes the call
        // and waits just for helpers already inside: on a loaded machine a helper thread may not get a core for
        // milliseconds, and by then there is nothing left for it to do.
        AtomicInteger gate = new AtomicInteger();          // helpers inside, plus CLOSED once the caller is done
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread caller = Thread.currentThread();
        Runnable helper = () -> {
            int c;
            do {
                c = gate.get();
                if ((c & CLOSED) != 0) {
                    return;
                }
            } while (!gate.compareAndSet(c, c + 1));
            try {
                work.run();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            } finally {
                if (gate.decrementAndGet() == CLOSED) {
                    LockSupport.unpark(caller);
                }
            }
        };
        for (int h = 0; h < helpers; h++) {
            pool.execute(helper);
        }
        try {
            work.run();
        } finally {
            gate.getAndAdd(CLOSED);
            boolean interrupted = false;
            while ((gate.get() & ~CLOSED) != 0) {
                LockSupport.park(this);
                // park returns at once while the interrupt flag is set: clear it, restore it at the end
                interrupted |= Thread.interrupted();
            }
            if (interrupted) {
                caller.interrupt();
            }
        }
        Throwable e = failure.get();
        if (e instanceof RuntimeException re) {
            throw re;
        }
        if (e instanceof Error err) {
            throw err;
        }
    }

    private static boolean shareable(Matrix w) {
        return w.data().isAccessibleBy(ANY_OTHER_THREAD);
    }

    // ------------------------------------------------------------------------------------------------ strided GEMM

    @Override
    public void gemmTransposed(int m, int n, int k, float alpha, float[] a, int aOff, int aStride,
                               float[] b, int bOff, int bStride, float[] c, int cOff, int cStride) {
        if (m <= 0 || n <= 0) {
            return;
        }
        checkView(a, aOff, aStride, m, k, "a");
        checkView(b, bOff, bStride, n, k, "b");
        checkView(c, cOff, cStride, m, n, "c");
        if (m >= TRANSPOSE_MIN_ROWS && k > 0) {
            // short dot products (a head dim of 64 is 4 vectors) spend more on horizontal sums than on FMAs; so
            // outer products instead, with the roles swapped: A (the queries, m x k, few rows per call) is
            // transposed, cheap, and rows of B (the keys, up to all tokens) are broadcast; transposing B instead
            // cost more than the FMAs at 512 tokens
            int qPanels = (m + QPANEL - 1) / QPANEL;
            int mPad = qPanels * QPANEL;
            float[] at = new float[k * mPad];   // [p][query], zero past m
            for (int i = 0; i < m; i++) {
                int row = aOff + i * aStride;
                for (int p = 0; p < k; p++) {
                    at[p * mPad + i] = a[row + p];
                }
            }
            int keyTiles = (n + KEY_TILE - 1) / KEY_TILE;
            AtomicInteger nextTile = new AtomicInteger();
            Runnable scores = () -> {
                float[] tile = new float[KEY_TILE * QPANEL];   // [key][query] of one tile
                int jt;
                while ((jt = nextTile.getAndIncrement()) < keyTiles) {
                    int j0 = jt * KEY_TILE;
                    int keys = Math.min(KEY_TILE, n - j0);
                    for (int qp = 0; qp < qPanels; qp++) {
                        int q0 = qp * QPANEL;
                        if (keys == KEY_TILE) {
                            keys12(b, bOff + j0 * bStride, bStride, k, at, q0, mPad, tile);
                        } else {
                            for (int r = 0; r < keys; r++) {
                                keys1(b, bOff + (j0 + r) * bStride, k, at, q0, mPad, tile, r);
                            }
                        }
                        int queries = Math.min(QPANEL, m - q0);
                        for (int i = 0; i < queries; i++) {
                            int o = cOff + (q0 + i) * cStride + j0;
                            for (int r = 0; r < keys; r++) {
                                c[o + r] = alpha * tile[r * QPANEL + i];
                            }
                        }
                    }
                }
            };
            runParallel(scores, (long) m * n * k, keyTiles, true);
            return;
        }
        int rowTiles = (m + 3) / 4;
        AtomicInteger next = new AtomicInteger();
        Runnable work = () -> {
            float[] sums = new float[16];   // [row][column] of one 4x4 tile
            float[] lanes = new float[16 * LANES];   // the tile's 16 accumulators, stored to be summed
            int tile;
            while ((tile = next.getAndIncrement()) < rowTiles) {
                int i0 = tile * 4;
                // rows past the end repeat the last row: computed, never stored
                int a0 = aOff + Math.min(i0, m - 1) * aStride;
                int a1 = aOff + Math.min(i0 + 1, m - 1) * aStride;
                int a2 = aOff + Math.min(i0 + 2, m - 1) * aStride;
                int a3 = aOff + Math.min(i0 + 3, m - 1) * aStride;
                int rows = Math.min(4, m - i0);
                for (int j0 = 0; j0 < n; j0 += 4) {
                    int b0 = bOff + Math.min(j0, n - 1) * bStride;
                    int b1 = bOff + Math.min(j0 + 1, n - 1) * bStride;
                    int b2 = bOff + Math.min(j0 + 2, n - 1) * bStride;
                    int b3 = bOff + Math.min(j0 + 3, n - 1) * bStride;
                    dots4x4(a, a0, a1, a2, a3, b, b0, b1, b2, b3, k, sums, lanes);
                    int cols = Math.min(4, n - j0);
                    for (int r = 0; r < rows; r++) {
                        int o = cOff + (i0 + r) * cStride + j0;
                        for (int q = 0; q < cols; q++) {
                            c[o + q] = alpha * sums[r * 4 + q];
                        }
                    }
                }
            }
        };
        runParallel(work, (long) m * n * k, rowTiles, true);
    }

    /**
     * Score tile of {@link #gemmTransposed} with the roles swapped: 12 rows of B (keys) broadcast against
     * {@link #QPANEL} columns of A transposed (queries), 24 accumulators; tile[r][q] = sum_p b[row r][p] * at[p][q].
     */
    private static void keys12(float[] b, int bRow, int bStride, int k, float[] at, int atOff, int atStride,
                               float[] tile) {
        int b0 = bRow;
        int b1 = bRow + bStride;
        int b2 = bRow + 2 * bStride;
        int b3 = bRow + 3 * bStride;
        int b4 = bRow + 4 * bStride;
        int b5 = bRow + 5 * bStride;
        int b6 = bRow + 6 * bStride;
        int b7 = bRow + 7 * bStride;
        int b8 = bRow + 8 * bStride;
        int b9 = bRow + 9 * bStride;
        int b10 = bRow + 10 * bStride;
        int b11 = bRow + 11 * bStride;
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector c00 = zero, c01 = zero;
        FloatVector c10 = zero, c11 = zero;
        FloatVector c20 = zero, c21 = zero;
        FloatVector c30 = zero, c31 = zero;
        FloatVector c40 = zero, c41 = zero;
        FloatVector c50 = zero, c51 = zero;
        FloatVector c60 = zero, c61 = zero;
        FloatVector c70 = zero, c71 = zero;
        FloatVector c80 = zero, c81 = zero;
        FloatVector c90 = zero, c91 = zero;
        FloatVector c100 = zero, c101 = zero;
        FloatVector c110 = zero, c111 = zero;
        for (int p = 0, ap = atOff; p < k; p++, ap += atStride) {
            FloatVector q0 = FloatVector.fromArray(SPECIES, at, ap);
            FloatVector q1 = FloatVector.fromArray(SPECIES, at, ap + LANES);
            FloatVector w = FloatVector.broadcast(SPECIES, b[b0 + p]);
            c00 = q0.fma(w, c00);
            c01 = q1.fma(w, c01);
            w = FloatVector.broadcast(SPECIES, b[b1 + p]);
            c10 = q0.fma(w, c10);
            c11 = q1.fma(w, c11);
            w = FloatVector.broadcast(SPECIES, b[b2 + p]);
            c20 = q0.fma(w, c20);
            c21 = q1.fma(w, c21);
            w = FloatVector.broadcast(SPECIES, b[b3 + p]);
            c30 = q0.fma(w, c30);
            c31 = q1.fma(w, c31);
            w = FloatVector.broadcast(SPECIES, b[b4 + p]);
            c40 = q0.fma(w, c40);
            c41 = q1.fma(w, c41);
            w = FloatVector.broadcast(SPECIES, b[b5 + p]);
            c50 = q0.fma(w, c50);
            c51 = q1.fma(w, c51);
            w = FloatVector.broadcast(SPECIES, b[b6 + p]);
            c60 = q0.fma(w, c60);
            c61 = q1.fma(w, c61);
            w = FloatVector.broadcast(SPECIES, b[b7 + p]);
            c70 = q0.fma(w, c70);
            c71 = q1.fma(w, c71);
            w = FloatVector.broadcast(SPECIES, b[b8 + p]);
            c80 = q0.fma(w, c80);
            c81 = q1.fma(w, c81);
            w = FloatVector.broadcast(SPECIES, b[b9 + p]);
            c90 = q0.fma(w, c90);
            c91 = q1.fma(w, c91);
            w = FloatVector.broadcast(SPECIES, b[b10 + p]);
            c100 = q0.fma(w, c100);
            c101 = q1.fma(w, c101);
            w = FloatVector.broadcast(SPECIES, b[b11 + p]);
            c110 = q0.fma(w, c110);
            c111 = q1.fma(w, c111);
        }
        c00.intoArray(tile, 0 * QPANEL);
        c01.intoArray(tile, 0 * QPANEL + LANES);
        c10.intoArray(tile, 1 * QPANEL);
        c11.intoArray(tile, 1 * QPANEL + LANES);
        c20.intoArray(tile, 2 * QPANEL);
        c21.intoArray(tile, 2 * QPANEL + LANES);
        c30.intoArray(tile, 3 * QPANEL);
        c31.intoArray(tile, 3 * QPANEL + LANES);
        c40.intoArray(tile, 4 * QPANEL);
        c41.intoArray(tile, 4 * QPANEL + LANES);
        c50.intoArray(tile, 5 * QPANEL);
        c51.intoArray(tile, 5 * QPANEL + LANES);
        c60.intoArray(tile, 6 * QPANEL);
        c61.intoArray(tile, 6 * QPANEL + LANES);
        c70.intoArray(tile, 7 * QPANEL);
        c71.intoArray(tile, 7 * QPANEL + LANES);
        c80.intoArray(tile, 8 * QPANEL);
        c81.intoArray(tile, 8 * QPANEL + LANES);
        c90.intoArray(tile, 9 * QPANEL);
        c91.intoArray(tile, 9 * QPANEL + LANES);
        c100.intoArray(tile, 10 * QPANEL);
        c101.intoArray(tile, 10 * QPANEL + LANES);
        c110.intoArray(tile, 11 * QPANEL);
        c111.intoArray(tile, 11 * QPANEL + LANES);
    }

    /** One row of {@link #keys12}: tile[r][q] for the given r. */
    private static void keys1(float[] b, int bRow, int k, float[] at, int atOff, int atStride, float[] tile, int r) {
        FloatVector c0 = FloatVector.zero(SPECIES);
        FloatVector c1 = c0;
        for (int p = 0, ap = atOff; p < k; p++, ap += atStride) {
            FloatVector w = FloatVector.broadcast(SPECIES, b[bRow + p]);
            c0 = FloatVector.fromArray(SPECIES, at, ap).fma(w, c0);
            c1 = FloatVector.fromArray(SPECIES, at, ap + LANES).fma(w, c1);
        }
        c0.intoArray(tile, r * QPANEL);
        c1.intoArray(tile, r * QPANEL + LANES);
    }

    /**
     * sums[r][q] = a_r . b_q over k elements, rows at the given offsets; a scalar tail past whole vectors. Each sum
     * is the same bits in every call (lanes added in a fixed order), so the circuit scores use it too.
     * {@code lanes} is scratch of 16 vectors' length.
     */
    public static void dots4x4(float[] a, int a0, int a1, int a2, int a3, float[] b, int b0, int b1, int b2, int b3,
                                int k, float[] sums, float[] lanes) {
        FloatVector s00 = FloatVector.zero(SPECIES), s01 = s00, s02 = s00, s03 = s00;
        FloatVector s10 = s00, s11 = s00, s12 = s00, s13 = s00;
        FloatVector s20 = s00, s21 = s00, s22 = s00, s23 = s00;
        FloatVector s30 = s00, s31 = s00, s32 = s00, s33 = s00;
        int p = 0;
        for (; p + LANES <= k; p += LANES) {
            FloatVector w0 = FloatVector.fromArray(SPECIES, b, b0 + p);
            FloatVector w1 = FloatVector.fromArray(SPECIES, b, b1 + p);
            FloatVector w2 = FloatVector.fromArray(SPECIES, b, b2 + p);
            FloatVector w3 = FloatVector.fromArray(SPECIES, b, b3 + p);
            FloatVector v = FloatVector.fromArray(SPECIES, a, a0 + p);
            s00 = v.fma(w0, s00);
            s01 = v.fma(w1, s01);
            s02 = v.fma(w2, s02);
            s03 = v.fma(w3, s03);
            v = FloatVector.fromArray(SPECIES, a, a1 + p);
            s10 = v.fma(w0, s10);
            s11 = v.fma(w1, s11);
            s12 = v.fma(w2, s12);
            s13 = v.fma(w3, s13);
            v = FloatVector.fromArray(SPECIES, a, a2 + p);
            s20 = v.fma(w0, s20);
            s21 = v.fma(w1, s21);
            s22 = v.fma(w2, s22);
            s23 = v.fma(w3, s23);
            v = FloatVector.fromArray(SPECIES, a, a3 + p);
            s30 = v.fma(w0, s30);
            s31 = v.fma(w1, s31);
            s32 = v.fma(w2, s32);
            s33 = v.fma(w3, s33);
        }
        // no arrays of vectors here: they would be boxed
        s00.intoArray(lanes, 0);
        s01.intoArray(lanes, LANES);
        s02.intoArray(lanes, 2 * LANES);
        s03.intoArray(lanes, 3 * LANES);
        s10.intoArray(lanes, 4 * LANES);
        s11.intoArray(lanes, 5 * LANES);
        s12.intoArray(lanes, 6 * LANES);
        s13.intoArray(lanes, 7 * LANES);
        s20.intoArray(lanes, 8 * LANES);
        s21.intoArray(lanes, 9 * LANES);
        s22.intoArray(lanes, 10 * LANES);
        s23.intoArray(lanes, 11 * LANES);
        s30.intoArray(lanes, 12 * LANES);
        s31.intoArray(lanes, 13 * LANES);
        s32.intoArray(lanes, 14 * LANES);
        s33.intoArray(lanes, 15 * LANES);
        for (int q = 0; q < 16; q++) {
            sums[q] = VectorMath.sumLanes(lanes, q * LANES);
        }
        if (p < k) {
            tailDots(a, a0, a1, a2, a3, b, b0, b1, b2, b3, p, k, sums);
        }
    }

    /** Adds the elements [p, k) past the last whole vector to the 16 sums of {@link #dots4x4}. */
    private static void tailDots(float[] a, int a0, int a1, int a2, int a3, float[] b, int b0, int b1, int b2,
                                 int b3, int p, int k, float[] sums) {
        int[] ar = {a0, a1, a2, a3};
        int[] br = {b0, b1, b2, b3};
        for (int r = 0; r < 4; r++) {
            for (int q = 0; q < 4; q++) {
                float sum = 0f;
                for (int t = p; t < k; t++) {
                    sum += a[ar[r] + t] * b[br[q] + t];
                }
                sums[r * 4 + q] += sum;
            }
        }
    }

    @Override
    public void gemm(int m, int n, int k, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                     float[] c, int cOff, int cStride) {
        if (m <= 0 || n <= 0) {
            return;
        }
        checkView(a, aOff, aStride, m, k, "a");
        checkView(b, bOff, bStride, k, n, "b");
        checkView(c, cOff, cStride, m, n, "c");
        // row tiles: of 6 rows (24 accumulators) while they fit, then of 4, then the last rows
        int sixEnd = sixTileEnd(m);
        int sixTiles = sixEnd / 6;
        int rowTiles = sixTiles + (m - sixEnd + 3) / 4;
        int fullPanels = n / PANEL;
        AtomicInteger next = new AtomicInteger();
        Runnable work = () -> {
            int tile;
            while ((tile = next.getAndIncrement()) < rowTiles) {
                int i0 = tile < sixTiles ? tile * 6 : sixEnd + (tile - sixTiles) * 4;
                int rows = Math.min(tile < sixTiles ? 6 : 4, m - i0);
                for (int r = 0; r < rows; r++) {
                    Arrays.fill(c, cOff + (i0 + r) * cStride, cOff + (i0 + r) * cStride + n, 0f);
                }
                for (int pnl = 0; pnl < fullPanels; pnl++) {
                    int j0 = pnl * PANEL;
                    if (rows == 6) {
                        tile6(a, aOff + i0 * aStride, aStride, b, bOff + j0, bStride, k, c,
                                cOff + i0 * cStride + j0, cStride);
                    } else if (rows == 4) {
                        tile4(a, aOff + i0 * aStride, aStride, b, bOff + j0, bStride, k, c,
                                cOff + i0 * cStride + j0, cStride);
                    } else {
                        for (int r = 0; r < rows; r++) {
                            tile1(a, aOff + (i0 + r) * aStride, b, bOff + j0, bStride, k, c,
                                    cOff + (i0 + r) * cStride + j0);
                        }
                    }
                }
                for (int r = 0; r < rows; r++) {
                    gemmColumns(a, aOff + (i0 + r) * aStride, b, bOff, bStride, k, fullPanels * PANEL, n, c,
                            cOff + (i0 + r) * cStride);
                }
            }
        };
        runParallel(work, (long) m * n * k, rowTiles, true);
    }

    /** Columns [j0, n) of one row of {@link #gemm}, one (masked) vector at a time. */
    private static void gemmColumns(float[] a, int aRow, float[] b, int bOff, int bStride, int k, int j0, int n,
                                    float[] c, int cRow) {
        for (int j = j0; j < n; j += LANES) {
            var mask = SPECIES.indexInRange(j, n);
            FloatVector acc = FloatVector.zero(SPECIES);
            for (int p = 0; p < k; p++) {
                acc = FloatVector.fromArray(SPECIES, b, bOff + p * bStride + j, mask)
                        .fma(FloatVector.broadcast(SPECIES, a[aRow + p]), acc);
            }
            acc.intoArray(c, cRow + j, mask);
        }
    }

    /** A rows x cols view at offset/stride must lie inside the array. */
    private static void checkView(float[] array, int offset, int stride, int rows, int cols, String what) {
        if (rows <= 0 || cols <= 0) {
            return;
        }
        long last = offset + (long) (rows - 1) * stride + cols;
        if (offset < 0 || stride < 0 || last > array.length) {
            throw new IllegalArgumentException("gemm: " + what + " view of " + rows + "x" + cols + " at offset "
                    + offset + " stride " + stride + " exceeds its " + array.length + " floats");
        }
    }

    // ------------------------------------------------------------------------------------------------ packing

    /**
     * W [in][out], rows k0..k0+kc, columns from col0: {@code fullPanels} whole panels then {@code edgeCols} more
     * (zero padded to a panel), packed [panel][k][column], each panel's block kc * PANEL floats. {@code raw} holds
     * at least a row of the group's 16-bit weights.
     */
    private static void packInOut(Matrix w, int k0, int kc, int col0, int fullPanels, int edgeCols,
                                  float[] packed, short[] raw) {
        int outDim = w.cols();
        MemorySegment data = w.data();
        DType dtype = w.dtype();
        int panelFloats = kc * PANEL;
        for (int k = 0; k < kc; k++) {
            long row = (long) (k0 + k) * outDim + col0;
            if (dtype == DType.F32) {
                for (int pnl = 0; pnl < fullPanels; pnl++) {
                    MemorySegment.copy(data, Layouts.F32, 4 * (row + (long) pnl * PANEL), packed,
                            pnl * panelFloats + k * PANEL, PANEL);
                }
            } else if (fullPanels > 0) {
                // one copy of the row's stored bits, then widened panel by panel: one call per 64-element slice
                // would cost as much as the copy
                MemorySegment.copy(data, Layouts.I16, 2 * row, raw, 0, fullPanels * PANEL);
                for (int pnl = 0; pnl < fullPanels; pnl++) {
                    widen(dtype, raw, pnl * PANEL, packed, pnl * panelFloats + k * PANEL, PANEL);
                }
            }
            if (edgeCols > 0) {
                int o = fullPanels * panelFloats + k * PANEL;
                convert(data, dtype, row + (long) fullPanels * PANEL, packed, o, edgeCols, raw);
                Arrays.fill(packed, o + edgeCols, o + PANEL, 0f);
            }
        }
    }

    /** A buffer for {@link #convert}'s 16-bit weights: {@code n} shorts for BF16 and F16, none for F32. */
    static short[] rawBuffer(DType dtype, int n) {
        return dtype == DType.F32 ? null : new short[n];
    }

    /**
     * Elements [index, index + n) of a weight segment, converted to float32, into dst[off..]; {@code raw} is a
     * buffer of at least n shorts for 16-bit dtypes (see {@link #rawBuffer}).
     * <p>
     * Weights are read from their segment only by {@code MemorySegment.copy}, a bulk copy HotSpot guards: when the
     * mapped file was cut short underneath, the copy fails with {@code InternalError} ("a fault occurred in an
     * unsafe memory access operation"), which the engine reports naming the file. A C2-compiled Vector API load
     * from the mapping ({@code FloatVector.fromMemorySegment}) is not guarded: the same fault killed the JVM with
     * SIGBUS (JDK 25; TruncatedDuringPassTest). The vectors read the heap copy instead.
     */
    static void convert(MemorySegment data, DType dtype, long index, float[] dst, int off, int n, short[] raw) {
        switch (dtype) {
            case F32 -> MemorySegment.copy(data, Layouts.F32, index * 4, dst, off, n);
            case BF16, F16 -> {
                MemorySegment.copy(data, Layouts.I16, index * 2, raw, 0, n);
                widen(dtype, raw, 0, dst, off, n);
            }
            default -> throw new IllegalArgumentException("weights of dtype " + dtype + " are not supported");
        }
    }

    /** raw[from, from + n), BF16 or F16 bits, as float32 into dst[off..]. */
    private static void widen(DType dtype, short[] raw, int from, float[] dst, int off, int n) {
        if (dtype == DType.F16) {
            // C2 compiles this loop to vcvtph2ps on whole vectors (faster than a Vector API bit trick)
            for (int i = 0; i < n; i++) {
                dst[off + i] = Float.float16ToFloat(raw[from + i]);
            }
            return;
        }
        int i = 0;
        for (; i + LANES <= n; i += LANES) {
            ShortVector s = ShortVector.fromArray(SHORTS, raw, from + i);
            IntVector bits = (IntVector) s.convertShape(VectorOperators.S2I, INTS, 0);
            bits.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().intoArray(dst, off + i);
        }
        for (; i < n; i++) {
            dst[off + i] = Float.intBitsToFloat((raw[from + i] & 0xFFFF) << 16);
        }
    }

    // ------------------------------------------------------------------------------------------------ micro-kernels

    /**
     * out[t][c] += sum_k x[xOff + t * xStride + k] * p[pOff + k * pStride + c] for 4 tokens t and PANEL
     * columns c, with 16 accumulators in registers.
     */
    private static void tile4(float[] x, int xOff, int xStride, float[] p, int pOff, int pStride, int kc, float[] out,
                      int oOff, int oStride) {
        int o1 = oOff + oStride;
        int o2 = o1 + oStride;
        int o3 = o2 + oStride;
        FloatVector c00 = FloatVector.fromArray(SPECIES, out, oOff);
        FloatVector c01 = FloatVector.fromArray(SPECIES, out, oOff + LANES);
        FloatVector c02 = FloatVector.fromArray(SPECIES, out, oOff + 2 * LANES);
        FloatVector c03 = FloatVector.fromArray(SPECIES, out, oOff + 3 * LANES);
        FloatVector c10 = FloatVector.fromArray(SPECIES, out, o1);
        FloatVector c11 = FloatVector.fromArray(SPECIES, out, o1 + LANES);
        FloatVector c12 = FloatVector.fromArray(SPECIES, out, o1 + 2 * LANES);
        FloatVector c13 = FloatVector.fromArray(SPECIES, out, o1 + 3 * LANES);
        FloatVector c20 = FloatVector.fromArray(SPECIES, out, o2);
        FloatVector c21 = FloatVector.fromArray(SPECIES, out, o2 + LANES);
        FloatVector c22 = FloatVector.fromArray(SPECIES, out, o2 + 2 * LANES);
        FloatVector c23 = FloatVector.fromArray(SPECIES, out, o2 + 3 * LANES);
        FloatVector c30 = FloatVector.fromArray(SPECIES, out, o3);
        FloatVector c31 = FloatVector.fromArray(SPECIES, out, o3 + LANES);
        FloatVector c32 = FloatVector.fromArray(SPECIES, out, o3 + 2 * LANES);
        FloatVector c33 = FloatVector.fromArray(SPECIES, out, o3 + 3 * LANES);
        int x0 = xOff;
        int x1 = x0 + xStride;
        int x2 = x1 + xStride;
        int x3 = x2 + xStride;
        for (int k = 0, pk = pOff; k < kc; k++, pk += pStride) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, p, pk);
            FloatVector b1 = FloatVector.fromArray(SPECIES, p, pk + LANES);
            FloatVector b2 = FloatVector.fromArray(SPECIES, p, pk + 2 * LANES);
            FloatVector b3 = FloatVector.fromArray(SPECIES, p, pk + 3 * LANES);
            FloatVector a = FloatVector.broadcast(SPECIES, x[x0 + k]);
            c00 = b0.fma(a, c00);
            c01 = b1.fma(a, c01);
            c02 = b2.fma(a, c02);
            c03 = b3.fma(a, c03);
            a = FloatVector.broadcast(SPECIES, x[x1 + k]);
            c10 = b0.fma(a, c10);
            c11 = b1.fma(a, c11);
            c12 = b2.fma(a, c12);
            c13 = b3.fma(a, c13);
            a = FloatVector.broadcast(SPECIES, x[x2 + k]);
            c20 = b0.fma(a, c20);
            c21 = b1.fma(a, c21);
            c22 = b2.fma(a, c22);
            c23 = b3.fma(a, c23);
            a = FloatVector.broadcast(SPECIES, x[x3 + k]);
            c30 = b0.fma(a, c30);
            c31 = b1.fma(a, c31);
            c32 = b2.fma(a, c32);
            c33 = b3.fma(a, c33);
        }
        c00.intoArray(out, oOff);
        c01.intoArray(out, oOff + LANES);
        c02.intoArray(out, oOff + 2 * LANES);
        c03.intoArray(out, oOff + 3 * LANES);
        c10.intoArray(out, o1);
        c11.intoArray(out, o1 + LANES);
        c12.intoArray(out, o1 + 2 * LANES);
        c13.intoArray(out, o1 + 3 * LANES);
        c20.intoArray(out, o2);
        c21.intoArray(out, o2 + LANES);
        c22.intoArray(out, o2 + 2 * LANES);
        c23.intoArray(out, o2 + 3 * LANES);
        c30.intoArray(out, o3);
        c31.intoArray(out, o3 + LANES);
        c32.intoArray(out, o3 + 2 * LANES);
        c33.intoArray(out, o3 + 3 * LANES);
    }

    /**
     * {@link #tile4} for 6 tokens: 24 accumulators (of the 32 vector registers with AVX-512) hide the FMA latency
     * better and load each panel vector once per 6 tokens; measured ~110 against ~97 GFLOP/s for 4 tokens on an
     * L1-resident panel (one Zen 4 core, 512-bit).
     */
    private static void tile6(float[] x, int xOff, int xStride, float[] p, int pOff, int pStride, int kc, float[] out,
                              int oOff, int oStride) {
        int x0 = xOff;
        int o1 = oOff + oStride;
        int x1 = xOff + xStride;
        int o2 = oOff + 2 * oStride;
        int x2 = xOff + 2 * xStride;
        int o3 = oOff + 3 * oStride;
        int x3 = xOff + 3 * xStride;
        int o4 = oOff + 4 * oStride;
        int x4 = xOff + 4 * xStride;
        int o5 = oOff + 5 * oStride;
        int x5 = xOff + 5 * xStride;
        FloatVector c00 = FloatVector.fromArray(SPECIES, out, oOff);
        FloatVector c01 = FloatVector.fromArray(SPECIES, out, oOff + LANES);
        FloatVector c02 = FloatVector.fromArray(SPECIES, out, oOff + 2 * LANES);
        FloatVector c03 = FloatVector.fromArray(SPECIES, out, oOff + 3 * LANES);
        FloatVector c10 = FloatVector.fromArray(SPECIES, out, o1);
        FloatVector c11 = FloatVector.fromArray(SPECIES, out, o1 + LANES);
        FloatVector c12 = FloatVector.fromArray(SPECIES, out, o1 + 2 * LANES);
        FloatVector c13 = FloatVector.fromArray(SPECIES, out, o1 + 3 * LANES);
        FloatVector c20 = FloatVector.fromArray(SPECIES, out, o2);
        FloatVector c21 = FloatVector.fromArray(SPECIES, out, o2 + LANES);
        FloatVector c22 = FloatVector.fromArray(SPECIES, out, o2 + 2 * LANES);
        FloatVector c23 = FloatVector.fromArray(SPECIES, out, o2 + 3 * LANES);
        FloatVector c30 = FloatVector.fromArray(SPECIES, out, o3);
        FloatVector c31 = FloatVector.fromArray(SPECIES, out, o3 + LANES);
        FloatVector c32 = FloatVector.fromArray(SPECIES, out, o3 + 2 * LANES);
        FloatVector c33 = FloatVector.fromArray(SPECIES, out, o3 + 3 * LANES);
        FloatVector c40 = FloatVector.fromArray(SPECIES, out, o4);
        FloatVector c41 = FloatVector.fromArray(SPECIES, out, o4 + LANES);
        FloatVector c42 = FloatVector.fromArray(SPECIES, out, o4 + 2 * LANES);
        FloatVector c43 = FloatVector.fromArray(SPECIES, out, o4 + 3 * LANES);
        FloatVector c50 = FloatVector.fromArray(SPECIES, out, o5);
        FloatVector c51 = FloatVector.fromArray(SPECIES, out, o5 + LANES);
        FloatVector c52 = FloatVector.fromArray(SPECIES, out, o5 + 2 * LANES);
        FloatVector c53 = FloatVector.fromArray(SPECIES, out, o5 + 3 * LANES);
        for (int k = 0, pk = pOff; k < kc; k++, pk += pStride) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, p, pk);
            FloatVector b1 = FloatVector.fromArray(SPECIES, p, pk + LANES);
            FloatVector b2 = FloatVector.fromArray(SPECIES, p, pk + 2 * LANES);
            FloatVector b3 = FloatVector.fromArray(SPECIES, p, pk + 3 * LANES);
            FloatVector a = FloatVector.broadcast(SPECIES, x[x0 + k]);
            c00 = b0.fma(a, c00);
            c01 = b1.fma(a, c01);
            c02 = b2.fma(a, c02);
            c03 = b3.fma(a, c03);
            a = FloatVector.broadcast(SPECIES, x[x1 + k]);
            c10 = b0.fma(a, c10);
            c11 = b1.fma(a, c11);
            c12 = b2.fma(a, c12);
            c13 = b3.fma(a, c13);
            a = FloatVector.broadcast(SPECIES, x[x2 + k]);
            c20 = b0.fma(a, c20);
            c21 = b1.fma(a, c21);
            c22 = b2.fma(a, c22);
            c23 = b3.fma(a, c23);
            a = FloatVector.broadcast(SPECIES, x[x3 + k]);
            c30 = b0.fma(a, c30);
            c31 = b1.fma(a, c31);
            c32 = b2.fma(a, c32);
            c33 = b3.fma(a, c33);
            a = FloatVector.broadcast(SPECIES, x[x4 + k]);
            c40 = b0.fma(a, c40);
            c41 = b1.fma(a, c41);
            c42 = b2.fma(a, c42);
            c43 = b3.fma(a, c43);
            a = FloatVector.broadcast(SPECIES, x[x5 + k]);
            c50 = b0.fma(a, c50);
            c51 = b1.fma(a, c51);
            c52 = b2.fma(a, c52);
            c53 = b3.fma(a, c53);
        }
        c00.intoArray(out, oOff);
        c01.intoArray(out, oOff + LANES);
        c02.intoArray(out, oOff + 2 * LANES);
        c03.intoArray(out, oOff + 3 * LANES);
        c10.intoArray(out, o1);
        c11.intoArray(out, o1 + LANES);
        c12.intoArray(out, o1 + 2 * LANES);
        c13.intoArray(out, o1 + 3 * LANES);
        c20.intoArray(out, o2);
        c21.intoArray(out, o2 + LANES);
        c22.intoArray(out, o2 + 2 * LANES);
        c23.intoArray(out, o2 + 3 * LANES);
        c30.intoArray(out, o3);
        c31.intoArray(out, o3 + LANES);
        c32.intoArray(out, o3 + 2 * LANES);
        c33.intoArray(out, o3 + 3 * LANES);
        c40.intoArray(out, o4);
        c41.intoArray(out, o4 + LANES);
        c42.intoArray(out, o4 + 2 * LANES);
        c43.intoArray(out, o4 + 3 * LANES);
        c50.intoArray(out, o5);
        c51.intoArray(out, o5 + LANES);
        c52.intoArray(out, o5 + 2 * LANES);
        c53.intoArray(out, o5 + 3 * LANES);
    }

    /** One token of {@link #tile4}: the remainder when tokens is not a multiple of the tile. */
    private static void tile1(float[] x, int xOff, float[] p, int pOff, int pStride, int kc, float[] out, int oOff) {
        FloatVector c0 = FloatVector.fromArray(SPECIES, out, oOff);
        FloatVector c1 = FloatVector.fromArray(SPECIES, out, oOff + LANES);
        FloatVector c2 = FloatVector.fromArray(SPECIES, out, oOff + 2 * LANES);
        FloatVector c3 = FloatVector.fromArray(SPECIES, out, oOff + 3 * LANES);
        for (int k = 0, pk = pOff; k < kc; k++, pk += pStride) {
            FloatVector a = FloatVector.broadcast(SPECIES, x[xOff + k]);
            c0 = FloatVector.fromArray(SPECIES, p, pk).fma(a, c0);
            c1 = FloatVector.fromArray(SPECIES, p, pk + LANES).fma(a, c1);
            c2 = FloatVector.fromArray(SPECIES, p, pk + 2 * LANES).fma(a, c2);
            c3 = FloatVector.fromArray(SPECIES, p, pk + 3 * LANES).fma(a, c3);
        }
        c0.intoArray(out, oOff);
        c1.intoArray(out, oOff + LANES);
        c2.intoArray(out, oOff + 2 * LANES);
        c3.intoArray(out, oOff + 3 * LANES);
    }

    /**
     * Weight rows copied at a time by {@link #matmulInOutFewTokens}. Long row pieces and a buffer in L1 measured
     * best for one token on GPT-2 small's mapped weights: 1-2 rows ~7 GFLOP/s per core, 16 rows ~4-5, 64 rows of
     * 4 panels ~4 (against ~9 reading the mapping in place, which a file cut short turned into a JVM crash).
     */
    private static final int FEW_K = 2;

    /**
     * {@link #linearInOut} for fewer tokens than a tile (a pass continuing the previous prompt runs one or two):
     * the columns are split in about two work items per thread, each copying its piece of {@link #FEW_K} weight
     * rows at a time, one contiguous copy per row, into a [k][column] buffer read by {@link #tile1} directly
     * (packing panel by panel for one token cost ~3x). Each output is bias (or 0) followed by the fused multiply-adds over
     * k in order, as in the packed path, so the same bits.
     */
    private void matmulInOutFewTokens(float[] x, int tokens, Matrix w, float[] bias, float[] out) {
        int in = w.rows();
        int outDim = w.cols();
        int panels = (outDim + PANEL - 1) / PANEL;
        int width = (panels + 2 * threads - 1) / (2 * threads) * PANEL;   // columns per work item
        int blocks = (outDim + width - 1) / width;
        AtomicInteger next = new AtomicInteger();
        Runnable work = () -> {
            float[] rows = new float[FEW_K * width];       // [k][column] of one block of rows
            short[] raw = rawBuffer(w.dtype(), width);     // one row's 16-bit weights as stored
            float[] acc = new float[tokens * width];       // [token][column] of one item, zero past its columns
            int b;
            while ((b = next.getAndIncrement()) < blocks) {
                int col0 = b * width;
                int cols = Math.min(width, outDim - col0);
                int colPanels = (cols + PANEL - 1) / PANEL;
                for (int t = 0; t < tokens; t++) {
                    if (bias == null) {
                        Arrays.fill(acc, t * width, t * width + cols, 0f);
                    } else {
                        System.arraycopy(bias, col0, acc, t * width, cols);
                    }
                    Arrays.fill(acc, t * width + cols, (t + 1) * width, 0f);
                }
                for (int k0 = 0; k0 < in; k0 += FEW_K) {
                    int kc = Math.min(FEW_K, in - k0);
                    for (int k = 0; k < kc; k++) {
                        convert(w.data(), w.dtype(), (long) (k0 + k) * outDim + col0, rows, k * width, cols, raw);
                        // a partial last panel reads zeros past the matrix's columns (never stored)
                        Arrays.fill(rows, k * width + cols, k * width + colPanels * PANEL, 0f);
                    }
                    for (int t = 0; t < tokens; t++) {
                        for (int p = 0; p < colPanels; p++) {
                            tile1(x, t * in + k0, rows, p * PANEL, width, kc, acc, t * width + p * PANEL);
                        }
                    }
                }
                for (int t = 0; t < tokens; t++) {
                    System.arraycopy(acc, t * width, out, t * outDim + col0, cols);
                }
            }
        };
        runParallel(work, (long) tokens * in * outDim, blocks, shareable(w));
    }

    /**
     * {@link #dot1x4} with the 4 rows as BF16 bits (raw[rOff + r * n + i]) widened in registers: exact, so the same
     * operations in the same order on the same values, the same bits.
     */
    private static void dot1x4Bf16(float[] x, int xOff, int n, short[] raw, int rOff, float[] bias, int row0,
                                   int validRows, float[] out, int oOff, float[] lanes) {
        FloatVector s0 = FloatVector.zero(SPECIES), s1 = s0, s2 = s0, s3 = s0;
        int r1 = rOff + n;
        int r2 = r1 + n;
        int r3 = r2 + n;
        for (int i = 0; i < n; i += LANES) {
            FloatVector a = FloatVector.fromArray(SPECIES, x, xOff + i);
            s0 = a.fma(bf16(raw, rOff + i), s0);
            s1 = a.fma(bf16(raw, r1 + i), s1);
            s2 = a.fma(bf16(raw, r2 + i), s2);
            s3 = a.fma(bf16(raw, r3 + i), s3);
        }
        s0.intoArray(lanes, 0);
        s1.intoArray(lanes, LANES);
        s2.intoArray(lanes, 2 * LANES);
        s3.intoArray(lanes, 3 * LANES);
        storeSums(VectorMath.sumLanes(lanes, 0), VectorMath.sumLanes(lanes, LANES),
                VectorMath.sumLanes(lanes, 2 * LANES), VectorMath.sumLanes(lanes, 3 * LANES), bias, row0, validRows, out,
                oOff);
    }

    /** LANES BF16 values from raw[from..] as floats. */
    private static FloatVector bf16(short[] raw, int from) {
        ShortVector s = ShortVector.fromArray(SHORTS, raw, from);
        return ((IntVector) s.convertShape(VectorOperators.S2I, INTS, 0)).lanewise(VectorOperators.LSHL, 16)
                .reinterpretAsFloats();
    }

    /**
     * Dot-product tile for W stored [out][in]: out[t][row0 + r] = x[t] . rows[r] + bias for 4 tokens and up to
     * 4 rows, 16 accumulators along {@code in} (a whole number of vectors: both sides are zero padded), then one
     * horizontal sum each.
     */
    static void dot4x4(float[] x, int xOff, int n, float[] rows, int rOff, float[] bias, int row0, int validRows,
                       float[] out, int oOff, int oStride, float[] lanes) {
        FloatVector s00 = FloatVector.zero(SPECIES), s01 = s00, s02 = s00, s03 = s00;
        FloatVector s10 = s00, s11 = s00, s12 = s00, s13 = s00;
        FloatVector s20 = s00, s21 = s00, s22 = s00, s23 = s00;
        FloatVector s30 = s00, s31 = s00, s32 = s00, s33 = s00;
        int x1 = xOff + n;
        int x2 = x1 + n;
        int x3 = x2 + n;
        int r1 = rOff + n;
        int r2 = r1 + n;
        int r3 = r2 + n;
        for (int i = 0; i < n; i += LANES) {
            FloatVector w0 = FloatVector.fromArray(SPECIES, rows, rOff + i);
            FloatVector w1 = FloatVector.fromArray(SPECIES, rows, r1 + i);
            FloatVector w2 = FloatVector.fromArray(SPECIES, rows, r2 + i);
            FloatVector w3 = FloatVector.fromArray(SPECIES, rows, r3 + i);
            FloatVector a = FloatVector.fromArray(SPECIES, x, xOff + i);
            s00 = a.fma(w0, s00);
            s01 = a.fma(w1, s01);
            s02 = a.fma(w2, s02);
            s03 = a.fma(w3, s03);
            a = FloatVector.fromArray(SPECIES, x, x1 + i);
            s10 = a.fma(w0, s10);
            s11 = a.fma(w1, s11);
            s12 = a.fma(w2, s12);
            s13 = a.fma(w3, s13);
            a = FloatVector.fromArray(SPECIES, x, x2 + i);
            s20 = a.fma(w0, s20);
            s21 = a.fma(w1, s21);
            s22 = a.fma(w2, s22);
            s23 = a.fma(w3, s23);
            a = FloatVector.fromArray(SPECIES, x, x3 + i);
            s30 = a.fma(w0, s30);
            s31 = a.fma(w1, s31);
            s32 = a.fma(w2, s32);
            s33 = a.fma(w3, s33);
        }
        s00.intoArray(lanes, 0);
        s01.intoArray(lanes, LANES);
        s02.intoArray(lanes, 2 * LANES);
        s03.intoArray(lanes, 3 * LANES);
        storeSums(VectorMath.sumLanes(lanes, 0), VectorMath.sumLanes(lanes, LANES),
                VectorMath.sumLanes(lanes, 2 * LANES), VectorMath.sumLanes(lanes, 3 * LANES), bias, row0, validRows, out,
                oOff);
        s10.intoArray(lanes, 0);
        s11.intoArray(lanes, LANES);
        s12.intoArray(lanes, 2 * LANES);
        s13.intoArray(lanes, 3 * LANES);
        storeSums(VectorMath.sumLanes(lanes, 0), VectorMath.sumLanes(lanes, LANES),
                VectorMath.sumLanes(lanes, 2 * LANES), VectorMath.sumLanes(lanes, 3 * LANES), bias, row0, validRows, out,
                oOff + oStride);
        s20.intoArray(lanes, 0);
        s21.intoArray(lanes, LANES);
        s22.intoArray(lanes, 2 * LANES);
        s23.intoArray(lanes, 3 * LANES);
        storeSums(VectorMath.sumLanes(lanes, 0), VectorMath.sumLanes(lanes, LANES),
                VectorMath.sumLanes(lanes, 2 * LANES), VectorMath.sumLanes(lanes, 3 * LANES), bias, row0, validRows, out,
                oOff + 2 * oStride);
        s30.intoArray(lanes, 0);
        s31.intoArray(lanes, LANES);
        s32.intoArray(lanes, 2 * LANES);
        s33.intoArray(lanes, 3 * LANES);
        storeSums(VectorMath.sumLanes(lanes, 0), VectorMath.sumLanes(lanes, LANES),
                VectorMath.sumLanes(lanes, 2 * LANES), VectorMath.sumLanes(lanes, 3 * LANES), bias, row0, validRows, out,
                oOff + 3 * oStride);
    }

    /** One token of {@link #dot4x4}. */
    static void dot1x4(float[] x, int xOff, int n, float[] rows, int rOff, float[] bias, int row0, int validRows,
                       float[] out, int oOff, float[] lanes) {
        FloatVector s0 = FloatVector.zero(SPECIES), s1 = s0, s2 = s0, s3 = s0;
        int r1 = rOff + n;
        int r2 = r1 + n;
        int r3 = r2 + n;
        for (int i = 0; i < n; i += LANES) {
            FloatVector a = FloatVector.fromArray(SPECIES, x, xOff + i);
            s0 = a.fma(FloatVector.fromArray(SPECIES, rows, rOff + i), s0);
            s1 = a.fma(FloatVector.fromArray(SPECIES, rows, r1 + i), s1);
            s2 = a.fma(FloatVector.fromArray(SPECIES, rows, r2 + i), s2);
            s3 = a.fma(FloatVector.fromArray(SPECIES, rows, r3 + i), s3);
        }
        s0.intoArray(lanes, 0);
        s1.intoArray(lanes, LANES);
        s2.intoArray(lanes, 2 * LANES);
        s3.intoArray(lanes, 3 * LANES);
        storeSums(VectorMath.sumLanes(lanes, 0), VectorMath.sumLanes(lanes, LANES),
                VectorMath.sumLanes(lanes, 2 * LANES), VectorMath.sumLanes(lanes, 3 * LANES), bias, row0, validRows, out,
                oOff);
    }

    /**
     * out[oOff + row0 + r] = s_r + bias[row0 + r] for r &lt; validRows. Takes floats: the JIT does not inline this
     * into the tiles, and vector arguments of a call that is not inlined are boxed (~8x slower).
     */
    private static void storeSums(float s0, float s1, float s2, float s3, float[] bias, int row0, int validRows,
                                  float[] out, int oOff) {
        int o = oOff + row0;
        out[o] = s0 + (bias == null ? 0f : bias[row0]);
        if (validRows > 1) {
            out[o + 1] = s1 + (bias == null ? 0f : bias[row0 + 1]);
        }
        if (validRows > 2) {
            out[o + 2] = s2 + (bias == null ? 0f : bias[row0 + 2]);
        }
        if (validRows > 3) {
            out[o + 3] = s3 + (bias == null ? 0f : bias[row0 + 3]);
        }
    }

    // ------------------------------------------------------------------------------------------------ vectors

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        int i = 0;
        float sum = 0f;
        if (n >= 2 * LANES) {
            FloatVector acc0 = FloatVector.zero(SPECIES);
            FloatVector acc1 = FloatVector.zero(SPECIES);
            for (; i + 2 * LANES <= n; i += 2 * LANES) {
                acc0 = FloatVector.fromArray(SPECIES, a, aOff + i)
                        .fma(FloatVector.fromArray(SPECIES, b, bOff + i), acc0);
                acc1 = FloatVector.fromArray(SPECIES, a, aOff + i + LANES)
                        .fma(FloatVector.fromArray(SPECIES, b, bOff + i + LANES), acc1);
            }
            sum = VectorMath.sumLanes(acc0.add(acc1));
        }
        for (; i < n; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        FloatVector va = FloatVector.broadcast(SPECIES, alpha);
        for (; i + LANES <= n; i += LANES) {
            FloatVector.fromArray(SPECIES, x, xOff + i)
                    .fma(va, FloatVector.fromArray(SPECIES, y, yOff + i))
                    .intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    // ------------------------------------------------------------------------------------------------ activations

    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2.0 / Math.PI);
    private static final double SQRT_2_OVER_PI_D = Math.sqrt(2.0 / Math.PI);
    /** Elements per work item of the activations: a multiple of every vector length. */
    private static final int ACTIVATION_CHUNK = 1 << 14;

    @Override
    public void geluTanh(float[] x, int from, int to) {
        checkRange(x, from, to);
        inChunks(x, from, to, VectorKernels::geluRange);
    }

    private static void geluRange(float[] x, int from, int to) {
        int i = from;
        for (; i + LANES <= to; i += LANES) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, i);
            FloatVector inner = v.mul(v).fma(0.044715f, 1f).mul(v).mul(SQRT_2_OVER_PI);
            // 0.5 (1 + tanh(u)) = 1 / (1 + e^(-2u)): one exp, and the same bits before and after JIT compilation
            v.div(VectorMath.exp(inner.mul(-2f)).add(1f)).intoArray(x, i);
        }
        for (; i < to; i++) {
            double v = x[i];
            x[i] = (float) (0.5 * v * (1.0 + Math.tanh(SQRT_2_OVER_PI_D * (v + 0.044715 * v * v * v))));
        }
    }

    @Override
    public void silu(float[] x, int from, int to) {
        checkRange(x, from, to);
        inChunks(x, from, to, VectorKernels::siluRange);
    }

    private static void siluRange(float[] x, int from, int to) {
        int i = from;
        for (; i + LANES <= to; i += LANES) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, i);
            v.div(VectorMath.exp(v.neg()).add(1f)).intoArray(x, i);
        }
        for (; i < to; i++) {
            x[i] = (float) (x[i] / (1.0 + Math.exp(-x[i])));
        }
    }

    private interface RangeOp {
        void apply(float[] x, int from, int to);
    }

    /**
     * An element-wise op over x[from, to) in chunks of {@link #ACTIVATION_CHUNK} across the threads (a
     * [tokens][3072] MLP activation at 128 tokens is ~4 ms on one core); chunk borders on whole vectors, so the
     * result does not depend on the split.
     */
    private void inChunks(float[] x, int from, int to, RangeOp op) {
        int n = to - from;
        int chunks = (n + ACTIVATION_CHUNK - 1) / ACTIVATION_CHUNK;
        if (chunks <= 1) {
            op.apply(x, from, to);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable work = () -> {
            int c;
            while ((c = next.getAndIncrement()) < chunks) {
                int start = from + c * ACTIVATION_CHUNK;
                op.apply(x, start, Math.min(to, start + ACTIVATION_CHUNK));
            }
        };
        runParallel(work, (long) n * 32, chunks, true);
    }

    @Override
    public void softmax(float[] x, int from, int to) {
        checkRange(x, from, to);
        if (to - from < LANES) {
            Kernels.super.softmax(x, from, to);
            return;
        }
        int vectorEnd = from + (to - from) / LANES * LANES;
        FloatVector maxes = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        for (int i = from; i < vectorEnd; i += LANES) {
            maxes = maxes.max(FloatVector.fromArray(SPECIES, x, i));
        }
        float max = maxes.reduceLanes(VectorOperators.MAX);
        for (int i = vectorEnd; i < to; i++) {
            max = Math.max(max, x[i]);
        }
        FloatVector sums = FloatVector.zero(SPECIES);
        for (int i = from; i < vectorEnd; i += LANES) {
            FloatVector e = VectorMath.exp(FloatVector.fromArray(SPECIES, x, i).sub(max));
            e.intoArray(x, i);
            sums = sums.add(e);
        }
        float sum = VectorMath.sumLanes(sums);
        for (int i = vectorEnd; i < to; i++) {
            float e = (float) Math.exp(x[i] - max);
            x[i] = e;
            sum += e;
        }
        float inverse = 1f / sum;
        int i = from;
        for (; i < vectorEnd; i += LANES) {
            FloatVector.fromArray(SPECIES, x, i).mul(inverse).intoArray(x, i);
        }
        for (; i < to; i++) {
            x[i] *= inverse;
        }
    }

    private static void checkRange(float[] x, int from, int to) {
        if (from < 0 || to > x.length || from > to) {
            throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") of " + x.length + " floats");
        }
    }

    @Override
    public int threads() {
        return threads;
    }

    @Override
    public long lastRealWorkNanos() {
        return lastRealWork;
    }

    @Override
    public String name() {
        return "vector-" + SPECIES.vectorBitSize();
    }
}
