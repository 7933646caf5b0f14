package dev.headlight.analysis;

import dev.headlight.engine.Model;
import dev.headlight.engine.RunOptions;
import dev.headlight.engine.Trace;

import java.util.function.BooleanSupplier;

/**
 * Two attention pictures side by side: two models of the same architecture and shapes on one prompt, or one model
 * on two prompts. Per head, the Jensen–Shannon distance of {@link HeadDistances#matching}; the weights' side is
 * {@link WeightChange}. The CLI's {@code compare} and the window's compare view both call this.
 */
public final class Comparison {
    /** The per-head distance, for --help and the UI. */
    public static final String JS_DEFINITION = "js_distance of a head = mean over aligned query rows of the "
            + "Jensen-Shannon divergence (bits, base 2, so within [0, 1]) between the two attention rows of that head "
            + "(the measure of the head map, Clark et al. 2019); causal models skip row 0, which is [1] in both";
    /** How positions of two prompts are aligned, for --help and the UI. */
    public static final String ALIGNMENT = "two prompts are aligned position by position over the first "
            + "min(length A, length B) tokens (causal rows there over keys 0..i, which later tokens cannot change); "
            + "a bidirectional model (BERT) needs prompts of the same number of tokens";

    private Comparison() {
    }

    /**
     * Both runs and the per-head distances.
     *
     * @param alignedPositions the positions compared: min of the two lengths
     * @param jsDistance       // [layer][head]
     */
    public record Result(Trace a, Trace b, boolean causal, int alignedPositions, double[][] jsDistance) {
        /** {layer, head} of the largest JS distance (the first such head when tied): where the two differ most. */
        public int[] mostDifferentHead() {
            int bestLayer = 0;
            int bestHead = 0;
            for (int l = 0; l < jsDistance.length; l++) {
                for (int h = 0; h < jsDistance[l].length; h++) {
                    if (jsDistance[l][h] > jsDistance[bestLayer][bestHead]) {
                        bestLayer = l;
                        bestHead = h;
                    }
                }
            }
            return new int[]{bestLayer, bestHead};
        }

    }

    /** Runs {@code a} and {@code b} on the same ids; refuses models that differ in architecture or shapes. */
    public static Result models(Model a, Model b, int[] ids, BooleanSupplier cancelled) {
        WeightChange.requireComparable(a, b);
        RunOptions options = RunOptions.exact().withCancellation(cancelled);
        Trace ta = a.run(ids, options);
        Trace tb = b.run(ids, options);
        return result(ta, tb, a.info().causal());
    }

    /** Runs one model on two prompts; positions are aligned as {@link #ALIGNMENT} says. */
    public static Result prompts(Model model, int[] idsA, int[] idsB, BooleanSupplier cancelled) {
        boolean causal = model.info().causal();
        if (!causal && idsA.length != idsB.length) {
            throw new IllegalArgumentException("the prompts give " + idsA.length + " and " + idsB.length
                    + " tokens; a bidirectional model compares prompts of the same number of tokens");
        }
        RunOptions options = RunOptions.exact().withCancellation(cancelled);
        Trace ta = model.run(idsA, options);
        Trace tb = model.run(idsB, options);
        return result(ta, tb, causal);
    }

    private static Result result(Trace a, Trace b, boolean causal) {
        double[][] js = HeadDistances.matching(new HeadDistances.View(a.attentions(), causal),
                new HeadDistances.View(b.attentions(), causal));
        return new Result(a, b, causal, Math.min(a.tokens(), b.tokens()), js);
    }

    /**
     * Where two logit lenses' most likely tokens differ: {@code // [layer + 1][position]} over the first
     * {@code positions} positions.
     */
    public static boolean[][] top1Differs(LogitLens a, LogitLens b, int positions) {
        int rows = Math.min(a.rows(), b.rows());
        int n = Math.min(positions, Math.min(a.tokens(), b.tokens()));
        boolean[][] out = new boolean[rows][n];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < n; i++) {
                out[r][i] = a.topIds()[r][i][0] != b.topIds()[r][i][0];
            }
        }
        return out;
    }
}
