package dev.headlight.ui;

/**
 * Per-head features (the analysis package's head scores, see {@link ScoredHeads}), each head's place on the head map
 * and its kind: what the head map draws.
 *
 * @param featureNames what each feature column is                         // [feature]
 * @param features  per head, e.g. mean attention to the previous token, to the first token, to itself, and the
 *                  mean normalised row entropy                              // [layer * heads + head][feature]
 * @param positions the head map: analysis.HeadAnalysis's classical MDS of the Jensen–Shannon distances between
 *                  the heads' attention rows, the x, y of {@code headlight heads}  // [layer * heads + head][2]
 * @param kindNames the kinds in legend order                                // [kind]
 * @param kinds     each head's kind, an index into kindNames                // [layer * heads + head]
 */
public record HeadFeatures(int layers, int heads, String[] featureNames, double[][] features, double[][] positions,
                           String[] kindNames, int[] kinds) {

    public int index(int layer, int head) {
        return layer * heads + head;
    }

    /** The kind of a head, as its name. */
    public String kind(int layer, int head) {
        return kindNames[kinds[index(layer, head)]];
    }
}
