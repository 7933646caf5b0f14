package dev.headlight.analysis.circuits;

import dev.headlight.analysis.HeadKind;
import dev.headlight.analysis.OvRole;
import dev.headlight.engine.Model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;

/**
 * Every head's circuit summary, as {@code headlight circuits} writes it: the three stages the Circuits panel runs
 * one by one ({@link CircuitEvidence}: copying score, OV role, probe kind with the positional offset; the top
 * singular directions of every head's full OV circuit in tokens; {@link CompositionTable}: every pair) in one call.
 *
 * @param evidence the first stage: factors, copying scores, probe kinds
 * @param ovTop    top singular directions per head, index layer * heads + head (empty without an unembedding)
 * @param table    the composition scores of every pair
 */
public record ModelCircuits(CircuitEvidence evidence, List<List<HeadCircuits.SingularDirection>> ovTop,
                            CompositionTable table) {

    /**
     * Computes everything for {@code model}: {@code top} singular directions per head with {@code top} tokens
     * each side. {@code progress} (may be null) goes from 0 to 1; {@code cancelled} (may be null) stops the work.
     */
    public static ModelCircuits compute(Model model, int top, BooleanSupplier cancelled, DoubleConsumer progress) {
        DoubleConsumer report = progress == null ? x -> { } : progress;
        CircuitEvidence evidence = CircuitEvidence.read(model, cancelled, x -> report.accept(0.35 * x));
        HeadCircuits circuits = evidence.circuits();
        List<int[]> heads = new ArrayList<>();
        for (int l = 0; l < circuits.layers(); l++) {
            for (int h = 0; h < circuits.heads(); h++) {
                heads.add(new int[]{l, h});
            }
        }
        List<List<HeadCircuits.SingularDirection>> ovTop = circuits.ovTopAll(heads, top, top, cancelled,
                x -> report.accept(0.35 + 0.25 * x));
        CompositionTable table = CompositionTable.compute(circuits, cancelled, x -> report.accept(0.6 + 0.4 * x));
        return new ModelCircuits(evidence, List.copyOf(ovTop), table);
    }

    public HeadCircuits circuits() {
        return evidence.circuits();
    }

    /** [layer][head] */
    public HeadCircuits.Copying[][] copying() {
        return evidence.copying();
    }

    /** Probe kinds [layer][head] (the same as the window's and {@code heads --probe}). */
    public HeadKind.Verdict[][] kinds() {
        return evidence.kinds();
    }

    /** [l1][h1][l2][h2] for l1 &lt; l2, else null. */
    public HeadCircuits.Composition[][][][] composition() {
        return table.pairs();
    }

    public OvRole ovRole(int layer, int head) {
        return evidence.ovRole(layer, head);
    }
}
