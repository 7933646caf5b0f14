package dev.headlight.analysis.circuits;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * The large products of the circuit scores, C += op(A) op(B), as a packed, register-blocked float32 GEMM on both
 * cores: A and B are copied block by block (K_BLOCK deep) into tiles the micro-kernel streams contiguously, each
 * micro-kernel call keeps a ROWS x (2 vectors) tile of C in 24 registers and adds it into C (float32). Callers
 * that sum over a whole vocabulary split the depth and add the parts in float64 ({@link #multiplyAccurately}).
 * <p>
 * The engine's kernels are shaped for a forward pass (few tokens against stored weights); these products have all
 * three dimensions in the hundreds or thousands (W_U W_E: d_model x vocab x d_model; a composition table's layer pair:
 * H·d_head x d_model x 3·H·d_head), where packing both sides pays.
 */
final class BlockProduct {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /**
     * Rows of C per micro-kernel tile (broadcast side). 12 x 2 vectors measured ~20% faster than 6 x 4 vectors on
     * Zen 5 (two unaligned 64-byte loads per step instead of four).
     */
    private static final int ROWS = 12;
    /** Columns of C per micro-kernel tile: 2 vectors (32 at AVX-512). */
    private static final int COLS = 2 * LANES;
    /** Depth of one packed block: its float32 partial sums go into the float64 C. */
    private static final int K_BLOCK = 256;
    /** Rows of C per work item (a multiple of ROWS): its packed A per depth block, 192 x 256 floats = 192 KB. */
    private static final int M_BLOCK = 16 * ROWS;
    /**
     * Columns of C per work item: its packed B per depth block 256 x 256 floats = 256 KB, with A's and the
     * 192 x 256 block of C within a 1 MB L2.
     */
    private static final int N_BLOCK = 256;
    /** Depth per float32 part of {@link #multiplyAccurately}. */
    private static final int ACCURATE_PART = 4096;

    private BlockProduct() {
    }

    /**
     * One side of a product as a view of a row-major float array: element (row r, depth p) of op(A) or
     * (depth p, column c) of op(B).
     *
     * @param depthMajor the array holds the matrix depth-major ([k][m] for A, [k][n] for B), else [m][k] / [n][k]
     */
    record Side(float[] data, int offset, int stride, boolean depthMajor) {
        /** [rows][k] stored row-major from {@code offset} with {@code stride} between rows. */
        static Side rows(float[] data, int offset, int stride) {
            return new Side(data, offset, stride, false);
        }

        /** The same matrix from depth {@code p0} on. */
        Side from(int p0) {
            return new Side(data, offset + (depthMajor ? p0 * stride : p0), stride, depthMajor);
        }

        /** [k][rows] stored row-major: the matrix used transposed. */
        static Side depthMajor(float[] data, int offset, int stride) {
            return new Side(data, offset, stride, true);
        }
    }

    /**
     * c[cOff + i*ldc + j] += sum_p A(i, p) B(p, j) for i &lt; m, j &lt; n, p &lt; k, in float32. With {@code upperOnly}
     * (m == n, a symmetric result such as E^T E) only the blocks on and above the diagonal are computed (some entries
     * below it too); the caller mirrors.
     * <p>
     * Both sides are packed once, depth block by depth block, then the work items are blocks of C (up to M_BLOCK x
     * N_BLOCK), on both cores, each running over the whole depth: its block of C stays in the core's L2 cache
     * (sweeping all of a row block's columns per depth block re-read W_U W_E's 16 MB C from memory 16 times per
     * vocabulary part), and each packed side is copied once instead of once per block of the other.
     */
    static void multiply(int m, int n, int k, Side a, Side b, float[] c, int cOff, int ldc, boolean upperOnly) {
        multiply(m, n, k, a, b, c, cOff, ldc, upperOnly, new Buffers());
    }

    /**
     * The packed sides of a series of products, kept from one to the next: a 1B model's vocabulary product and
     * its per-layer products packed ~1 GB a run into fresh arrays, all of it garbage for the collector. A product
     * whose B side is the same view (same array, offset, stride and layout, same n and k) as the previous product's
     * on these buffers uses the packed copy again: callers must not change a B array between products on the same
     * buffers. Not thread-safe: one series at a time.
     */
    static final class Buffers {
        private float[] a = new float[0];
        private float[] b = new float[0];
        /** The B side packed in {@link #b} and its shape, or null: a next product with the same B skips packing. */
        private Side packedSide;
        private int packedN;
        private int packedK;

        /** Whether {@link #b} holds {@code side} as n x k already (the same view of the same array). */
        boolean holdsB(Side side, int n, int k) {
            return side.equals(packedSide) && n == packedN && k == packedK;
        }

        private void rememberPackedB(Side side, int n, int k) {
            packedSide = side;
            packedN = n;
            packedK = k;
        }

        float[] a(int length) {
            if (a.length < length) {
                a = new float[length];
            }
            return a;
        }

        float[] b(int length) {
            if (b.length < length) {
                b = new float[length];
            }
            return b;
        }
    }

    /** {@link #multiply} packing into {@code buffers}. */
    static void multiply(int m, int n, int k, Side a, Side b, float[] c, int cOff, int ldc, boolean upperOnly,
                         Buffers buffers) {
        if (m <= 0 || n <= 0 || k <= 0) {
            return;
        }
        long multiplyAdds = (long) m * n * k;
        int cores = Runtime.getRuntime().availableProcessors();
        int workers = multiplyAdds < (1L << 22) ? 1 : cores;
        int colBlocks = (n + N_BLOCK - 1) / N_BLOCK;
        // rows per work item: at most M_BLOCK, small enough for about 4 items per worker so that the cores finish
        // together (a row block of 192 of a 2048-row product left one core idle for a twelfth of the time)
        int perItem = Math.min(M_BLOCK, roundUp(Math.max(1, (m * colBlocks + 4 * workers - 1) / (4 * workers)), ROWS));
        int rowBlocks = (m + perItem - 1) / perItem;
        int depthBlocks = (k + K_BLOCK - 1) / K_BLOCK;
        int rowTiles = (m + ROWS - 1) / ROWS;
        int colPanels = (n + COLS - 1) / COLS;
        // [depth block][tile][p][ROWS] and [depth block][panel][p][COLS]
        float[] packedA = buffers.a(depthBlocks * rowTiles * K_BLOCK * ROWS);
        float[] packedB = buffers.b(depthBlocks * colPanels * K_BLOCK * COLS);
        // the same B as the last product on these buffers (W_U W_E against every layer's W_V): packed already
        boolean packB = !buffers.holdsB(b, n, k);
        buffers.rememberPackedB(null, 0, 0); // until packed: nothing stale if packing fails
        IntStream packing = IntStream.range(0, 2 * depthBlocks).filter(job -> packB || (job & 1) == 0);
        (workers > 1 ? packing.parallel() : packing).forEach(job -> {
            int pb = job >> 1;
            int p0 = pb * K_BLOCK;
            int depth = Math.min(K_BLOCK, k - p0);
            if ((job & 1) == 0) {
                packA(a, 0, m, p0, depth, packedA, pb * rowTiles * K_BLOCK * ROWS);
            } else {
                packB(b, 0, n, p0, depth, packedB, pb * colPanels * K_BLOCK * COLS);
            }
        });
        buffers.rememberPackedB(b, n, k);
        int items = rowBlocks * colBlocks;
        AtomicInteger next = new AtomicInteger();
        Runnable work = () -> {
            float[] tile = new float[ROWS * COLS];
            int item;
            while ((item = next.getAndIncrement()) < items) {
                int i0 = item / colBlocks * perItem;
                int j0 = item % colBlocks * N_BLOCK;
                int rows = Math.min(perItem, m - i0);
                int cols = Math.min(N_BLOCK, n - j0);
                if (upperOnly && j0 + cols <= i0) {
                    continue; // wholly below the diagonal
                }
                for (int pb = 0; pb < depthBlocks; pb++) {
                    int depth = Math.min(K_BLOCK, k - pb * K_BLOCK);
                    block(rows, cols, depth, packedA, pb * rowTiles * K_BLOCK * ROWS + i0 / ROWS * depth * ROWS,
                            packedB, pb * colPanels * K_BLOCK * COLS + j0 / COLS * depth * COLS, tile, c,
                            cOff + i0 * ldc + j0, ldc);
                }
            }
        };
        workers = Math.min(workers, items);
        if (workers <= 1) {
            work.run();
        } else {
            IntStream.range(0, workers).parallel().forEach(w -> work.run());
        }
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    /**
     * {@link #multiply} over a long depth (a vocabulary) into a float64 C: float32 products over parts of
     * {@value #ACCURATE_PART} of the depth, the parts summed in float64 (as accurate as float64 sums of float32
     * partial sums of 4096 terms).
     */
    static void multiplyAccurately(int m, int n, int k, Side a, Side b, double[] c, boolean upperOnly) {
        multiplyAccurately(m, n, k, a, b, c, upperOnly, () -> { });
    }

    /** The same, running {@code betweenParts} before each part (e.g. a cancellation check that throws). */
    static void multiplyAccurately(int m, int n, int k, Side a, Side b, double[] c, boolean upperOnly,
                                   Runnable betweenParts) {
        float[] part = new float[m * n];
        Buffers buffers = new Buffers();
        for (int p0 = 0; p0 < k; p0 += ACCURATE_PART) {
            betweenParts.run();
            int depth = Math.min(ACCURATE_PART, k - p0);
            java.util.Arrays.fill(part, 0f);
            multiply(m, n, depth, a.from(p0), b.from(p0), part, 0, n, upperOnly, buffers);
            for (int i = 0; i < part.length; i++) {
                c[i] += part[i];
            }
        }
    }

    /** m // [rows][cols] from {@code offset} (row stride cols) as // [cols][rows], in cache-sized squares. */
    static float[] transposed(float[] m, int offset, int rows, int cols) {
        float[] out = new float[rows * cols];
        int step = 32;
        for (int i0 = 0; i0 < rows; i0 += step) {
            int iEnd = Math.min(rows, i0 + step);
            for (int j0 = 0; j0 < cols; j0 += step) {
                int jEnd = Math.min(cols, j0 + step);
                for (int i = i0; i < iEnd; i++) {
                    int src = offset + i * cols;
                    for (int j = j0; j < jEnd; j++) {
                        out[j * rows + i] = m[src + j];
                    }
                }
            }
        }
        return out;
    }

    /** The micro-kernels of one packed block, added into C. */
    private static void block(int rows, int cols, int depth, float[] packedA, int packedAOff, float[] packedB,
                              int packedBOff, float[] tile, float[] c, int cOff, int ldc) {
        int tiles = (rows + ROWS - 1) / ROWS;
        int panels = (cols + COLS - 1) / COLS;
        for (int pn = 0; pn < panels; pn++) {
            int bOff = packedBOff + pn * depth * COLS;
            int j = pn * COLS;
            int validCols = Math.min(COLS, cols - j);
            for (int t = 0; t < tiles; t++) {
                int i = t * ROWS;
                int validRows = Math.min(ROWS, rows - i);
                if (validRows == ROWS && validCols == COLS) {
                    kernel(depth, packedA, packedAOff + t * depth * ROWS, packedB, bOff, c, cOff + i * ldc + j, ldc);
                } else {
                    // an edge tile: computed whole into a scratch tile, its valid part added
                    java.util.Arrays.fill(tile, 0f);
                    kernel(depth, packedA, packedAOff + t * depth * ROWS, packedB, bOff, tile, 0, COLS);
                    for (int r = 0; r < validRows; r++) {
                        int o = cOff + (i + r) * ldc + j;
                        for (int q = 0; q < validCols; q++) {
                            c[o + q] += tile[r * COLS + q];
                        }
                    }
                }
            }
        }
    }

    /** c[r][q] += sum_p a[p][r] b[p][q] over one packed A tile [depth][ROWS] and B panel [depth][COLS]. */
    private static void kernel(int depth, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = c00;
        FloatVector c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00;
        FloatVector c50 = c00, c51 = c00;
        FloatVector c60 = c00, c61 = c00;
        FloatVector c70 = c00, c71 = c00;
        FloatVector c80 = c00, c81 = c00;
        FloatVector c90 = c00, c91 = c00;
        FloatVector c100 = c00, c101 = c00;
        FloatVector c110 = c00, c111 = c00;
        for (int p = 0, ap = aOff, bp = bOff; p < depth; p++, ap += ROWS, bp += COLS) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector x = FloatVector.broadcast(SPECIES, a[ap]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            x = FloatVector.broadcast(SPECIES, a[ap + 1]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            x = FloatVector.broadcast(SPECIES, a[ap + 2]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            x = FloatVector.broadcast(SPECIES, a[ap + 3]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            x = FloatVector.broadcast(SPECIES, a[ap + 4]);
            c40 = b0.fma(x, c40);
            c41 = b1.fma(x, c41);
            x = FloatVector.broadcast(SPECIES, a[ap + 5]);
            c50 = b0.fma(x, c50);
            c51 = b1.fma(x, c51);
            x = FloatVector.broadcast(SPECIES, a[ap + 6]);
            c60 = b0.fma(x, c60);
            c61 = b1.fma(x, c61);
            x = FloatVector.broadcast(SPECIES, a[ap + 7]);
            c70 = b0.fma(x, c70);
            c71 = b1.fma(x, c71);
            x = FloatVector.broadcast(SPECIES, a[ap + 8]);
            c80 = b0.fma(x, c80);
            c81 = b1.fma(x, c81);
            x = FloatVector.broadcast(SPECIES, a[ap + 9]);
            c90 = b0.fma(x, c90);
            c91 = b1.fma(x, c91);
            x = FloatVector.broadcast(SPECIES, a[ap + 10]);
            c100 = b0.fma(x, c100);
            c101 = b1.fma(x, c101);
            x = FloatVector.broadcast(SPECIES, a[ap + 11]);
            c110 = b0.fma(x, c110);
            c111 = b1.fma(x, c111);
        }
        // no arrays of vectors: they would be boxed
        c00.add(FloatVector.fromArray(SPECIES, c, cOff + 0 * ldc))
                .intoArray(c, cOff + 0 * ldc);
        c01.add(FloatVector.fromArray(SPECIES, c, cOff + 0 * ldc + LANES))
                .intoArray(c, cOff + 0 * ldc + LANES);
        c10.add(FloatVector.fromArray(SPECIES, c, cOff + 1 * ldc))
                .intoArray(c, cOff + 1 * ldc);
        c11.add(FloatVector.fromArray(SPECIES, c, cOff + 1 * ldc + LANES))
                .intoArray(c, cOff + 1 * ldc + LANES);
        c20.add(FloatVector.fromArray(SPECIES, c, cOff + 2 * ldc))
                .intoArray(c, cOff + 2 * ldc);
        c21.add(FloatVector.fromArray(SPECIES, c, cOff + 2 * ldc + LANES))
                .intoArray(c, cOff + 2 * ldc + LANES);
        c30.add(FloatVector.fromArray(SPECIES, c, cOff + 3 * ldc))
                .intoArray(c, cOff + 3 * ldc);
        c31.add(FloatVector.fromArray(SPECIES, c, cOff + 3 * ldc + LANES))
                .intoArray(c, cOff + 3 * ldc + LANES);
        c40.add(FloatVector.fromArray(SPECIES, c, cOff + 4 * ldc))
                .intoArray(c, cOff + 4 * ldc);
        c41.add(FloatVector.fromArray(SPECIES, c, cOff + 4 * ldc + LANES))
                .intoArray(c, cOff + 4 * ldc + LANES);
        c50.add(FloatVector.fromArray(SPECIES, c, cOff + 5 * ldc))
                .intoArray(c, cOff + 5 * ldc);
        c51.add(FloatVector.fromArray(SPECIES, c, cOff + 5 * ldc + LANES))
                .intoArray(c, cOff + 5 * ldc + LANES);
        c60.add(FloatVector.fromArray(SPECIES, c, cOff + 6 * ldc))
                .intoArray(c, cOff + 6 * ldc);
        c61.add(FloatVector.fromArray(SPECIES, c, cOff + 6 * ldc + LANES))
                .intoArray(c, cOff + 6 * ldc + LANES);
        c70.add(FloatVector.fromArray(SPECIES, c, cOff + 7 * ldc))
                .intoArray(c, cOff + 7 * ldc);
        c71.add(FloatVector.fromArray(SPECIES, c, cOff + 7 * ldc + LANES))
                .intoArray(c, cOff + 7 * ldc + LANES);
        c80.add(FloatVector.fromArray(SPECIES, c, cOff + 8 * ldc))
                .intoArray(c, cOff + 8 * ldc);
        c81.add(FloatVector.fromArray(SPECIES, c, cOff + 8 * ldc + LANES))
                .intoArray(c, cOff + 8 * ldc + LANES);
        c90.add(FloatVector.fromArray(SPECIES, c, cOff + 9 * ldc))
                .intoArray(c, cOff + 9 * ldc);
        c91.add(FloatVector.fromArray(SPECIES, c, cOff + 9 * ldc + LANES))
                .intoArray(c, cOff + 9 * ldc + LANES);
        c100.add(FloatVector.fromArray(SPECIES, c, cOff + 10 * ldc))
                .intoArray(c, cOff + 10 * ldc);
        c101.add(FloatVector.fromArray(SPECIES, c, cOff + 10 * ldc + LANES))
                .intoArray(c, cOff + 10 * ldc + LANES);
        c110.add(FloatVector.fromArray(SPECIES, c, cOff + 11 * ldc))
                .intoArray(c, cOff + 11 * ldc);
        c111.add(FloatVector.fromArray(SPECIES, c, cOff + 11 * ldc + LANES))
                .intoArray(c, cOff + 11 * ldc + LANES);
    }

    /** Rows [i0, i0 + rows) x depth [p0, p0 + depth) of op(A) as tiles [tile][p][ROWS], zero past the last row. */
    private static void packA(Side a, int i0, int rows, int p0, int depth, float[] out, int outOff) {
        int tiles = (rows + ROWS - 1) / ROWS;
        float[] d = a.data();
        for (int t = 0; t < tiles; t++) {
            int base = outOff + t * depth * ROWS;
            int valid = Math.min(ROWS, rows - t * ROWS);
            int row0 = i0 + t * ROWS;
            if (valid < ROWS) {
                java.util.Arrays.fill(out, base, base + depth * ROWS, 0f);
            }
            if (a.depthMajor()) {
                // a tile row is 12 floats: one vector copy (System.arraycopy of 12 cost as much as the products of
                // a small block). A whole tile's rows are stored unmasked but its last: the 4 lanes past a row land
                // at the start of the next row, which the next store writes.
                int src = a.offset() + p0 * a.stride() + row0;
                if (LANES >= ROWS) {
                    VectorMask<Float> mask = SPECIES.indexInRange(0, valid);
                    int unmasked = valid == ROWS ? depth - 1 : 0;
                    int loadLimit = d.length - LANES;
                    for (int p = 0; p < depth; p++, src += a.stride()) {
                        FloatVector x = src <= loadLimit ? FloatVector.fromArray(SPECIES, d, src)
                                : FloatVector.fromArray(SPECIES, d, src, mask);
                        if (p < unmasked) {
                            x.intoArray(out, base + p * ROWS);
                        } else {
                            x.intoArray(out, base + p * ROWS, mask);
                        }
                    }
                } else {
                    for (int p = 0; p < depth; p++, src += a.stride()) {
                        System.arraycopy(d, src, out, base + p * ROWS, valid);
                    }
                }
            } else {
                for (int r = 0; r < valid; r++) {
                    int src = a.offset() + (row0 + r) * a.stride() + p0;
                    for (int p = 0; p < depth; p++) {
                        out[base + p * ROWS + r] = d[src + p];
                    }
                }
            }
        }
    }

    /** Depth [p0, p0 + depth) x columns [j0, j0 + cols) of op(B) as panels [panel][p][COLS], zero past the last. */
    private static void packB(Side b, int j0, int cols, int p0, int depth, float[] out, int outOff) {
        int panels = (cols + COLS - 1) / COLS;
        float[] d = b.data();
        for (int pn = 0; pn < panels; pn++) {
            int base = outOff + pn * depth * COLS;
            int valid = Math.min(COLS, cols - pn * COLS);
            int col0 = j0 + pn * COLS;
            if (valid < COLS) {
                java.util.Arrays.fill(out, base, base + depth * COLS, 0f);
            }
            if (b.depthMajor()) {
                int src = b.offset() + p0 * b.stride() + col0;
                if (valid == COLS) {
                    for (int p = 0, o = base; p < depth; p++, src += b.stride(), o += COLS) {
                        FloatVector.fromArray(SPECIES, d, src).intoArray(out, o);
                        FloatVector.fromArray(SPECIES, d, src + LANES).intoArray(out, o + LANES);
                    }
                } else {
                    VectorMask<Float> low = SPECIES.indexInRange(0, valid);
                    VectorMask<Float> high = SPECIES.indexInRange(LANES, valid);
                    for (int p = 0, o = base; p < depth; p++, src += b.stride(), o += COLS) {
                        FloatVector.fromArray(SPECIES, d, src, low).intoArray(out, o, low);
                        FloatVector.fromArray(SPECIES, d, src + LANES, high).intoArray(out, o + LANES, high);
                    }
                }
            } else {
                for (int q = 0; q < valid; q++) {
                    int src = b.offset() + (col0 + q) * b.stride() + p0;
                    for (int p = 0; p < depth; p++) {
                        out[base + p * COLS + q] = d[src + p];
                    }
                }
            }
        }
    }
}
