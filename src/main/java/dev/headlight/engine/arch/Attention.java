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

    /**
     * @param q    queries                 // [tokens][heads][headDim]
     * @param k    keys                    // [tokens][kvHeads][headDim]
     * @param v    values                  // [tokens][kvHeads][headDim]
     * @param out  per-head outputs        // [tokens][heads][headDim], overwritten
     * @param maps receives the probabilities of {@code layer}
     */
    static void attend(Kernels kernels, Shape s, float[] q, float[] k, float[] v, int tokens, int layer,
                       AttentionMaps maps, float[] out) {
        int group = s.heads() / s.kvHeads(); // query heads per kv-head (grouped-query attention)
        int hd = s.headDim();
        IntStream.range(0, s.heads()).parallel().forEach(h -> {
            int kvh = h / group;
            float[] probs = new float[tokens]; // [key] one query row at a time
            for (int i = 0; i < tokens; i++) {
                int first = s.window() > 0 ? Math.max(0, i - s.window() + 1) : 0;
                int last = s.causal() ? i : tokens - 1;
                java.util.Arrays.fill(probs, 0f);
                int qOff = (i * s.heads() + h) * hd;
                for (int j = first; j <= last; j++) {
                    float score = kernels.dot(q, qOff, k, (j * s.kvHeads() + kvh) * hd, hd) * s.scale();
                    probs[j] = s.softcap() > 0 ? Ops.softcap(score, s.softcap()) : score;
                }
                Ops.softmax(probs, first, last + 1);
                maps.putRow(layer, h, i, probs, 0);
                java.util.Arrays.fill(out, qOff, qOff + hd, 0f);
                for (int j = first; j <= last; j++) {
                    kernels.axpy(probs[j], v, (j * s.kvHeads() + kvh) * hd, out, qOff, hd);
                }
            }
        });
    }

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
