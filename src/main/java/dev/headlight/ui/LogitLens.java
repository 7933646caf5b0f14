package dev.headlight.ui;

import dev.headlight.engine.Model;
import dev.headlight.engine.Trace;

import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * The logit lens: the model's output head applied to the residual stream entering every layer (and to the last
 * layer's output). Only the top-k tokens and the rank of the expected token are kept per cell, never the full
 * [layer + 1][token][vocab] distribution.
 *
 * @param topIds     the k most likely token ids, most likely first       // [layer + 1][token][k]
 * @param topProbs   their softmax probabilities                           // [layer + 1][token][k]
 * @param targetIds  the token each position should predict: the next token for causal models, the token itself
 *                   for encoders (masked LM); -1 where there is none (the last position of a causal model) // [token]
 * @param targetRank 1-based rank of the target token in each layer's prediction, 0 where there is no target
 *                   // [layer + 1][token]
 * @param targetProb probability of the target token                       // [layer + 1][token]
 */
public record LogitLens(int layers, int tokens, int k, int[][][] topIds, float[][][] topProbs, int[] targetIds,
                        int[][] targetRank, float[][] targetProb) {

    public static final int DEFAULT_K = 10;
    private static final dev.headlight.engine.kernel.Kernels KERNELS = dev.headlight.engine.kernel.Kernels.best();

    /** Number of rows: the residual stream entering each layer plus the final output. */
    public int rows() {
        return layers + 1;
    }

    /** Computes the lens for a trace; polls {@code cancelled} between layers. */
    public static LogitLens compute(Model model, Trace trace, int k, BooleanSupplier cancelled) {
        int rows = trace.layers() + 1;
        int tokens = trace.tokens();
        int hidden = trace.hidden();
        int[] targets = targets(trace.inputIds(), model.info().causal());
        int[][][] topIds = new int[rows][tokens][];
        float[][][] topProbs = new float[rows][tokens][];
        int[][] rank = new int[rows][tokens];
        float[][] targetProb = new float[rows][tokens];
        // Several layers per unembedding call when the prompt is short: the matrix kernels tile over rows, and
        // a dozen short calls leave most of each tile empty. residual is [layer][token][hidden], so consecutive
        // layers are one contiguous block.
        int layersPerCall = Math.max(1, Math.min(rows, 128 / Math.max(1, tokens)));
        for (int first = 0; first < rows; first += layersPerCall) {
            if (cancelled != null && cancelled.getAsBoolean()) {
                throw new CancellationException("logit lens cancelled");
            }
            int count = Math.min(layersPerCall, rows - first);
            float[] hiddenStates = new float[count * tokens * hidden]; // [layer][token][hidden]
            System.arraycopy(trace.residual(), trace.residualOffset(first, 0), hiddenStates, 0, hiddenStates.length);
            float[] logits = model.outputHead(hiddenStates, count * tokens); // [layer][token][vocab]
            int vocab = logits.length / (count * tokens);
            int firstRow = first;
            // Cells in parallel; top-k and rank are read off the logits (softmax is monotonic), then one
            // vectorized softmax per cell gives the probabilities of just those entries.
            java.util.stream.IntStream.range(0, count * tokens).parallel().forEach(cell -> {
                int row = firstRow + cell / tokens;
                int t = cell % tokens;
                int from = cell * vocab;
                int[] ids = topK(logits, from, vocab, Math.min(k, vocab));
                int target = targets[t];
                if (target >= 0 && target < vocab) {
                    float lt = logits[from + target];
                    int better = 0;
                    for (int v = 0; v < vocab; v++) {
                        float lv = logits[from + v];
                        if (lv > lt || (lv == lt && v < target)) {
                            better++;
                        }
                    }
                    rank[row][t] = better + 1;
                }
                KERNELS.softmax(logits, from, from + vocab);
                float[] p = new float[ids.length];
                for (int i = 0; i < ids.length; i++) {
                    p[i] = logits[from + ids[i]];
                }
                topIds[row][t] = ids;
                topProbs[row][t] = p;
                if (target >= 0 && target < vocab) {
                    targetProb[row][t] = logits[from + target];
                }
            });
        }
        return new LogitLens(trace.layers(), tokens, k, topIds, topProbs, targets, rank, targetProb);
    }

    /** What each position is scored against: the next id (causal) or the id itself (masked LM). */
    static int[] targets(int[] ids, boolean causal) {
        int[] out = new int[ids.length];
        for (int t = 0; t < ids.length; t++) {
            out[t] = causal ? (t + 1 < ids.length ? ids[t + 1] : -1) : ids[t];
        }
        return out;
    }

    /** log_softmax of values[from .. from + n) into out[outFrom ..]. */
    public static void logSoftmax(float[] values, int from, int n, float[] out, int outFrom) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, values[from + i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.exp(values[from + i] - max);
        }
        double logZ = max + Math.log(sum);
        for (int i = 0; i < n; i++) {
            out[outFrom + i] = (float) (values[from + i] - logZ);
        }
    }

    /** Indices of the k largest values, largest first (ties: lower index first). */
    static int[] topK(float[] values, int k) {
        return topK(values, 0, values.length, k);
    }

    /** Indices (relative to {@code from}) of the k largest of values[from .. from + n), largest first. */
    static int[] topK(float[] values, int from, int n, int k) {
        int[] best = new int[k];
        int filled = 0;
        for (int v = 0; v < n; v++) {
            float value = values[from + v];
            if (filled == k && !(value > values[from + best[k - 1]])) {
                continue;
            }
            int pos = filled < k ? filled++ : k - 1;
            while (pos > 0 && value > values[from + best[pos - 1]]) {
                best[pos] = best[pos - 1];
                pos--;
            }
            best[pos] = v;
        }
        return best;
    }

    /**
     * The full lens as log-probabilities, as the CLI's analyze writes it: // [layer + 1][token][vocab].
     * Only for export: this is the one place that holds all of it.
     */
    public static float[] fullLogProbs(Model model, Trace trace) {
        int rows = trace.layers() + 1;
        int tokens = trace.tokens();
        int hidden = trace.hidden();
        float[] out = null;
        int vocab = 0;
        for (int layer = 0; layer < rows; layer++) {
            float[] hiddenStates = new float[tokens * hidden];
            System.arraycopy(trace.residual(), trace.residualOffset(layer, 0), hiddenStates, 0, tokens * hidden);
            float[] logits = model.outputHead(hiddenStates, tokens);
            if (out == null) {
                vocab = logits.length / tokens;
                out = new float[Math.multiplyExact(rows * tokens, vocab)];
            }
            for (int t = 0; t < tokens; t++) {
                logSoftmax(logits, t * vocab, vocab, out, (layer * tokens + t) * vocab);
            }
        }
        return out;
    }
}
