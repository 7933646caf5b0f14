package dev.headlight.analysis.circuits;

import dev.headlight.analysis.HeadAnalysis;
import dev.headlight.analysis.HeadKind;
import dev.headlight.analysis.OvRole;
import dev.headlight.engine.Model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;

/**
 * Every head's circuit summary, as {@code headlight circuits} writes it and the Circuits panel shows it: copying
 * score and OV role, probe kind (with the positional offset), the top singular directions of its full OV circuit in
 * tokens, and the composition scores of every pair.
 *
 * @param circuits    the factors and the computations behind the numbers
 * @param copying     [layer][head]
 * @param kinds       probe kinds [layer][head] (the same as the window's and {@code heads --probe})
 * @param ovTop       top singular directions per head, index layer * heads + head (empty without an unembedding)
 * @param composition [l1][h1][l2][h2] for l1 &lt; l2, else null
 */
public record ModelCircuits(HeadCircuits circuits, HeadCircuits.Copying[][] copying, HeadKind.Verdict[][] kinds,
                            List<List<HeadCircuits.SingularDirection>> ovTop,
                            HeadCircuits.Composition[][][][] composition) {

    /**
     * Computes everything for {@code model}: {@code top} singular directions per head with {@code top} tokens
     * each side. {@code progress} goes from 0 to 1; {@code cancelled} stops the work.
     */
    public static ModelCircuits compute(Model model, int top, BooleanSupplier cancelled, DoubleConsumer progress) {
        DoubleConsumer report = progress == null ? x -> { } : progress;
        HeadCircuits circuits = HeadCircuits.of(model);
        report.accept(0.05);
        HeadKind.Verdict[][] kinds = HeadAnalysis.kinds(model, cancelled);
        report.accept(0.15);
        HeadCircuits.Copying[][] copying = circuits.copyingAll(cancelled, x -> report.accept(0.15 + 0.2 * x));
        List<int[]> heads = new ArrayList<>();
        for (int l = 0; l < circuits.layers(); l++) {
            for (int h = 0; h < circuits.heads(); h++) {
                heads.add(new int[]{l, h});
            }
        }
        List<List<HeadCircuits.SingularDirection>> ovTop = circuits.ovTopAll(heads, top, top, cancelled,
                x -> report.accept(0.35 + 0.25 * x));
        HeadCircuits.Composition[][][][] composition = circuits.compositionAll(cancelled,
                x -> report.accept(0.6 + 0.4 * x));
        return new ModelCircuits(circuits, copying, kinds, List.copyOf(ovTop), composition);
    }

    public OvRole ovRole(int layer, int head) {
        return OvRole.of(copying[layer][head].score());
    }
}
