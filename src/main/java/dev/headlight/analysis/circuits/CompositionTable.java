package dev.headlight.analysis.circuits;

import dev.headlight.analysis.circuits.HeadCircuits.Composition;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;

/**
 * The composition scores of every pair of heads (l1 &lt; l2): the third, slowest stage of the circuits (after
 * {@link CircuitEvidence}'s copying scores and one head's row and column), run in the background with progress
 * and cancellation. The flat list of pairs, the strongest score and the default threshold are found once, where
 * the table is made (in the background: on GPT-2 small's 28,512 scores they take tens of milliseconds).
 */
public final class CompositionTable {
    private final Composition[][][][] pairs; // [l1][h1][l2][h2] for l1 < l2, else null
    private final List<Composition> all;
    private final double strongest;
    private final double defaultThreshold;
    /** The edges last asked for. */
    private volatile Edges lastEdges;

    private record Edges(double threshold, Set<CompositionGraph.Kind> kinds, List<CompositionGraph.Edge> edges) {
    }

    /** A table of {@code pairs} // [l1][h1][l2][h2] for l1 &lt; l2, else null. */
    public CompositionTable(Composition[][][][] pairs) {
        this.pairs = pairs;
        List<Composition> flat = new ArrayList<>();
        for (int l1 = 0; l1 < layers(); l1++) {
            for (int h1 = 0; h1 < heads(); h1++) {
                for (int l2 = l1 + 1; l2 < layers(); l2++) {
                    Collections.addAll(flat, pairs[l1][h1][l2]);
                }
            }
        }
        this.all = Collections.unmodifiableList(flat);
        this.strongest = CompositionGraph.strongest(all);
        this.defaultThreshold = CompositionGraph.defaultThreshold(all, layers() * heads());
    }

    /**
     * Computes every pair of {@code circuits}; {@code progress} (may be null) goes from 0 to 1, once per layer pair;
     * {@code cancelled} (may be null) stops the work between layer pairs.
     */
    public static CompositionTable compute(HeadCircuits circuits, BooleanSupplier cancelled,
                                           DoubleConsumer progress) {
        return new CompositionTable(circuits.compositionAll(cancelled, progress));
    }

    public int layers() {
        return pairs.length;
    }

    public int heads() {
        return pairs.length == 0 ? 0 : pairs[0].length;
    }

    /** The scores of head (l1, h1) into (l2, h2); null unless l1 &lt; l2. */
    public Composition pair(int fromLayer, int fromHead, int toLayer, int toHead) {
        return pairs[fromLayer][fromHead][toLayer][toHead];
    }

    /**
     * The compositions of one head, in {@link HeadCircuits#compositionOf}'s order: its column (every earlier head
     * into it), then its row (it into every later head), earlier layers first.
     */
    public List<Composition> of(int layer, int head) {
        List<Composition> out = new ArrayList<>();
        for (int l1 = 0; l1 < layer; l1++) {
            for (int h1 = 0; h1 < heads(); h1++) {
                out.add(pairs[l1][h1][layer][head]);
            }
        }
        for (int l2 = layer + 1; l2 < layers(); l2++) {
            for (int h2 = 0; h2 < heads(); h2++) {
                out.add(pairs[layer][head][l2][h2]);
            }
        }
        return List.copyOf(out);
    }

    /** Every pair with l1 &lt; l2, ordered by l1, h1, l2, h2 (the order of {@code headlight circuits}' JSON). */
    public List<Composition> all() {
        return all;
    }

    /** [l1][h1][l2][h2] for l1 &lt; l2, else null. */
    public Composition[][][][] pairs() {
        return pairs;
    }

    /**
     * {@link CompositionGraph#edges} of every pair at {@code threshold} of the {@code kinds} (read-only). The last
     * answer is kept: asking again with the same threshold and kinds returns the same list at once (the window asks
     * first in the background, where the table is made, then on the UI thread).
     */
    public List<CompositionGraph.Edge> edges(double threshold, Set<CompositionGraph.Kind> kinds) {
        Edges last = lastEdges;
        if (last == null || last.threshold() != threshold || !last.kinds().equals(kinds)) {
            last = new Edges(threshold, Set.copyOf(kinds),
                    Collections.unmodifiableList(CompositionGraph.edges(all, threshold, kinds)));
            lastEdges = last;
        }
        return last.edges();
    }

    /** {@link CompositionGraph#defaultThreshold} of every pair, counting every head of the model. */
    public double defaultThreshold() {
        return defaultThreshold;
    }

    /** The largest score of any pair, 0 when there is none. */
    public double strongest() {
        return strongest;
    }
}
