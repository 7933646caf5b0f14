package dev.headlight.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A per-head score the model view can show as a coloured bar under each map: a name and how to compute it from
 * an analysis ({@code // [layer][head]} in [0, 1]). The list is the hook where richer head scores plug in.
 */
public record HeadScoreChoice(String label, Function<Analysis, double[][]> scores) {

    public static final HeadScoreChoice NONE = new HeadScoreChoice("No score", a -> null);

    /** The scores on offer: none, then each of the analysis package's head scores. */
    public static List<HeadScoreChoice> available() {
        List<HeadScoreChoice> out = new ArrayList<>();
        out.add(NONE);
        for (int f = 0; f < ScoredHeads.FEATURE_NAMES.length; f++) {
            int feature = f;
            out.add(new HeadScoreChoice(ScoredHeads.FEATURE_NAMES[f], a -> featureGrid(a.headFeatures(), feature)));
        }
        return out;
    }

    static double[][] featureGrid(HeadFeatures f, int feature) {
        if (f == null) {
            return null;
        }
        double[][] grid = new double[f.layers()][f.heads()];
        for (int l = 0; l < f.layers(); l++) {
            for (int h = 0; h < f.heads(); h++) {
                grid[l][h] = f.features()[f.index(l, h)][feature];
            }
        }
        return grid;
    }

    @Override
    public String toString() {
        return label;
    }
}
