package dev.headlight.analysis;

import dev.headlight.engine.Model;
import dev.headlight.engine.RunOptions;
import dev.headlight.engine.Trace;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One head's ablation (the window's panel) agrees with the layers × heads map (the ablate command). */
class HeadAblationTest {
    private static final double SAME_ENGINE = 1e-6; // the same passes, read the same way

    @Test
    void oneHeadAgreesWithTheMapAndTheLensEndsAtTheOutput() {
        try (Model model = Model.open(Fixtures.model("gpt2-tiny"))) {
            int[] ids = Fixtures.referenceIds("gpt2-tiny");
            int last = ids.length - 1;
            for (boolean mean : new boolean[]{false, true}) {
                HeadAblation.Single one = HeadAblation.ablate(model, ids, last, 1, 0, mean, () -> false);
                assertFalse(one.targetIsNext());
                assertEquals(HeadAblation.defaultTarget(model, ids, last), one.target());
                HeadAblation.Result map = HeadAblation.map(model, ids, last, one.target(), mean, null, null);
                assertEquals(map.cleanLogProb(), one.cleanLogProb(), SAME_ENGINE);
                assertEquals(map.delta()[1][0], one.ablatedLogProb() - one.cleanLogProb(), SAME_ENGINE);
                // the lens's last row reads the model's output: the final distribution
                assertEquals(one.cleanLogProb(), one.lensBefore()[model.info().layers()], 2e-3);
                assertEquals(one.ablatedLogProb(), one.lensAfter()[model.info().layers()], 2e-3);
            }
            // in the middle of the prompt the target is the next token, and the top token is the most probable
            HeadAblation.Single middle = HeadAblation.ablate(model, ids, 2, 0, 1, false, () -> false);
            assertTrue(middle.targetIsNext());
            assertEquals(ids[3], middle.target());
            int top = HeadAblation.Single.top(middle.before(), 1)[0];
            Trace clean = model.run(ids, RunOptions.exact());
            assertEquals(HeadAblation.topPrediction(clean, 2), top);
            for (float p : middle.before()) {
                assertTrue(p <= middle.before()[top]);
            }
            assertArrayEquals(HeadAblation.Single.top(middle.before(), 3),
                    LogitLens.topK(middle.before(), 0, middle.before().length, 3));
        }
    }
}
