package dev.headlight.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InductionTaskTest {

    @Test
    void sequencesStartWithBosAndRepeatContentAtVaryingOffsets() {
        InductionTask task = new InductionTask();
        SplittableRandom r = new SplittableRandom(1);
        int t = 64;
        int[] seq = new int[t + 1];
        float[] w = new float[t];
        java.util.Set<Integer> firstRepeatOffsets = new java.util.HashSet<>();
        int predictable = 0;
        for (int n = 0; n < 200; n++) {
            task.sample(r, seq, w, t);
            assertEquals(0, seq[0]);
            for (int i = 1; i <= t; i++) {
                assertTrue(seq[i] >= 1 && seq[i] < task.vocab(), "id " + seq[i]);
            }
            for (int i = 0; i < t; i++) {
                if (task.predictable(seq, i)) {
                    predictable++;
                    // the offset of the earliest earlier occurrence of this bigram
                    for (int j = 1; j <= i; j++) {
                        if (seq[j - 1] == seq[i] && seq[j] == seq[i + 1]) {
                            firstRepeatOffsets.add(i + 1 - j);
                            break;
                        }
                    }
                }
            }
        }
        assertTrue(predictable > 200 * t / 4, "predictable positions: " + predictable);
        assertTrue(firstRepeatOffsets.size() > 20, "offsets seen: " + firstRepeatOffsets.size());
    }

    @Test
    void probeIsTheAnalysisProbeOnTheTokenizerTheTaskWrites(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        for (TrainingTask task : new TrainingTask[]{new InductionTask(),
                TextTask.fromText("t", "t", "the cat sat on the mat. the dog sat on the log. ".repeat(20), 300)}) {
            java.nio.file.Path folder = dir.resolve(task.name());
            java.nio.file.Files.createDirectories(folder);
            task.writeTokenizer(folder);
            var tokenizer = dev.headlight.format.tokenizer.Tokenizer.load(folder.resolve("tokenizer.json"));
            assertArrayEquals(dev.headlight.analysis.Probe.ids(tokenizer, task.vocab(), ProbeScores.SEED, 20),
                    ProbeScores.probe(task, 20, ProbeScores.SEED), task.name());
        }
    }

    @Test
    void probeMatchesTheAnalysisDefinition() {
        InductionTask task = new InductionTask();
        int[] probe = ProbeScores.probe(task, 20, ProbeScores.SEED);
        assertEquals(41, probe.length);
        assertEquals(task.bosId(), probe[0]);
        java.util.Set<Integer> distinct = new java.util.HashSet<>();
        for (int i = 1; i <= 20; i++) {
            assertEquals(probe[i], probe[i + 20]);
            assertTrue(distinct.add(probe[i]));
            assertTrue(!task.isSpecial(probe[i]));
        }
        // a perfect previous-token head and a perfect induction head score 1 on it
        assertEquals(1.0, ProbeScores.previousToken(probe, (i, j) -> j == i - 1 ? 1 : 0), 1e-12);
        assertEquals(1.0, ProbeScores.induction(probe, (i, j) -> i > 20 && j == i - 19 ? 1 : 0), 1e-12);
        assertEquals(0.0, ProbeScores.induction(probe, (i, j) -> j == i - 1 ? 1 : 0), 1e-12);
        // uniform causal attention: induction = 1/(i+1) averaged over the second-half queries
        double expected = 0;
        for (int i = 21; i <= 40; i++) {
            expected += 1.0 / (i + 1);
        }
        assertEquals(expected / 20, ProbeScores.induction(probe, (i, j) -> 1.0 / (i + 1)), 1e-12);
    }

    @Test
    void writesACharacterTokenizerWithBos(@TempDir Path dir) throws Exception {
        new InductionTask().writeTokenizer(dir);
        JsonNode root = new ObjectMapper().readTree(dir.resolve("tokenizer.json").toFile());
        JsonNode vocab = root.get("model").get("vocab");
        assertEquals(63, vocab.size());
        assertEquals(0, vocab.get("<|endoftext|>").asInt());
        assertEquals(1, vocab.get("A").asInt());
        assertEquals(62, vocab.get("9").asInt());
        assertEquals("TemplateProcessing", root.get("post_processor").get("type").asText());
        assertEquals(0, root.get("post_processor").get("special_tokens").get("<|endoftext|>").get("ids").get(0).asInt());
        assertTrue(root.get("added_tokens").get(0).get("special").asBoolean());
    }
}
