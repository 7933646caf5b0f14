package dev.headlight.train;

import dev.headlight.engine.Model;
import dev.headlight.engine.RunOptions;
import dev.headlight.engine.Trace;
import dev.headlight.format.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The committed sample models open in the engine and show what their cards say. */
class SampleModelsTest {
    private static final Path SAMPLES = Path.of("sample-models");

    @Test
    void inductionModelHasItsHeadsAndTheTimelineShowsThemForming() {
        Path folder = SAMPLES.resolve("induction-2l");
        GptConfig c = GptWeights.readConfig(folder);
        GptModel model = new GptModel(c);
        InductionTask task = new InductionTask();
        ProbeScores.Scores last = ProbeScores.score(model, GptWeights.readWeights(c, folder), task);
        assertTrue(last.maxPreviousToken(0) >= 0.5, "layer 0 previous-token " + last.maxPreviousToken(0));
        assertTrue(last.maxInduction(1) >= 0.5, "layer 1 induction " + last.maxInduction(1));
        ProbeScores.Scores first = ProbeScores.score(model, GptWeights.readWeights(c, folder.resolve("step-000000")),
                task);
        assertTrue(first.maxInduction(1) < 0.1, "initial induction " + first.maxInduction(1));

        CheckpointTimeline timeline = CheckpointTimeline.scan(folder);
        assertEquals(9, timeline.checkpoints().size());
        assertEquals(800, timeline.loss().length);
        int formed = timeline.firstStepWithInduction(1, 0.5);
        assertTrue(formed > 0 && formed < 800, "induction formed at step " + formed);
        double before = mean(timeline.loss(), 0, 100);
        double after = mean(timeline.loss(), 700, 800);
        assertTrue(before > 4.0 && after < 3.0, "loss " + before + " -> " + after);

        try (Model engine = Model.open(folder)) {
            int[] ids = engine.tokenizer().encode("ABCDEFGHIJabcdefghijABCDEFGHIJabcdefghij").ids();
            assertEquals(41, ids.length);
            Trace t = engine.run(ids, RunOptions.exact());
            // in the repeat the model predicts the next symbol of the first copy
            int correct = 0;
            for (int i = 21; i < 40; i++) {
                if (argmax(t.logits(), i, c.vocab()) == ids[i + 1]) {
                    correct++;
                }
            }
            assertTrue(correct >= 17, correct + " of 19 repeated symbols predicted");
        }
    }

    @Test
    void tinyLmPicksTheIndirectObject() {
        Path folder = SAMPLES.resolve("tiny-lm");
        try (Model engine = Model.open(folder)) {
            Tokenizer tok = engine.tokenizer();
            String[][] cases = {
                {"When Mary and John went to the store, John gave a drink to", " Mary"},
                {"After Alice and Bob arrived at the park, Alice handed the book to", " Bob"}};
            for (String[] c : cases) {
                int[] ids = tok.encode(c[0]).ids();
                Trace t = engine.run(ids, RunOptions.exact());
                int vocab = t.vocab();
                int predicted = argmax(t.logits(), ids.length - 1, vocab);
                assertEquals(c[1], tok.decode(new int[] {predicted}, true), c[0]);
            }
        }
        assertEquals(6, CheckpointTimeline.scan(folder).checkpoints().size());
    }

    private static int argmax(float[] logits, int row, int vocab) {
        int best = 0;
        for (int k = 1; k < vocab; k++) {
            if (logits[row * vocab + k] > logits[row * vocab + best]) {
                best = k;
            }
        }
        return best;
    }

    private static double mean(double[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v[i];
        }
        return s / (to - from);
    }
}
