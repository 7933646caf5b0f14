package dev.headlight.analysis.circuits;

import dev.headlight.analysis.HeadAnalysis;
import dev.headlight.analysis.HeadAnalysisResult;
import dev.headlight.analysis.HeadKind;
import dev.headlight.analysis.HeadReport;
import dev.headlight.analysis.ProbeOptions;
import dev.headlight.engine.Model;
import dev.headlight.engine.RunOptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trained induction sample: its induction heads read a previous-token head through their keys, and copy. */
class InductionSampleCircuitsTest {
    static final Path INDUCTION = Path.of("sample-models/induction-2l");

    @Test
    void eachInductionHeadsStrongestCompositionIsKWithAPreviousTokenHead() {
        try (Model model = Model.open(INDUCTION)) {
            int[] ids = model.tokenizer().encode("KxQ7mPKxQ7mP").ids();
            HeadAnalysisResult kinds = HeadAnalysis.analyze(model, model.run(ids, RunOptions.exact()),
                    ProbeOptions.defaults());
            HeadCircuits circuits = HeadCircuits.of(model);
            HeadCircuits.Copying[][] copying = circuits.copyingAll(null, null);
            int inductionHeads = 0;
            for (HeadReport r : kinds.reports()) {
                if (r.layer() != 1 || r.kind() != HeadKind.INDUCTION) {
                    continue;
                }
                inductionHeads++;
                List<HeadCircuits.Composition> column = circuits.compositionOf(1, r.head());
                HeadCircuits.Composition strongest = column.stream()
                        .max(Comparator.comparingDouble(HeadCircuits.Composition::strongest)).orElseThrow();
                double k = strongest.k().orElseThrow();
                assertEquals(k, strongest.strongest(), 0, "K above Q and V for head 1." + r.head() + ": " + strongest);
                for (HeadCircuits.Composition s : column) {
                    assertTrue(s.q().orElseThrow() < k && s.v().orElseThrow() < k, s.toString());
                }
                assertEquals(HeadKind.PREVIOUS_TOKEN, kinds.report(0, strongest.fromHead()).kind(),
                        "the K-composition partner of 1." + r.head() + " is a previous-token head");
                assertTrue(copying[1][r.head()].score().orElseThrow() > 0,
                        "copying of 1." + r.head() + " = " + copying[1][r.head()].score());
            }
            assertFalse(inductionHeads == 0, "the sample has induction heads in layer 1");
        }
    }
}
