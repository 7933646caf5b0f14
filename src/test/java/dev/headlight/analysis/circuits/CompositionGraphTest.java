package dev.headlight.analysis.circuits;

import dev.headlight.analysis.circuits.CompositionGraph.Edge;
import dev.headlight.analysis.circuits.CompositionGraph.Kind;
import dev.headlight.analysis.circuits.HeadCircuits.Composition;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The composition graph's rules on hand-made scores with known answers. */
class CompositionGraphTest {
    private static final Set<Kind> ALL = EnumSet.allOf(Kind.class);

    private static Composition pair(int l1, int h1, int l2, int h2, double q, double k, double v) {
        return new Composition(l1, h1, l2, h2, score(q), score(k), score(v));
    }

    /** NaN stands for a null score. */
    private static OptionalDouble score(double x) {
        return Double.isNaN(x) ? OptionalDouble.empty() : OptionalDouble.of(x);
    }

    @Test
    void edgesAreTheShownScoresAtOrAboveTheThresholdInPairThenKindOrder() {
        List<Composition> pairs = new ArrayList<>(List.of(
                pair(0, 0, 1, 0, 0.10, 0.30, 0.20),
                pair(0, 1, 1, 0, 0.25, Double.NaN, 0.05)));
        pairs.add(1, null); // the table's unused entries are null
        assertEquals(List.of(
                        new Edge(0, 0, 1, 0, Kind.K, 0.30), new Edge(0, 0, 1, 0, Kind.V, 0.20),
                        new Edge(0, 1, 1, 0, Kind.Q, 0.25)),
                CompositionGraph.edges(pairs, 0.2, ALL), "at the threshold counts, a null score never does");
        assertEquals(List.of(new Edge(0, 0, 1, 0, Kind.V, 0.20), new Edge(0, 1, 1, 0, Kind.Q, 0.25)),
                CompositionGraph.edges(pairs, 0.2, EnumSet.of(Kind.Q, Kind.V)), "K switched off");
        assertTrue(CompositionGraph.edges(pairs, 0.31, ALL).isEmpty());
        assertEquals(0.30, CompositionGraph.strongest(pairs));
    }

    @Test
    void theDefaultThresholdIsTheNthStrongestScoreRoundedDown() {
        // 2 layers x 1 head: n = max(4, 2) = 4; the scores sorted: 0.9, 0.8, 0.7, 0.657, 0.1, 0.05
        List<Composition> pairs = List.of(pair(0, 0, 1, 0, 0.9, 0.657, 0.05), pair(0, 0, 1, 0, 0.8, 0.7, 0.1));
        assertEquals(0.65, CompositionGraph.defaultThreshold(pairs, 2));
        // 6 heads: the 6th strongest
        assertEquals(0.05, CompositionGraph.defaultThreshold(pairs, 6));
        // fewer scores than heads: the weakest; none: 0
        assertEquals(0.05, CompositionGraph.defaultThreshold(pairs, 100));
        assertEquals(0, CompositionGraph.defaultThreshold(List.of(), 4));
    }

    @Test
    void strongestInputsAreTheHeadsColumnStrongestFirst() {
        List<Composition> compositions = List.of(
                pair(0, 0, 1, 1, 0.1, 0.6, 0.2),
                pair(0, 1, 1, 1, 0.4, Double.NaN, 0.3),
                pair(1, 1, 2, 0, 0.9, 0.9, 0.9)); // its row: the head writes, not reads
        assertEquals(List.of(new Edge(0, 0, 1, 1, Kind.K, 0.6), new Edge(0, 1, 1, 1, Kind.Q, 0.4),
                new Edge(0, 1, 1, 1, Kind.V, 0.3)), CompositionGraph.strongestInputs(compositions, 1, 1, 3));
        assertEquals(5, CompositionGraph.strongestInputs(compositions, 1, 1, 10).size(), "every present score");
        assertTrue(CompositionGraph.strongestInputs(compositions, 0, 0, 3).isEmpty(), "layer 0 has no inputs");
    }

    @Test
    void strongestWithIsEachPartnersStrongestShownScoreEitherWayRound() {
        List<Composition> compositions = List.of(
                pair(0, 0, 1, 1, 0.1, 0.6, 0.2),
                pair(0, 1, 1, 1, Double.NaN, Double.NaN, Double.NaN),
                pair(1, 1, 2, 0, 0.3, 0.2, 0.5));
        double[][] with = CompositionGraph.strongestWith(compositions, 1, 1, 3, 2, ALL);
        assertEquals(0.6, with[0][0]);
        assertTrue(Double.isNaN(with[0][1]), "every score null");
        assertTrue(Double.isNaN(with[1][0]) && Double.isNaN(with[1][1]), "its own layer");
        assertEquals(0.5, with[2][0]);
        assertTrue(Double.isNaN(with[2][1]), "no composition known");
        double[][] qOnly = CompositionGraph.strongestWith(compositions, 1, 1, 3, 2, EnumSet.of(Kind.Q));
        assertEquals(0.1, qOnly[0][0]);
        assertEquals(0.3, qOnly[2][0]);
    }

    @Property
    void everyShownScoreAtOrAboveTheThresholdIsOneEdge(
            @ForAll @Size(max = 12) List<@DoubleRange(min = 0, max = 1) Double> scores,
            @ForAll @DoubleRange(min = 0, max = 1) double threshold, @ForAll boolean q, @ForAll boolean k,
            @ForAll boolean v) {
        List<Composition> pairs = new ArrayList<>();
        for (int i = 0; i + 2 < scores.size(); i += 3) {
            pairs.add(pair(0, i, 1, 0, scores.get(i), scores.get(i + 1), scores.get(i + 2)));
        }
        Set<Kind> shown = EnumSet.noneOf(Kind.class);
        boolean[] on = {q, k, v};
        for (Kind kind : Kind.values()) {
            if (on[kind.ordinal()]) {
                shown.add(kind);
            }
        }
        long expected = 0;
        for (int i = 0; i < pairs.size() * 3; i++) {
            expected += on[i % 3] && scores.get(i) >= threshold ? 1 : 0;
        }
        List<Edge> edges = CompositionGraph.edges(pairs, threshold, shown);
        assertEquals(expected, edges.size());
        assertTrue(edges.stream().allMatch(e -> shown.contains(e.kind()) && e.score() >= threshold));
        double max = scores.stream().limit(pairs.size() * 3L).mapToDouble(Double::doubleValue).max().orElse(0);
        assertEquals(max, CompositionGraph.strongest(pairs));
    }
}
