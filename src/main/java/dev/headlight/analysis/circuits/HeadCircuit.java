package dev.headlight.analysis.circuits;

import dev.headlight.analysis.OffsetProfile;
import dev.headlight.analysis.circuits.HeadCircuits.Composition;

import java.util.List;
import java.util.Set;

/**
 * One head's circuits from the weights alone, the second stage ({@link CircuitEvidence#head}): its OV circuit in
 * tokens, its QK positional profile and its compositions with every other head.
 *
 * @param ovTop          top singular directions of W_E W_OV W_U (empty without a linear unembedding)
 * @param weightsProfile mean QK logit per offset of the learned positions, or null (no learned positions)
 * @param compositions   the head's column (earlier heads into it) then its row (it into later heads)
 */
public record HeadCircuit(int layer, int head, List<HeadCircuits.SingularDirection> ovTop,
                          OffsetProfile weightsProfile, List<Composition> compositions) {

    /** The {@code n} strongest compositions (any kind, strongest first) of earlier heads into this head. */
    public List<CompositionGraph.Edge> strongestInputs(int n) {
        return CompositionGraph.strongestInputs(compositions, layer, head, n);
    }

    /** {@link CompositionGraph#strongestWith} this head // [layer][head]. */
    public double[][] strongestWith(int layers, int heads, Set<CompositionGraph.Kind> shown) {
        return CompositionGraph.strongestWith(compositions, layer, head, layers, heads, shown);
    }
}
