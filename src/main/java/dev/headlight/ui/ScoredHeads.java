package dev.headlight.ui;

import dev.headlight.analysis.HeadAnalysis;
import dev.headlight.analysis.HeadKind;
import dev.headlight.analysis.HeadScores;
import dev.headlight.analysis.HeadScoring;
import dev.headlight.analysis.Score;
import dev.headlight.engine.AttentionMaps;
import dev.headlight.engine.Model;

import java.util.function.BooleanSupplier;

/**
 * The analysis package's head scores (on the prompt) and kinds as {@link HeadFeatures} for the head map and the
 * score bars. Kinds come from {@link HeadAnalysis#kinds}, the standard multi-period probe: the same evidence and
 * function as {@code headlight heads --probe}, so the window and the command line name each head alike.
 */
public final class ScoredHeads {
    /** The score names, in {@link Score} order: the feature columns. */
    public static final String[] FEATURE_NAMES = java.util.Arrays.stream(Score.values()).map(Score::label)
            .toArray(String[]::new);

    private ScoredHeads() {
    }

    /**
     * Scores every head on {@code ids} (absent scores, e.g. induction without a repeat, count as 0) and labels it with
     * its probe kind (the probe runs once per model; {@code cancelled} stops it).
     */
    public static HeadFeatures compute(Model model, AttentionMaps maps, int[] ids, BooleanSupplier cancelled) {
        return compute(maps, ids, model.info().causal(), HeadAnalysis.kinds(model, cancelled));
    }

    /** Prompt scores of every head with given kinds {@code // [layer][head]}. */
    public static HeadFeatures compute(AttentionMaps maps, int[] ids, boolean causal, HeadKind.Verdict[][] verdicts) {
        HeadScores[][] scores = HeadScoring.scoreAll(maps, ids, causal);
        java.util.List<String> kindNames = new java.util.ArrayList<>();
        for (HeadKind k : HeadKind.values()) {
            if (k != HeadKind.POSITIONAL) {
                kindNames.add(k.key());
            }
        }
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
                String label = verdicts[l][h].label();
                if (!kindNames.contains(label)) {
                    kindNames.add(0, label); // positional kinds first, like the rules
                    for (int i = 0; i < l * heads + h; i++) {
                        kinds[i]++;
                    }
                }
                kinds[l * heads + h] = kindNames.indexOf(label);
            }
        }
        return HeadFeatures.of(layers, heads, FEATURE_NAMES, features, kindNames.toArray(String[]::new), kinds);
    }
}
