package dev.headlight.analysis;

import java.util.List;
import java.util.OptionalDouble;

/**
 * The head analysis of one prompt.
 *
 * @param layers      layers of the model
 * @param heads       heads per layer
 * @param promptIds   the prompt's ids                                  // [T]
 * @param probe       the standard probe's evidence (periods, ids, scores), or null when no probe ran
 * @param reports     one per head, in (layer, head) order; index = layer * heads + head
 * @param distance    JSD distance between heads (bits)               // [head][head]
 * @param dendrogram  average-linkage merges by increasing height
 */
public record HeadAnalysisResult(int layers, int heads, int[] promptIds, ProbeEvidence probe, List<HeadReport> reports,
                                 double[][] distance, List<AverageLinkage.Merge> dendrogram) {

    public HeadReport report(int layer, int head) {
        return reports.get(layer * heads + head);
    }

    public boolean hasProbe() {
        return probe != null;
    }

    /**
     * One score of every head for colouring: {@code // [layer][head]}, {@code absent} where the score is absent
     * (or the probe view was asked for and not run).
     */
    public double[][] scoreGrid(Score score, boolean probeView, double absent) {
        double[][] out = new double[layers][heads];
        for (HeadReport r : reports) {
            OptionalDouble v = probeView
                    ? r.probe().map(s -> s.get(score)).orElse(OptionalDouble.empty())
                    : r.prompt().get(score);
            out[r.layer()][r.head()] = v.isPresent() ? v.getAsDouble() : absent;
        }
        return out;
    }
}
