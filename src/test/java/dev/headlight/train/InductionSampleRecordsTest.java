package dev.headlight.train;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bundled induction sample's weight records show where training wrote the circuit: the attention updates are
 * largest, and the layer-1 induction head takes its largest share of them, during the phase change.
 */
class InductionSampleRecordsTest {
    private static final CheckpointTimeline RUN = CheckpointTimeline.scan(Path.of("sample-models/induction-2l"));

    @Test
    void phaseChangeIsWhereTheReadmeSaysItIs() {
        PhaseChange phase = PhaseChange.fromInContextLoss(RUN.inContextLoss());
        assertNotNull(phase);
        assertTrue(phase.start() > 120 && phase.start() < 200, phase.toString());
        assertTrue(phase.end() > 300 && phase.end() < 400, phase.toString());
    }

    @Test
    void theInductionHeadsUpdateSharePeaksWithinThePhaseChange() {
        PhaseChange phase = PhaseChange.fromInContextLoss(RUN.inContextLoss());
        WeightRecords records = RUN.weightRecords();
        assertNotNull(records, "the sample's training.json has weight_records");
        assertEquals(800, records.records().size());
        double[][] induction = RUN.checkpoints().getLast().induction();
        int inductionHead = induction[1][0] >= induction[1][1] ? 0 : 1;
        double[][] share = WeightRecords.updateShare(records.quantities(), records.records(),
                WeightRecords.ATTENTION_SLICES, 2, 2);
        double[] series = column(share, 2 + inductionHead);
        int peak = smoothedPeak(series);
        assertTrue(phase.contains(records.records().get(peak).step()),
                "layer-1 induction head " + inductionHead + ": share peaks at step " + peak + ", phase " + phase);
    }

    @Test
    void everyAttentionMatrixUpdateIsLargestWithinThePhaseChange() {
        PhaseChange phase = PhaseChange.fromInContextLoss(RUN.inContextLoss());
        WeightRecords records = RUN.weightRecords();
        List<WeightRecords.Record> rows = records.records();
        for (String name : List.of("transformer.h.0.attn.c_attn.weight", "transformer.h.0.attn.c_proj.weight",
                "transformer.h.1.attn.c_attn.weight", "transformer.h.1.attn.c_proj.weight")) {
            int q = records.indexOf(name, -1, null);
            double[] norms = new double[rows.size()];
            for (int r = 0; r < rows.size(); r++) {
                norms[r] = rows.get(r).updateNorm()[q];
            }
            int peak = smoothedPeak(norms);
            assertTrue(phase.contains(rows.get(peak).step()), name + " update peaks at " + peak + ", phase " + phase);
        }
    }

    private static double[] column(double[][] m, int k) {
        double[] out = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i][k];
        }
        return out;
    }

    /** Index of the largest centred 21-step moving average (single steps are noisy). */
    private static int smoothedPeak(double[] v) {
        int best = 0;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < v.length; i++) {
            double sum = 0;
            int n = 0;
            for (int j = Math.max(0, i - 10); j <= Math.min(v.length - 1, i + 10); j++) {
                sum += v[j];
                n++;
            }
            if (sum / n > bestValue) {
                bestValue = sum / n;
                best = i;
            }
        }
        return best;
    }
}
