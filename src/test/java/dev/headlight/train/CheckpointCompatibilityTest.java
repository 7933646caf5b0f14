package dev.headlight.train;

import dev.headlight.engine.Model;
import dev.headlight.engine.RunOptions;
import dev.headlight.engine.Trace;
import dev.headlight.format.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The folders the trainer writes open in Headlight's engine and tokenizer and compute what the trainer computes. */
class CheckpointCompatibilityTest {

    @Test
    void inductionCheckpointOpensAndRunsLikeTheTrainer(@TempDir Path out) throws Exception {
        TrainOptions o = new TrainOptions(2, 2, 16, 24, 6, 3, 5, 3e-3f, 4, 2, 0.1f, 0.05f, 1.0f, 2, true, 0.1f);
        Trainer trainer = new Trainer(new InductionTask(), o);
        Trainer.Result r = trainer.run(out, null, null);
        Path folder = out.resolve("step-000003");
        float[] params = GptWeights.readWeights(trainer.config(), folder);
        Tokenizer tok = Tokenizer.load(folder.resolve("tokenizer.json"));
        int[] ids = tok.encode("KxQ7mKxQ7m").ids();
        assertArrayEquals(new int[] {0, 11, 50, 17, 60, 39, 11, 50, 17, 60, 39}, ids);
        assertEquals("KxQ7mKxQ7m", tok.decode(ids, true));
        assertEquals(0, tok.bosTokenId());
        assertSameLogits(trainer.model(), params, folder, ids);
        assertSameLogits(trainer.model(), r.params(), out, ids);
    }

    @Test
    void textCheckpointTokenizesAsTheTrainerAndRunsLikeIt(@TempDir Path out) throws Exception {
        String corpus = GrammarCorpus.generate(400, 2) + "Numbers 1234 and ünïcode, tabs\tand  spaces.\n";
        TextTask task = TextTask.fromText("grammar", "test", corpus, 400);
        TrainOptions o = new TrainOptions(1, 2, 16, 32, 3, 0, 5, 3e-3f, 2, 1, 0.1f, 0.05f, 1.0f, 1, true, 0.1f);
        Trainer trainer = new Trainer(task, o);
        Trainer.Result r = trainer.run(out, null, null);
        Tokenizer tok = Tokenizer.load(out.resolve("tokenizer.json"));
        assertArrayEquals(task.tokenizer().encode(corpus), tok.encode(corpus, false).ids());
        assertEquals(corpus, tok.decode(task.tokenizer().encode(corpus), false));
        String prompt = "When Mary and John went to the store, John gave a drink to Mary.";
        int[] ids = tok.encode(prompt).ids();
        assertTrue(ids.length > 5 && ids.length <= 32);
        assertSameLogits(trainer.model(), r.params(), out, ids);
    }

    private static void assertSameLogits(GptModel model, float[] params, Path folder, int[] ids) {
        GptModel.Workspace ws = model.newWorkspace();
        model.forward(params, ids, ids.length, ws);
        try (Model engine = Model.open(folder)) {
            Trace t = engine.run(ids, RunOptions.exact());
            int n = ids.length * model.config().vocab();
            double max = 0;
            for (int k = 0; k < n; k++) {
                max = Math.max(max, Math.abs(t.logits()[k] - ws.logits()[k]));
            }
            assertTrue(max < 1e-4, folder + ": engine and trainer logits differ by " + max);
        }
    }
}
