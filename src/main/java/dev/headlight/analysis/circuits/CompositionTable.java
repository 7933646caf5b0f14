package dev.headlight.analysis.circuits;

import dev.headlight.analysis.circuits.HeadCircuits.Composition;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;

/**
 * The composition scores of every pair of heads (l1 &lt; l2): the third, slowest stage of the circuits (after
 * {@link CircuitEvidence}'s copying scores and one head's row and column), run in the background with progress
 * and cancellation.
 *
 * @param pairs [l1][h1][l2][h2] for l1 &lt; l2, else null
 */
public record CompositionTable(Composition[][][][] pairs) {

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
        List<Composition> out = new ArrayList<>();
        for (int l1 = 0; l1 < layers(); l1++) {
            for (int h1 = 0; h1 < heads(); h1++) {
                for (int l2 = l1 + 1; l2 < layers(); l2++) {
                    Collections.addAll(out, pairs[l1][h1][l2]);
                }
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** {@link CompositionGraph#defaultThreshold} of every pair, counting every head of the model. */
    public double defaultThreshold() {
        return CompositionGraph.defaultThreshold(all(), layers() * heads());
    }

    /** The largest score of any pair, 0 when there is none. */
    public double strongest() {
        return CompositionGraph.strongest(all());
    }
}
