package dev.headlight.ui;

import dev.headlight.analysis.HeadAnalysis;
import dev.headlight.analysis.HeadAnalysisResult;
import dev.headlight.analysis.HeadKind;
import dev.headlight.analysis.HeadReport;
import dev.headlight.analysis.Score;
import dev.headlight.engine.AttentionMaps;
import dev.headlight.engine.Model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The analysis package's head scores (on the prompt), kinds and head map as {@link HeadFeatures} for the head map
 * and the score bars. Kinds come from {@link HeadAnalysis#kinds}, the standard multi-period probe: the same evidence
 * and function as {@code headlight heads --probe}, so the window and the command line name each head alike.
 */
public final class ScoredHeads {
    /** The score names, in {@link Score} order: the feature columns. */
    public static final String[] FEATURE_NAMES = java.util.Arrays.stream(Score.values()).map(Score::label)
            .toArray(String[]::new);

    private ScoredHeads() {
    }

    /**
     * Scores and head-map positions of every head on {@code ids} and its probe kind (the probe runs once per model;
     * {@code cancelled} stops it).
     */
    public static HeadFeatures compute(Model model, AttentionMaps maps, int[] ids, BooleanSupplier cancelled) {
        return compute(maps, ids, model.info().causal(), HeadAnalysis.kinds(model, cancelled));
    }

    /**
     * Scores and head-map positions of every head on {@code ids} ({@link HeadAnalysis} on the prompt alone, the
     * computation of {@code headlight heads} without --probe; absent scores, e.g. induction without a repeat, count
     * as 0 in the features), labelled with the given kinds {@code // [layer][head]}.
     */
    public static HeadFeatures compute(AttentionMaps maps, int[] ids, boolean causal, HeadKind.Verdict[][] verdicts) {
        HeadAnalysisResult analysis = HeadAnalysis.analyze(maps, ids, null, null, causal, 0);
        int layers = maps.layers();
        int heads = maps.heads();
        Score[] columns = Score.values();
        double[][] features = new double[layers * heads][columns.length];
        double[][] positions = new double[layers * heads][];
        List<String> kindNames = new ArrayList<>();
        for (HeadKind k : HeadKind.values()) {
            if (k != HeadKind.POSITIONAL) {
                kindNames.add(k.key());
            }
        }
        String[] labels = new String[layers * heads];
        for (HeadReport r : analysis.reports()) {
            int k = r.layer() * heads + r.head();
            for (int c = 0; c < columns.length; c++) {
                features[k][c] = r.prompt().getOr(columns[c], 0);
            }
            positions[k] = new double[]{r.x(), r.y()};
            labels[k] = verdicts[r.layer()][r.head()].label();
            if (!kindNames.contains(labels[k])) {
                kindNames.addFirst(labels[k]); // positional kinds first, as the rules check them
            }
        }
        int[] kinds = new int[layers * heads];
        for (int k = 0; k < kinds.length; k++) {
            kinds[k] = kindNames.indexOf(labels[k]);
        }
        return new HeadFeatures(layers, heads, FEATURE_NAMES, features, positions, kindNames.toArray(String[]::new),
                kinds);
    }
}
