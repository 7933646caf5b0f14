package dev.headlight.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headlight.analysis.HeadScores;
import dev.headlight.analysis.HeadScoring;
import dev.headlight.analysis.Score;
import dev.headlight.engine.AttentionMaps;
import dev.headlight.format.safetensors.SafetensorsFile;
import dev.headlight.format.safetensors.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnalysisCommandsTest {
    private static final Path FIXTURES = Path.of("src/test/resources/fixtures");

    @TempDir
    Path temp;

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    private static String model(String name) {
        return FIXTURES.resolve(name).resolve("model").toString();
    }

    @Test
    void headsWithIdsReportsScoresOfExactlyThoseIdsAgainstHuggingFaceAttentions() throws IOException {
        String name = "gpt2-tiny";
        int[] ids;
        AttentionMaps reference;
        try (SafetensorsFile f = SafetensorsFile.open(FIXTURES.resolve(name).resolve("reference.safetensors"))) {
            ids = Arrays.stream(f.tensor("input_ids").toLongs()).mapToInt(Math::toIntExact).toArray();
            Tensor t = f.tensor("attentions");
            int layers = (int) t.dim(0);
            int heads = (int) t.dim(1);
            int tokens = (int) t.dim(2);
            reference = new AttentionMaps(layers, heads, tokens, false);
            for (int l = 0; l < layers; l++) {
                for (int h = 0; h < heads; h++) {
                    for (int i = 0; i < tokens; i++) {
                        reference.putRow(l, h, i, t.toFloats((((long) l * heads + h) * tokens + i) * tokens, tokens),
                                0);
                    }
                }
            }
        }
        HeadScores[][] expected = HeadScoring.scoreAll(reference, ids, true);
        Path json = temp.resolve("heads.json");
        String idList = Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(","));
        int status = Cli.run(new String[]{"heads", "--model", model(name), "--ids", idList, "--json",
                json.toString()}, out, err);
        assertEquals(0, status, err());
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertEquals(ids.length, root.get("ids").size());
        assertEquals("prompt", root.get("kind_source").asText());
        JsonNode heads = root.get("heads");
        assertEquals(reference.layers() * reference.heads(), heads.size());
        for (JsonNode h : heads) {
            HeadScores e = expected[h.get("layer").asInt()][h.get("head").asInt()];
            for (Score s : Score.values()) {
                JsonNode v = h.get("scores").get(s.key());
                assertEquals(e.get(s).getAsDouble(), v.asDouble(), 1e-4, s.key());
            }
            assertTrue(h.has("kind") && h.has("cluster") && h.has("x") && h.has("y"));
            assertFalse(h.has("probe_scores"));
        }
    }

    @Test
    void absentScoresAreNullAndTheProbeAddsItsOwnScores() throws IOException {
        Path json = temp.resolve("distinct.json");
        // four distinct ids: no duplicate-token and no induction query
        int status = Cli.run(new String[]{"heads", "--model", model("llama-tiny"), "--ids", "1,20,30,40",
                "--probe", "--repeat", "6", "--json", json.toString()}, out, err);
        assertEquals(0, status, err());
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertEquals("probe", root.get("kind_source").asText());
        assertEquals(1 + 12, root.get("probe").get("ids").size());
        for (JsonNode h : root.get("heads")) {
            assertTrue(h.get("scores").get("induction").isNull());
            assertTrue(h.get("scores").get("duplicate_token").isNull());
            assertTrue(h.get("scores").get("previous_token").isNumber());
            assertTrue(h.get("probe_scores").get("induction").isNumber());
        }
    }

    @Test
    void ablateWritesALayersByHeadsMatrix() throws IOException {
        Path json = temp.resolve("ablate.json");
        int status = Cli.run(new String[]{"ablate", "--model", model("gpt2-tiny"), "--prompt", "The cat sat",
                "--position", "-1", "--target", "#5", "--mean", "--json", json.toString()}, out, err);
        assertEquals(0, status, err());
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertEquals("mean", root.get("ablation").asText());
        assertEquals(5, root.get("target").get("id").asInt());
        assertEquals(root.get("model").get("layers").asInt(), root.get("delta_log_prob").size());
        assertEquals(root.get("model").get("heads").asInt(), root.get("delta_log_prob").get(0).size());
        assertTrue(root.get("clean_log_prob").asDouble() < 0);
    }

    @Test
    void patchRefusesPromptsOfDifferentLengthsAndReportsRecovery() throws IOException {
        Path json = temp.resolve("patch.json");
        int status = Cli.run(new String[]{"patch", "--model", model("gpt2-tiny"), "--clean", "The cat sat on",
                "--corrupt", "The cat", "--answer", "#5", "--wrong", "#6", "--json", json.toString()}, out, err);
        assertEquals(1, status);
        assertTrue(err().contains("equal lengths"), err());

        status = Cli.run(new String[]{"patch", "--model", model("gpt2-tiny"), "--clean", "The cat sat on the",
                "--corrupt", "The mat sat on the", "--answer", "#5", "--wrong", "#6", "--json", json.toString()},
                out, err);
        assertEquals(0, status, err());
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        int tokens = root.get("clean_ids").size();
        assertEquals(root.get("model").get("layers").asInt() + 1, root.get("residual_metric").size());
        assertEquals(tokens, root.get("residual_metric").get(0).size());
        assertFalse(root.get("residual_recovery").isNull(), "cat and mat give different metrics");
        // the final residual at the last position decides the metric by itself
        JsonNode finalRow = root.get("residual_recovery").get(root.get("model").get("layers").asInt());
        assertEquals(1.0, finalRow.get(tokens - 1).asDouble(), 1e-5);
    }

    @Test
    void dlaReconstructsTheLogit() throws IOException {
        Path json = temp.resolve("dla.json");
        int status = Cli.run(new String[]{"dla", "--model", model("qwen2-tiny"), "--prompt", "The cat sat on",
                "--token", "#7", "--json", json.toString()}, out, err);
        assertEquals(0, status, err());
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertEquals(root.get("model_logit").asDouble(), root.get("reconstructed_logit").asDouble(), 2e-3);
    }

    @Test
    void aFolderWithoutTokenizerRunsOnIds() throws IOException {
        Path folder = temp.resolve("no-tokenizer");
        java.nio.file.Files.createDirectories(folder);
        for (String file : new String[]{"config.json", "model.safetensors"}) {
            java.nio.file.Files.copy(Path.of(model("gpt2-tiny")).resolve(file), folder.resolve(file));
        }
        Path json = temp.resolve("ids.json");
        int status = Cli.run(new String[]{"heads", "--model", folder.toString(), "--ids", "5,6,5,6", "--probe",
                "--repeat", "4", "--json", json.toString()}, out, err);
        assertEquals(0, status, err());
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertTrue(root.get("tokens").get(0).isNull());
        assertEquals(8, root.get("probe").get("ids").size(), "no BOS without a tokenizer");
        assertTrue(root.get("heads").get(0).get("scores").get("induction").isNumber());

        Path ablate = temp.resolve("ablate-ids.json");
        status = Cli.run(new String[]{"ablate", "--model", folder.toString(), "--prompt", "5,6,5", "--position", "-1",
                "--target", "6", "--json", ablate.toString()}, out, err);
        assertEquals(0, status, err());
        assertEquals(6, new ObjectMapper().readTree(ablate.toFile()).get("target").get("id").asInt());
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals(2, Cli.run(new String[]{"heads", "--model", model("gpt2-tiny"), "--json", "-"}, out, err));
        assertTrue(err().contains("missing --prompt TEXT or --ids 1,2,3"), err());
        assertEquals(2, Cli.run(new String[]{"ablate", "--bogus"}, out, err));
        assertEquals(0, Cli.run(new String[]{"heads", "--help"}, out, err));
        assertTrue(outBytes.toString(StandardCharsets.UTF_8).contains("previous-token"));
    }
}
