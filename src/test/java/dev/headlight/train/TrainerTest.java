package dev.headlight.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headlight.format.safetensors.SafetensorsFile;
import dev.headlight.format.safetensors.TensorInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TrainOptions tiny(int steps, int every, int threads) {
        return new TrainOptions(2, 2, 16, 16, steps, every, 11, 3e-3f, 4, 5, 0.1f, 0.05f, 1.0f, threads, true, 0.1f);
    }

    @Test
    void shortTrainingLowersTheLoss() throws Exception {
        TextTask task = TextTask.fromText("grammar", "test corpus", GrammarCorpus.generate(300, 1), 300);
        TrainOptions o = new TrainOptions(1, 2, 16, 16, 120, 0, 3, 1e-2f, 8, 10, 0.1f, 0.0f, 1.0f, 2, true, 0.1f);
        double[] losses = new double[o.steps()];
        Trainer.Result r = new Trainer(task, o).run(null, (step, steps, loss, ic, lr) -> losses[step - 1] = loss, null);
        assertEquals(120, r.stepsDone());
        double first = losses[0];
        double last = Arrays.stream(losses, 110, 120).average().orElseThrow();
        assertTrue(first > Math.log(task.vocab()) - 0.5, "initial loss " + first + " should be near log(vocab)");
        assertTrue(last < first - 1.5, "loss went from " + first + " to " + last);
    }

    @Test
    void writesHuggingFaceCheckpointFolders(@TempDir Path out) throws Exception {
        InductionTask task = new InductionTask();
        Trainer trainer = new Trainer(task, tiny(5, 2, 2));
        Trainer.Result r = trainer.run(out, null, null);
        for (String step : new String[] {"step-000000", "step-000002", "step-000004", "step-000005"}) {
            assertTrue(Files.isRegularFile(out.resolve(step).resolve("model.safetensors")), step);
        }
        assertFalse(Files.exists(out.resolve("step-000006")));
        GptConfig c = trainer.config();
        for (Path folder : new Path[] {out, out.resolve("step-000005")}) {
            for (String f : new String[] {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
                "generation_config.json"}) {
                assertTrue(Files.isRegularFile(folder.resolve(f)), folder + "/" + f);
            }
            JsonNode config = JSON.readTree(folder.resolve("config.json").toFile());
            assertEquals("gpt2", config.get("model_type").asText());
            assertEquals("GPT2LMHeadModel", config.get("architectures").get(0).asText());
            assertEquals("gelu_new", config.get("activation_function").asText());
            assertEquals(16, config.get("n_embd").asInt());
            assertEquals(2, config.get("n_head").asInt());
            assertEquals(2, config.get("n_layer").asInt());
            assertEquals(16, config.get("n_positions").asInt());
            assertEquals(task.vocab(), config.get("vocab_size").asInt());
            assertEquals(1e-5, config.get("layer_norm_epsilon").asDouble());
            assertTrue(config.get("tie_word_embeddings").asBoolean());
            try (SafetensorsFile st = SafetensorsFile.open(folder.resolve("model.safetensors"))) {
                Map<String, TensorInfo> infos = st.tensorInfos();
                assertEquals(4 + 12 * 2, infos.size());
                assertFalse(infos.containsKey("lm_head.weight"));
                int d = 16;
                assertArrayEquals(new long[] {task.vocab(), d}, infos.get("transformer.wte.weight").shape());
                assertArrayEquals(new long[] {16, d}, infos.get("transformer.wpe.weight").shape());
                assertArrayEquals(new long[] {d, 3 * d}, infos.get("transformer.h.1.attn.c_attn.weight").shape());
                assertArrayEquals(new long[] {3 * d}, infos.get("transformer.h.1.attn.c_attn.bias").shape());
                assertArrayEquals(new long[] {d, d}, infos.get("transformer.h.0.attn.c_proj.weight").shape());
                assertArrayEquals(new long[] {d, 4 * d}, infos.get("transformer.h.0.mlp.c_fc.weight").shape());
                assertArrayEquals(new long[] {4 * d, d}, infos.get("transformer.h.0.mlp.c_proj.weight").shape());
                assertArrayEquals(new long[] {d}, infos.get("transformer.ln_f.bias").shape());
                assertArrayEquals(new long[] {d}, infos.get("transformer.h.1.ln_2.weight").shape());
            }
        }
        // the final folder holds exactly the trained parameters
        GptConfig read = GptWeights.readConfig(out);
        assertEquals(c, read);
        assertArrayEquals(r.params(), GptWeights.readWeights(read, out));
        JsonNode log = JSON.readTree(out.resolve("training.json").toFile());
        assertEquals(5, log.get("loss").size());
        assertEquals(4, log.get("checkpoints").size());
        assertEquals("step-000005", log.get("checkpoints").get(3).get("folder").asText());
        assertEquals(2, log.get("checkpoints").get(0).get("induction").size());
        assertEquals(2, log.get("checkpoints").get(0).get("previous_token").get(1).size());
    }

    /** Splitting the batch across threads computes the same update as one thread (up to float summation order). */
    @Test
    void threadsGiveTheSameTraining() throws Exception {
        InductionTask task = new InductionTask();
        float[] one = new Trainer(task, tiny(4, 0, 1)).run(null, null, null).params();
        float[] two = new Trainer(task, tiny(4, 0, 2)).run(null, null, null).params();
        double maxDiff = 0;
        double maxChange = 0;
        float[] init = GptWeights.initialise(new Trainer(task, tiny(4, 0, 1)).config(), 11, true, 0.1);
        for (int k = 0; k < one.length; k++) {
            maxDiff = Math.max(maxDiff, Math.abs(one[k] - two[k]));
            maxChange = Math.max(maxChange, Math.abs(one[k] - init[k]));
        }
        assertTrue(maxChange > 1e-3, "training moved the weights by " + maxChange);
        assertTrue(maxDiff < 1e-4, "one and two threads differ by " + maxDiff);
    }

    @Test
    void learningRateWarmsUpThenDecays() {
        TrainOptions o = new TrainOptions(1, 1, 4, 4, 1000, 0, 1, 1e-3f, 1, 100, 0.1f, 0f, 0f, 1, true, 0.1f);
        assertTrue(o.learningRate(0) < o.learningRate(50));
        assertTrue(o.learningRate(50) < o.learningRate(99));
        assertEquals(1e-3, o.learningRate(100), 1e-6);
        assertTrue(o.learningRate(500) < o.learningRate(200));
        assertEquals(1e-4, o.learningRate(999), 1e-7);
    }
}
