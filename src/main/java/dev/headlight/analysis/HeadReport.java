package dev.headlight.analysis;

import java.util.Optional;

/**
 * Everything known about one head.
 *
 * @param layer        layer index
 * @param head         head index within the layer
 * @param prompt       scores on the prompt
 * @param probe        scores on the standard probe, when it was run
 * @param kind         kind from the probe scores when the probe was run, else from the prompt scores
 * @param cluster      average-linkage cluster id (0-based, numbered by first head)
 * @param x            head-map position (classical MDS of the JSD distances)
 * @param y            head-map position
 */
public record HeadReport(int layer, int head, HeadScores prompt, Optional<HeadScores> probe, HeadKind kind,
                         int cluster, double x, double y) {
}
