package dev.headlight.ui;

import dev.headlight.analysis.HeadAnalysis;
import dev.headlight.analysis.HeadAnalysisResult;
import dev.headlight.analysis.HeadKind;
import dev.headlight.analysis.HeadReport;
import dev.headlight.analysis.Score;
import dev.headlight.engine.AttentionMaps;

/** The analysis package's head scores, kinds and head map as {@link HeadFeatures} for the head map and the score bars. */
public final class ScoredHeads {
    /** The score names, in {@link Score} order: the feature columns. */
    public static final String[] FEATURE_NAMES = java.util.Arrays.stream(Score.values()).map(Score::label)
            .toArray(String[]::new);

    private ScoredHeads() {
    }

    /**
     * Scores, kinds and head-map positions of every head on {@code ids}: {@link HeadAnalysis} on the prompt alone,
     * the computation of {@code headlight heads} without --probe. Absent scores (e.g. induction without a repeat)
     * count as 0 in the features.
     */
    public static HeadFeatures compute(AttentionMaps maps, int[] ids, boolean causal) {
        HeadAnalysisResult analysis = HeadAnalysis.analyze(maps, ids, null, null, causal, 0);
        int layers = maps.layers();
        int heads = maps.heads();
        Score[] columns = Score.values();
        double[][] features = new double[layers * heads][columns.length];
        double[][] positions = new double[layers * heads][];
        int[] kinds = new int[layers * heads];
        for (HeadReport r : analysis.reports()) {
            int k = r.layer() * heads + r.head();
            for (int c = 0; c < columns.length; c++) {
                features[k][c] = r.prompt().getOr(columns[c], 0);
            }
            positions[k] = new double[]{r.x(), r.y()};
            kinds[k] = r.kind().ordinal();
        }
        String[] kindNames = java.util.Arrays.stream(HeadKind.values()).map(HeadKind::key).toArray(String[]::new);
        return new HeadFeatures(layers, heads, FEATURE_NAMES, features, positions, kindNames, kinds);
    }
}
