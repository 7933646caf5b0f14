package dev.headlight.analysis;

import dev.headlight.engine.Model;
import dev.headlight.engine.Trace;
import dev.headlight.engine.kernel.RowScans;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;
import java.util.stream.IntStream;

/**
 * The logit lens: the model's output head applied to the residual stream entering every layer (and to the last
 * layer's output). Per cell (layer, position) only the top-k tokens, their probabilities and the rank and
 * probability of the expected token are kept.
 *
 * <p>How: the cells' read-out states are multiplied by the unembedding one block of vocabulary rows at a time,
 * and each block is folded into per-cell running results (an online softmax: running maximum and sum of
 * exponentials; the top-k so far; how many logits beat the expected token's). So no [layer + 1][token][vocab]
 * array exists, only a [cells][block] buffer. The last row is read from the pass's own logits. A cell whose
 * residual vector and target equal those of a previous lens of the same model is copied from it (typing at the
 * end of a prompt recomputes only the last positions).
 *
 * @param topIds     the k most likely token ids, most likely first (ties: lower id first) // [layer + 1][token][k]
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
    /** Vocabulary rows per unembedding call: the [cells][block] buffer stays a few megabytes. */
    private static final int VOCAB_BLOCK = 2048;
    /** Read-out floats per chunk of cells: the chunk's [cells][hidden] stays in the L2 cache across blocks. */
    private static final int CHUNK_FLOATS = 192 * 1024;

    /** Number of rows: the residual stream entering each layer plus the final output. */
    public int rows() {
        return layers + 1;
    }

    /** A lens computed earlier for the same model, with the trace it was computed from: cells to reuse. */
    public record Earlier(Model model, Trace trace, LogitLens lens) {
    }

    /** Computes the lens for a trace; polls {@code cancelled} between vocabulary blocks. */
    public static LogitLens compute(Model model, Trace trace, int k, BooleanSupplier cancelled) {
        return compute(model, trace, k, cancelled, null);
    }

    /**
     * Computes the lens, copying from {@code earlier} (may be null) every cell whose residual vector is bitwise
     * the same and whose target is the same: the same input to the same function.
     */
    public static LogitLens compute(Model model, Trace trace, int k, BooleanSupplier cancelled, Earlier earlier) {
        return compute(model, trace, k, cancelled, earlier, null, VOCAB_BLOCK, 0);
    }

    /** As {@link #compute(Model, Trace, int, BooleanSupplier, Earlier)}, telling {@code progress} the fraction done. */
    public static LogitLens compute(Model model, Trace trace, int k, BooleanSupplier cancelled, Earlier earlier,
                                    DoubleConsumer progress) {
        return compute(model, trace, k, cancelled, earlier, progress, VOCAB_BLOCK, 0);
    }

    /** {@link #compute} with a chosen vocabulary block and chunk of cells (0 = from the hidden size); for tests. */
    static LogitLens compute(Model model, Trace trace, int k, BooleanSupplier cancelled, Earlier earlier,
                             DoubleConsumer progress, int vocabBlock, int chunkCells) {
        int layers = trace.layers();
        int rows = layers + 1;
        int tokens = trace.tokens();
        int hidden = trace.hidden();
        int vocab = trace.vocab();
        int kk = Math.min(k, vocab);
        int[] targets = targets(trace.inputIds(), model.info().causal());
        Cells cells = new Cells(rows, tokens, kk);
        boolean reuse = earlier != null && earlier.model() == model && earlier.lens().k() == kk
                && earlier.trace().hidden() == hidden;
        List<Integer> todo = new ArrayList<>();                  // cell = row * tokens + token, rows < layers
        for (int row = 0; row < layers; row++) {
            for (int t = 0; t < tokens; t++) {
                if (!(reuse && cells.copyFrom(earlier, trace, targets, row, t))) {
                    todo.add(row * tokens + t);
                }
            }
        }
        // the last row: the pass's own logits, one "block" of the whole vocabulary per position; a position whose
        // logits and target are unchanged is copied (a continuing pass copies the logits of the shared positions)
        float[] logits = trace.logits();                       // [token][vocab]
        int[] lastRow = IntStream.range(0, tokens)
                .filter(t -> !(reuse && cells.copyLastRowFrom(earlier, trace, targets, t))).toArray();
        Arrays.stream(lastRow).parallel().forEach(t -> {
            int from = t * vocab;
            int target = targets[t];
            float targetLogit = target >= 0 ? logits[from + target] : Float.NaN;
            Running r = new Running(kk);
            r.fold(logits, from, vocab, 0, target, targetLogit);
            cells.store(layers, t, r, target, targetLogit);
        });
        int chunk = chunkCells > 0 ? chunkCells : Math.max(16, Math.min(256, CHUNK_FLOATS / hidden));
        for (int first = 0; first < todo.size(); first += chunk) {
            List<Integer> part = todo.subList(first, Math.min(todo.size(), first + chunk));
            foldChunk(model, trace, part, targets, vocab, vocabBlock, kk, cells, cancelled);
            if (progress != null) {
                progress.accept((double) (first + part.size()) / todo.size());
            }
        }
        return new LogitLens(layers, tokens, kk, cells.topIds, cells.topProbs, targets, cells.rank, cells.targetProb);
    }

    /** The lens of a chunk of cells (rows below the last): read-out, then the vocabulary block by block. */
    private static void foldChunk(Model model, Trace trace, List<Integer> part, int[] targets, int vocab,
                                  int vocabBlock, int k, Cells cells, BooleanSupplier cancelled) {
        int n = part.size();
        int tokens = trace.tokens();
        int hidden = trace.hidden();
        float[] states = new float[n * hidden];                         // [cell][hidden]
        for (int c = 0; c < n; c++) {
            int cell = part.get(c);
            System.arraycopy(trace.residual(), trace.residualOffset(cell / tokens, cell % tokens), states,
                    c * hidden, hidden);
        }
        float[] readout = model.readout(states, n);                     // [cell][hidden]
        // Each target's logit on its own (its row of the unembedding, one call per distinct target for all the
        // chunk's cells that predict it); the block pass then counts the logits above it for the rank.
        float[] targetLogits = new float[n];                            // [cell]
        Arrays.fill(targetLogits, Float.NaN);
        java.util.Map<Integer, List<Integer>> byTarget = new java.util.HashMap<>(); // target -> chunk cells
        for (int c = 0; c < n; c++) {
            int target = targets[part.get(c) % tokens];
            if (target >= 0) {
                byTarget.computeIfAbsent(target, x -> new ArrayList<>()).add(c);
            }
        }
        for (var entry : byTarget.entrySet()) {
            List<Integer> same = entry.getValue();
            float[] sameStates = new float[same.size() * hidden];       // [cell][hidden]
            for (int i = 0; i < same.size(); i++) {
                System.arraycopy(readout, same.get(i) * hidden, sameStates, i * hidden, hidden);
            }
            float[] logit = new float[same.size()];                     // [cell]
            model.unembed(sameStates, same.size(), entry.getKey(), entry.getKey() + 1, logit);
            for (int i = 0; i < same.size(); i++) {
                targetLogits[same.get(i)] = logit[i];
            }
        }
        Running[] running = new Running[n];
        for (int c = 0; c < n; c++) {
            running[c] = new Running(k);
        }
        int block = Math.min(vocabBlock, vocab);
        float[] blockLogits = new float[n * block];                     // [cell][block]
        for (int v0 = 0; v0 < vocab; v0 += block) {
            if (cancelled != null && cancelled.getAsBoolean()) {
                throw new CancellationException("logit lens cancelled");
            }
            int width = Math.min(block, vocab - v0);
            model.unembed(readout, n, v0, v0 + width, blockLogits);     // [cell][width]
            int firstId = v0;
            IntStream.range(0, n).parallel().forEach(c -> {
                int target = targets[part.get(c) % tokens];
                running[c].fold(blockLogits, c * width, width, firstId, target, targetLogits[c]);
            });
        }
        for (int c = 0; c < n; c++) {
            int cell = part.get(c);
            int t = cell % tokens;
            cells.store(cell / tokens, t, running[c], targets[t], targetLogits[c]);
        }
    }

    /** One cell's distribution folded in block by block. */
    private static final class Running {
        final int[] ids;          // [k] best ids so far, best first
        final float[] values;     // [k] their logits
        int filled;
        float max = Float.NEGATIVE_INFINITY;
        double sumExp;            // sum of exp(logit - max) so far
        int above;                // logits (other than the target's own) above the target's

        Running(int k) {
            ids = new int[k];
            values = new float[k];
        }

        /** Folds in logits[from, from + n), the logits of ids firstId, firstId + 1, ... */
        void fold(float[] logits, int from, int n, int firstId, int target, float targetLogit) {
            int to = from + n;
            float blockMax = RowScans.max(logits, from, to);
            if (blockMax > max) {
                sumExp = sumExp == 0 ? 0 : sumExp * Math.exp((double) max - blockMax);
                max = blockMax;
            }
            sumExp += RowScans.sumExp(logits, from, to, max);
            foldTopK(logits, from, to, firstId);
            if (target >= 0) {
                above += RowScans.countAbove(logits, from, to, targetLogit);
                int local = target - firstId;
                if (local >= 0 && local < n && logits[from + local] > targetLogit) {
                    above--; // the target's own entry, computed in a different tile, may round above
                }
            }
        }

        /** The top-k part of {@link #fold}: values[from, to) are the logits of ids firstId, firstId + 1, ... */
        void foldTopK(float[] values, int from, int to, int firstId) {
            int k = ids.length;
            int i = from;
            while (true) {
                float threshold = filled < k ? Float.NEGATIVE_INFINITY : this.values[k - 1];
                i = filled < k ? i : RowScans.firstAbove(values, i, to, threshold);
                if (i >= to) {
                    break;
                }
                insert(firstId + i - from, values[i]);
                i++;
            }
        }

        /** Inserts after any equal value: ids arrive in increasing order, so ties keep the lower id first. */
        private void insert(int id, float value) {
            int k = ids.length;
            int pos = filled < k ? filled++ : k - 1;
            while (pos > 0 && value > values[pos - 1]) {
                ids[pos] = ids[pos - 1];
                values[pos] = values[pos - 1];
                pos--;
            }
            ids[pos] = id;
            values[pos] = value;
        }

        double logZ() {
            return max + Math.log(sumExp);
        }
    }

    /** The result arrays being filled. */
    private static final class Cells {
        final int[][][] topIds;     // [row][token][k]
        final float[][][] topProbs; // [row][token][k]
        final int[][] rank;         // [row][token]
        final float[][] targetProb; // [row][token]

        Cells(int rows, int tokens, int k) {
            topIds = new int[rows][tokens][];
            topProbs = new float[rows][tokens][];
            rank = new int[rows][tokens];
            targetProb = new float[rows][tokens];
        }

        void store(int row, int t, Running r, int target, float targetLogit) {
            double logZ = r.logZ();
            float[] p = new float[r.filled];
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) Math.exp(r.values[i] - logZ);
            }
            topIds[row][t] = Arrays.copyOf(r.ids, r.filled);
            topProbs[row][t] = p;
            if (target >= 0) {
                rank[row][t] = r.above + 1;
                targetProb[row][t] = (float) Math.exp(targetLogit - logZ);
            }
        }

        /** Copies cell (row, t) from an earlier lens if its input is the same; true when it did. */
        boolean copyFrom(Earlier earlier, Trace trace, int[] targets, int row, int t) {
            Trace before = earlier.trace();
            LogitLens lens = earlier.lens();
            if (t >= before.tokens() || row >= before.layers() || lens.targetIds()[t] != targets[t]) {
                return false;
            }
            int hidden = trace.hidden();
            int now = trace.residualOffset(row, t);
            int then = before.residualOffset(row, t);
            if (!Arrays.equals(trace.residual(), now, now + hidden, before.residual(), then, then + hidden)) {
                return false;
            }
            copy(lens, row, t);
            return true;
        }

        /** Copies the last row's cell of position t from an earlier lens if its logits and target are the same. */
        boolean copyLastRowFrom(Earlier earlier, Trace trace, int[] targets, int t) {
            Trace before = earlier.trace();
            LogitLens lens = earlier.lens();
            if (t >= before.tokens() || lens.targetIds()[t] != targets[t] || before.vocab() != trace.vocab()) {
                return false;
            }
            int vocab = trace.vocab();
            if (!Arrays.equals(trace.logits(), t * vocab, (t + 1) * vocab, before.logits(), t * vocab,
                    (t + 1) * vocab)) {
                return false;
            }
            copy(lens, lens.layers(), t);
            return true;
        }

        private void copy(LogitLens lens, int row, int t) {
            topIds[row][t] = lens.topIds()[row][t];
            topProbs[row][t] = lens.topProbs()[row][t];
            rank[row][t] = lens.targetRank()[row][t];
            targetProb[row][t] = lens.targetProb()[row][t];
        }
    }

    /** Indices (relative to {@code from}) of the k largest of values[from .. from + n), largest first, ties by index. */
    public static int[] topK(float[] values, int from, int n, int k) {
        Running r = new Running(Math.min(k, n));
        r.foldTopK(values, from, from + n, 0);
        return Arrays.copyOf(r.ids, r.filled);
    }

    /** What each position is scored against: the next id (causal) or the id itself (masked LM). */
    public static int[] targets(int[] ids, boolean causal) {
        int[] out = new int[ids.length];
        for (int t = 0; t < ids.length; t++) {
            out[t] = causal ? (t + 1 < ids.length ? ids[t + 1] : -1) : ids[t];
        }
        return out;
    }

    /** log_softmax of values[from .. from + n) into out[outFrom ..] (may be the same place: in place). */
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
}
