package dev.headlight.analysis.circuits;

import dev.headlight.analysis.Fixtures;
import dev.headlight.analysis.HeadKind;
import dev.headlight.analysis.OvRole;
import dev.headlight.analysis.circuits.HeadCircuits.Composition;
import dev.headlight.engine.Model;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CancellationException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The staged circuits (evidence, one head, the whole table) the Circuits panel runs one by one give the numbers
 * {@link ModelCircuits#compute} (the {@code circuits} command) gives in one call; the selected head's row and column
 * before the table agree with the table's within the analysis's tolerance.
 */
class CircuitStagesTest {
    static final Path INDUCTION = Path.of("sample-models/induction-2l");
    static final double TOLERANCE = 1e-6;

    @Test
    void theStagesGiveTheCommandsNumbersOnTheInductionSample() {
        try (Model model = Model.open(INDUCTION)) {
            ModelCircuits all = ModelCircuits.compute(model, 5, null, null);
            List<Double> progress = new ArrayList<>();
            CircuitEvidence evidence = CircuitEvidence.read(model, null, progress::add);
            assertProgress(progress);
            progress.clear();
            CompositionTable table = CompositionTable.compute(evidence.circuits(), null, progress::add);
            assertProgress(progress);
            int layers = evidence.layers();
            int heads = evidence.heads();
            for (int l = 0; l < layers; l++) {
                for (int h = 0; h < heads; h++) {
                    assertEquals(all.copying()[l][h].score(), evidence.copying()[l][h].score());
                    assertArrayEquals(all.copying()[l][h].eigenReal(), evidence.copying()[l][h].eigenReal());
                    assertEquals(all.kinds()[l][h], evidence.kinds()[l][h]);
                    assertEquals(evidence.probe().kind(l, h), evidence.kinds()[l][h], "kinds from the evidence");
                    assertEquals(all.ovRole(l, h), evidence.ovRole(l, h));

                    HeadCircuit alone = evidence.head(l, h, 5, null);
                    HeadCircuit fromTable = evidence.head(l, h, 5, table);
                    assertEquals(all.ovTop().get(l * heads + h), alone.ovTop(), "ov_top L" + l + "H" + h);
                    assertEquals(table.of(l, h), fromTable.compositions());
                    assertSamePairs(alone.compositions(), fromTable.compositions());
                    assertArrayEquals(evidence.circuits().positionalProfile(l, h).mean(),
                            alone.weightsProfile().mean());
                }
            }
            List<Composition> pairs = table.all();
            assertEquals(layers * (layers - 1) / 2 * heads * heads, pairs.size());
            int i = 0;
            for (int l1 = 0; l1 < layers; l1++) {
                for (int h1 = 0; h1 < heads; h1++) {
                    for (int l2 = l1 + 1; l2 < layers; l2++) {
                        for (int h2 = 0; h2 < heads; h2++) {
                            Composition want = all.composition()[l1][h1][l2][h2];
                            assertEquals(want, pairs.get(i++), "the JSON's order: l1, h1, l2, h2");
                            assertEquals(want, table.pair(l1, h1, l2, h2));
                        }
                    }
                }
            }
            assertEquals(pairs.stream().mapToDouble(Composition::strongest).max().orElseThrow(), table.strongest());
            assertEquals(CompositionGraph.defaultThreshold(pairs, layers * heads), table.defaultThreshold());

            // the table's edges: the graph's rule, the last answer kept for the same threshold and kinds
            Set<CompositionGraph.Kind> all3 = EnumSet.allOf(CompositionGraph.Kind.class);
            List<CompositionGraph.Edge> first = table.edges(table.defaultThreshold(), all3);
            assertEquals(CompositionGraph.edges(pairs, table.defaultThreshold(), all3), first);
            assertSame(first, table.edges(table.defaultThreshold(), EnumSet.allOf(CompositionGraph.Kind.class)));
            List<CompositionGraph.Edge> kOnly = table.edges(table.defaultThreshold(),
                    EnumSet.of(CompositionGraph.Kind.K));
            assertNotSame(first, kOnly);
            assertEquals(CompositionGraph.edges(pairs, table.defaultThreshold(), Set.of(CompositionGraph.Kind.K)),
                    kOnly);
            assertEquals(CompositionGraph.edges(pairs, 0, all3), table.edges(0, all3));
        }
    }

    /** Same pairs in the same order (the head's column, then its row), scores within the tolerance. */
    private static void assertSamePairs(List<Composition> want, List<Composition> got) {
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) {
            Composition a = want.get(i);
            Composition b = got.get(i);
            assertEquals(List.of(a.fromLayer(), a.fromHead(), a.toLayer(), a.toHead()),
                    List.of(b.fromLayer(), b.fromHead(), b.toLayer(), b.toHead()));
            for (CompositionGraph.Kind k : CompositionGraph.Kind.values()) {
                assertEquals(k.of(a).orElseThrow(), k.of(b).orElseThrow(), TOLERANCE, a + " vs " + b);
            }
        }
    }

    private static void assertProgress(List<Double> progress) {
        assertFalse(progress.isEmpty());
        for (int i = 1; i < progress.size(); i++) {
            assertTrue(progress.get(i) >= progress.get(i - 1), "progress never goes back: " + progress);
        }
        assertEquals(1.0, progress.getLast(), 1e-12);
    }

    @Test
    void whyGivesTheRuleTheRoleAndTheStrongestEarlierHeads() {
        try (Model model = Model.open(INDUCTION)) {
            CircuitEvidence e = CircuitEvidence.read(model, null, null);
            for (int h = 0; h < e.heads(); h++) {
                HeadCircuit head = e.head(1, h, 5, null);
                if (e.kinds()[1][h].kind() != HeadKind.INDUCTION) {
                    continue;
                }
                String why = e.why(head, new CircuitEvidence.TokenOutputs(3, "Q", List.of("7", "m")));
                String[] lines = why.split("\n");
                assertEquals(5, lines.length, why);
                assertEquals("Kind: induction — " + e.probe().reason(1, h), lines[0]);
                assertTrue(lines[1].startsWith("Probe means: ") && lines[1].contains("induction "), lines[1]);
                double copying = e.copying()[1][h].score().getAsDouble();
                assertEquals(OvRole.COPYING, e.ovRole(1, h), "the sample's induction heads copy");
                assertEquals("OV role: copying (copying score " + String.format(Locale.ROOT, "%.3f", copying)
                        + " ≥ " + OvRole.COPYING_MIN + ")", lines[2]);
                assertEquals("Attending to ‘Q’ (position 3) it writes most: 7  m", lines[3]);
                CompositionGraph.Edge strongest = head.strongestInputs(1).getFirst();
                assertEquals(CompositionGraph.Kind.K, strongest.kind(), "induction reads a previous-token head");
                assertTrue(lines[4].startsWith("Composes most with: K ← L0 H" + strongest.fromHead() + " "
                        + String.format(Locale.ROOT, "%.3f", strongest.score()) + " (previous-token)"), lines[4]);
                assertEquals(3, lines[4].split(" · ").length, "the three strongest");
            }
            String layer0 = e.why(e.head(0, 0, 5, null), null);
            assertEquals(4, layer0.split("\n").length, "no token line without a token");
            assertTrue(layer0.endsWith("Layer 0 reads only the embeddings: no earlier heads to compose with."));
        }
    }

    @Test
    void bertHasCompositionsAndACopyingReasonThatSaysWhyItIsNull() {
        try (Model model = Model.open(Fixtures.model("bert-tiny"))) {
            CircuitEvidence e = CircuitEvidence.read(model, null, null);
            assertTrue(e.copyingReason(1, 0).contains("needs a linear unembedding"));
            HeadCircuit head = e.head(1, 0, 5, null);
            assertTrue(head.ovTop().isEmpty());
            assertFalse(head.compositions().isEmpty());
            assertTrue(head.compositions().stream().allMatch(c -> c.toLayer() == 1 && c.fromLayer() == 0));
        }
    }

    @Test
    void cancellingTheTableStopsIt() {
        try (Model model = Model.open(Fixtures.model("gpt2-tiny"))) {
            HeadCircuits circuits = HeadCircuits.of(model);
            assertThrows(CancellationException.class, () -> CompositionTable.compute(circuits, () -> true, null));
            assertThrows(CancellationException.class, () -> CircuitEvidence.read(model, () -> true, null));
        }
    }
}
