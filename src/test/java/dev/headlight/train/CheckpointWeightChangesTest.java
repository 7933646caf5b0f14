package dev.headlight.train;

import dev.headlight.analysis.WeightChange;
import dev.headlight.engine.Model;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointWeightChangesTest {
    private static final Path RUN = Path.of("sample-models/induction-2l");

    /** Each checkpoint's two lists are the pairwise comparisons of the right folders. */
    @Test
    void consecutiveAndFromFirstArePairwiseComparisons() {
        CheckpointTimeline t = CheckpointTimeline.scan(RUN);
        double[] last = {0};
        List<CheckpointWeightChanges.Step> steps = CheckpointWeightChanges.compute(t, null, f -> last[0] = f);
        assertEquals(t.checkpoints().size() - 1, steps.size());
        assertEquals(1.0, last[0], 1e-9);
        assertEquals(t.checkpoints().get(1).step(), steps.getFirst().step());
        CheckpointWeightChanges.Step third = steps.get(2); // step 300
        try (Model s0 = Model.open(RUN.resolve("step-000000")); Model s2 = Model.open(RUN.resolve("step-000200"));
             Model s3 = Model.open(RUN.resolve("step-000300"))) {
            assertEquals(WeightChange.between(s2, s3), third.fromPrevious());
            assertEquals(WeightChange.between(s0, s3), third.fromFirst());
        }
        double[][] q = CheckpointWeightChanges.headGrid(third.fromPrevious(), "q", 2, 2);
        for (double[] row : q) {
            for (double v : row) {
                assertTrue(v > 0 && v < 10, "relative change of a q slice: " + v);
            }
        }
    }
}
