package dev.headlight.engine.arch;

import dev.headlight.engine.AttentionMaps;
import dev.headlight.engine.TensorPlacement.HeadSlice;
import dev.headlight.engine.kernel.Kernels;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Scaled dot-product attention as transformers' eager path computes it, one head per task in parallel:
 * scores = (q . k) * scale, optionally soft-capped (tanh(s / cap) * cap) before masking, masked (causal and/or
 * sliding window: a query sees keys j with i - window < j <= i), softmax in float32, then the weighted sum of
 * values. Masked keys get probability exactly 0, as adding the dtype's minimum does in HF.
 */
final class Attention {
    private Attention() {
    }

    /** What shapes and masking one layer's attention has. */
    record Shape(int heads, int kvHeads, int headDim, float scale, float softcap, boolean causal, int window) {
    }

    /** Every position attends over every position: {@link #attend(Kernels, Shape, float[], float[], float[], int, int, AttentionMaps.RowSink, float[])} with queries = keys = tokens. */
    static void attend(Kernels kernels, Shape s, float[] q, float[] k, float[] v, int tokens,
                       AttentionMaps.RowSink sink, float[] out) {
        attend(kernels, s, q, k, v, tokens, tokens, sink, out);
    }

    /**
     * The last {@code queries} positions of {@code keys} attend over all of them (queries = keys for a whole
     * prompt; fewer when a pass continues an earlier one whose keys and values are prepended).
     *
     * @param q    queries of the last positions       // [queries][heads][headDim]
     * @param k    keys of all positions               // [keys][kvHeads][headDim]
     * @param v    values of all positions             // [keys][kvHeads][headDim], or null for the probabilities only
     * @param out  per-head outputs                    // [queries][heads][headDim], overwritten; null when v is
     * @param sink receives every (head, query) row of probabilities, query numbered among all positions; null
     *             when they are not kept
     */
    static void attend(Kernels kernels, Shape s, float[] q, float[] k, float[] v, int queries, int keys,
                       AttentionMaps.RowSink sink, float[] out) {
        int group = s.heads() / s.kvHeads(); // query heads per kv-head (grouped-query attention)
        int hd = s.headDim();
        int qStride = s.heads() * hd;
        int kvStride = s.kvHeads() * hd;
        int first = keys - queries;           // position of the first query
        IntStream.range(0, s.heads()).parallel().forEach(h -> {
            int kvh = h / group;
            // Query rows in blocks: a causal block needs keys only up to its last row. The blocks' scores, one
            // row per query, keys [0, keys): masked keys end up exactly 0.
            int block = Math.min(queries, QUERY_BLOCK);
            float[] probs = new float[block * keys]; // [query in block][key]
            for (int i0 = 0; i0 < queries; i0 += block) {
                int rows = Math.min(block, queries - i0);
                int seen = s.causal() ? first + i0 + rows : keys; // keys [0, seen) seen by some row of the block
                kernels.gemmTransposed(rows, seen, hd, s.scale(), q, i0 * qStride + h * hd, qStride,
                        k, kvh * hd, kvStride, probs, 0, keys);
                for (int r = 0; r < rows; r++) {
                    int i = first + i0 + r;
                    int from = s.window() > 0 ? Math.max(0, i - s.window() + 1) : 0;
                    int last = s.causal() ? i : keys - 1;
                    int row = r * keys;
                    if (s.softcap() > 0) {
                        for (int j = row + from; j <= row + last; j++) {
                            probs[j] = Ops.softcap(probs[j], s.softcap());
                        }
                    }
                    kernels.softmax(probs, row + from, row + last + 1);
                    java.util.Arrays.fill(probs, row, row + from, 0f);
                    java.util.Arrays.fill(probs, row + last + 1, row + keys, 0f);
                    if (sink != null) {
                        sink.putRow(h, i, probs, row);
                    }
                }
                if (v == null) {
                    continue;
                }
                // out rows of the block = probs . V over the keys the block sees
                kernels.gemm(rows, hd, seen, probs, 0, keys, v, kvh * hd, kvStride, out, i0 * qStride + h * hd,
                        qStride);
            }
        });
    }

    /** Query rows per score block: small enough to skip most masked keys of a causal layer. */
    private static final int QUERY_BLOCK = 32;

    /**
     * Splits the output of a fused q/k/v projection {@code fused // [tokens][width]} into
     * {@code q // [tokens][heads][headDim]}, {@code k, v // [tokens][kvHeads][headDim]} following the
     * tensor's head slices (indices of its output features).
     */
    static void unpack(float[] fused, int tokens, int width, List<HeadSlice> slices, int heads, int kvHeads,
                       int headDim, float[] q, float[] k, float[] v) {
        for (HeadSlice slice : slices) {
            float[] dst;
            int n;
            switch (slice.part()) {
                case "q" -> {
                    dst = q;
                    n = heads;
                }
                case "k" -> {
                    dst = k;
                    n = kvHeads;
                }
                default -> {
                    dst = v;
                    n = kvHeads;
                }
            }
            for (int t = 0; t < tokens; t++) {
                System.arraycopy(fused, t * width + slice.from(), dst, (t * n + slice.head()) * headDim, headDim);
            }
        }
    }
}
