package dev.headlight.train;

import dev.headlight.analysis.Probe;
import dev.headlight.analysis.ProbeOptions;

/**
 * Previous-token and induction scores of every head on the standard probe, for the training log (the analysis
 * package computes the official ones with the same definitions).
 * <ul>
 * <li>previous_token = mean over queries i >= 1 of A[i][i-1]</li>
 * <li>induction = mean over queries i that have some key j, 1 <= j < i, with t[j-1] = t[i], of the sum of A[i][j]
 *     over those j</li>
 * </ul>
 * The probe is analysis's {@link Probe} with its default seed: BOS followed by {@link #REPEAT_LENGTH} distinct
 * random ordinary tokens, twice.
 */
public final class ProbeScores {
    public static final long SEED = ProbeOptions.DEFAULT_SEED;
    public static final int REPEAT_LENGTH = ProbeOptions.DEFAULT_REPEAT_LENGTH;

    /** scores per layer and head. */
    public record Scores(double[][] previousToken, double[][] induction) {
        public double maxInduction(int layer) {
            double best = 0;
            for (double v : induction[layer]) {
                best = Math.max(best, v);
            }
            return best;
        }

        public double maxPreviousToken(int layer) {
            double best = 0;
            for (double v : previousToken[layer]) {
                best = Math.max(best, v);
            }
            return best;
        }
    }

    private ProbeScores() {
    }

    /**
     * The standard probe of {@link Probe} for a task: [BOS] + r + r with r = {@code repeatLength} distinct
     * non-special ids; BOS when the task's tokenizer adds one.
     */
    public static int[] probe(TrainingTask task, int repeatLength, long seed) {
        return Probe.ids(task.vocab(), id -> !task.isSpecial(id), task.addsBos() ? task.bosId() : -1, seed,
                repeatLength);
    }

    public static Scores score(GptModel model, float[] params, TrainingTask task) {
        GptConfig c = model.config();
        int repeat = Math.min(REPEAT_LENGTH, (c.positions() - 1) / 2);
        int[] ids = probe(task, repeat, SEED);
        GptModel.Workspace ws = model.newWorkspace();
        model.forward(params, ids, ids.length, ws);
        double[][] prev = new double[c.layers()][c.heads()];
        double[][] ind = new double[c.layers()][c.heads()];
        for (int l = 0; l < c.layers(); l++) {
            for (int h = 0; h < c.heads(); h++) {
                final int layer = l;
                final int head = h;
                prev[l][h] = previousToken(ids, (i, j) -> model.attention(ws, layer, head, i, j));
                ind[l][h] = induction(ids, (i, j) -> model.attention(ws, layer, head, i, j));
            }
        }
        return new Scores(prev, ind);
    }

    /** A[query][key] of one head. */
    @FunctionalInterface
    public interface Attention {
        double at(int query, int key);
    }

    public static double previousToken(int[] ids, Attention a) {
        if (ids.length < 2) {
            return 0;
        }
        double sum = 0;
        for (int i = 1; i < ids.length; i++) {
            sum += a.at(i, i - 1);
        }
        return sum / (ids.length - 1);
    }

    public static double induction(int[] ids, Attention a) {
        double sum = 0;
        int queries = 0;
        for (int i = 1; i < ids.length; i++) {
            double mass = 0;
            boolean any = false;
            for (int j = 1; j < i; j++) {
                if (ids[j - 1] == ids[i]) {
                    mass += a.at(i, j);
                    any = true;
                }
            }
            if (any) {
                sum += mass;
                queries++;
            }
        }
        return queries == 0 ? 0 : sum / queries;
    }
}
