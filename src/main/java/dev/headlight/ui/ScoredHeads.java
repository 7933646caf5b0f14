package dev.headlight.ui;

import dev.headlight.analysis.HeadKind;
import dev.headlight.analysis.HeadScores;
import dev.headlight.analysis.HeadScoring;
import dev.headlight.analysis.Score;
import dev.headlight.engine.AttentionMaps;

/** The analysis package's head scores and kinds as {@link HeadFeatures} for the head map and the score bars. */
public final class ScoredHeads {
    /** The score names, in {@link Score} order: the feature columns. */
    public static final String[] FEATURE_NAMES = java.util.Arrays.stream(Score.values()).map(Score::label)
            .toArray(String[]::new);

    private ScoredHeads() {
    }

    /** Scores every head on {@code ids}; absent scores (e.g. induction without a repeat) count as 0. */
    public static HeadFeatures compute(AttentionMaps maps, int[] ids, boolean causal) {
        HeadScores[][] scores = HeadScoring.scoreAll(maps, ids, causal);
        int layers = maps.layers();
        int heads = maps.heads();
        Score[] columns = Score.values();
        double[][] features = new double[layers * heads][columns.length];
        int[] kinds = new int[layers * heads];
        for (int l = 0; l < layers; l++) {
            for (int h = 0; h < heads; h++) {
                for (int c = 0; c < columns.length; c++) {
                    features[l * heads + h][c] = scores[l][h].getOr(columns[c], 0);
                }
                kinds[l * heads + h] = HeadKind.classify(scores[l][h]).ordinal();
            }
        }
        String[] kindNames = java.util.Arrays.stream(HeadKind.values()).map(HeadKind::key).toArray(String[]::new);
        return HeadFeatures.of(layers, heads, FEATURE_NAMES, features, kindNames, kinds);
    }
}
