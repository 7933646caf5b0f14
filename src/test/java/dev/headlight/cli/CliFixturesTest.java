package dev.headlight.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headlight.format.safetensors.SafetensorsFile;
import dev.headlight.format.safetensors.Tensor;
import dev.headlight.format.safetensors.TensorStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands end to end on the reference fixtures, compared with what Hugging Face transformers computed. */
class CliFixturesTest {

    static List<String> models() {
        return FixtureFiles.modelNames();
    }

    static List<String> tokenizerKinds() throws IOException {
        try (Stream<Path> dirs = Files.list(FixtureFiles.tokenizers())) {
            return dirs.filter(d -> Files.exists(d.resolve("cases.json")))
                    .map(d -> d.getFileName().toString()).sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void analyzeMatchesTheReference(String name, @TempDir Path dir) throws IOException {
        JsonNode reference = FixtureFiles.reference(name);
        Path out = dir.resolve("analysis.safetensors");
        Path json = dir.resolve("analysis.json");
        CliRunner r = CliRunner.run("analyze", "--model", FixtureFiles.model(name).toString(),
                "--prompt", reference.get("prompt").asText(), "--out", out.toString(), "--json", json.toString());
        assertEquals(0, r.status(), r.toString());
        JsonNode summary = Json.MAPPER.readTree(r.out());
        assertEquals(out.toString(), summary.get("out").asText());

        try (SafetensorsFile actual = SafetensorsFile.open(out);
             SafetensorsFile expected = SafetensorsFile.open(FixtureFiles.root().resolve(name)
                     .resolve("reference.safetensors"))) {
            assertArrayEquals(expected.tensor("input_ids").toLongs(), actual.tensor("input_ids").toLongs(), name);
            assertClose(expected, actual, "attentions", 1e-4);
            assertClose(expected, actual, "logits", 2e-3);
            assertClose(expected, actual, "residual", 2e-3);
            assertClose(expected, actual, "lens_logprobs", 2e-3);
            checkJson(Json.MAPPER.readTree(json.toFile()), reference, expected.tensor("lens_logprobs"));
        }
    }

    private static void assertClose(SafetensorsFile expected, SafetensorsFile actual, String tensor, double tolerance) {
        Tensor e = expected.tensor(tensor);
        Tensor a = actual.tensor(tensor);
        assertArrayEquals(e.shape(), a.shape(), tensor + " shape");
        double worst = 0;
        long worstAt = -1;
        for (long i = 0; i < e.elementCount(); i++) {
            double d = Math.abs(e.getFloat(i) - a.getFloat(i));
            if (!(d <= worst)) { // also catches NaN
                worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
                worstAt = i;
            }
        }
        assertTrue(worst <= tolerance, tensor + ": largest difference " + worst + " at element " + worstAt
                + " of " + expected.path().getParent().getFileName() + " exceeds " + tolerance);
    }

    /** The JSON's tokens are the reference's; its top lens tokens are the reference's most probable ones. */
    private static void checkJson(JsonNode json, JsonNode reference, Tensor referenceLens) {
        assertEquals(reference.get("input_ids"), json.get("input_ids"));
        assertEquals(reference.get("tokens"), json.get("raw_tokens"));
        assertEquals(reference.get("prompt").asText(), json.get("prompt").asText());
        int tokens = reference.get("input_ids").size();
        assertEquals(tokens, json.get("tokens").size());
        assertEquals(reference.get("architecture").asText(), json.get("model").get("architecture").asText());
        JsonNode lens = json.get("lens");
        long layersPlusOne = referenceLens.dim(0);
        long vocab = referenceLens.dim(2);
        assertEquals(layersPlusOne, lens.size());
        for (int l = 0; l < layersPlusOne; l++) {
            assertEquals(tokens, lens.get(l).size());
            for (int t = 0; t < tokens; t++) {
                JsonNode top = lens.get(l).get(t);
                assertEquals(AnalyzeCommand.TOP_K, top.size());
                long row = ((long) l * tokens + t) * vocab;
                float best = Float.NEGATIVE_INFINITY;
                for (long v = 0; v < vocab; v++) {
                    best = Math.max(best, referenceLens.getFloat(row + v));
                }
                double previous = 1.0;
                for (JsonNode entry : top) {
                    double p = entry.get("prob").asDouble();
                    assertTrue(p <= previous + 1e-12, "descending probabilities");
                    previous = p;
                }
                int firstId = top.get(0).get("id").asInt();
                assertEquals(best, referenceLens.getFloat(row + firstId), 4e-3,
                        "top lens token at layer " + l + " position " + t + " is the reference's most probable");
                assertEquals(Math.exp(referenceLens.getFloat(row + firstId)), top.get(0).get("prob").asDouble(), 2e-3);
            }
        }
    }

    @Test
    void analyzeWithIdsGivesTheSameAsThePrompt(@TempDir Path dir) throws IOException {
        JsonNode reference = FixtureFiles.reference("gpt2-tiny");
        List<String> ids = new ArrayList<>();
        reference.get("input_ids").forEach(id -> ids.add(id.asText()));
        Path out = dir.resolve("ids.safetensors");
        CliRunner r = CliRunner.run("analyze", "--model", FixtureFiles.model("gpt2-tiny").toString(),
                "--ids", String.join(",", ids), "--out", out.toString());
        assertEquals(0, r.status(), r.toString());
        try (SafetensorsFile actual = SafetensorsFile.open(out);
             SafetensorsFile expected = SafetensorsFile.open(FixtureFiles.root().resolve("gpt2-tiny")
                     .resolve("reference.safetensors"))) {
            assertClose(expected, actual, "logits", 2e-3);
            assertClose(expected, actual, "lens_logprobs", 2e-3);
        }
    }

    @Test
    void analyzeRefusesIdsTheModelCannotTake(@TempDir Path dir) {
        String model = FixtureFiles.model("gpt2-tiny").toString(); // vocabulary 1000, 128 positions
        Path out = dir.resolve("o.safetensors");
        CliRunner outside = CliRunner.run("analyze", "--model", model, "--ids", "1,1000", "--out", out.toString());
        CliTest.assertOneLineFailure(outside, 1);
        assertTrue(outside.err().contains("1000") && outside.err().contains("vocabulary"), outside.err());
        String tooMany = String.join(",", java.util.Collections.nCopies(129, "5"));
        CliRunner tooLong = CliRunner.run("analyze", "--model", model, "--ids", tooMany, "--out", out.toString());
        CliTest.assertOneLineFailure(tooLong, 1);
        assertTrue(tooLong.err().contains("128"), tooLong.err());
        assertTrue(!Files.exists(out));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokenizerKinds")
    void tokenizeGivesTheReferenceIds(String kind) throws IOException {
        Path folder = FixtureFiles.tokenizers().resolve(kind);
        JsonNode cases = Json.MAPPER.readTree(folder.resolve("cases.json").toFile());
        List<String> args = new ArrayList<>(List.of("tokenize", "--model", folder.toString()));
        for (JsonNode c : cases) {
            args.add("--text=" + c.get("text").asText());
        }
        CliRunner r = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, r.status(), r.toString());
        List<String> lines = r.outLines();
        assertEquals(cases.size(), lines.size());
        for (int i = 0; i < cases.size(); i++) {
            JsonNode line = Json.MAPPER.readTree(lines.get(i));
            assertEquals(cases.get(i).get("text"), line.get("text"));
            assertEquals(cases.get(i).get("ids"), line.get("ids"), "ids of " + cases.get(i).get("text"));
            assertEquals(cases.get(i).get("tokens"), line.get("tokens"), "tokens of " + cases.get(i).get("text"));
        }
    }

    @Test
    void tokenizeAcceptsTheTokenizerFileItself() throws IOException {
        Path file = FixtureFiles.tokenizers().resolve("wordpiece").resolve("tokenizer.json");
        JsonNode first = Json.MAPPER.readTree(file.resolveSibling("cases.json").toFile()).get(0);
        CliRunner r = CliRunner.run("tokenize", "--model", file.toString(), "--text", first.get("text").asText());
        assertEquals(0, r.status(), r.toString());
        assertEquals(first.get("ids"), Json.MAPPER.readTree(r.out()).get("ids"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void inspectListsEveryTensor(String name) throws IOException {
        Path folder = FixtureFiles.model(name);
        Set<String> stored;
        try (TensorStore store = TensorStore.open(folder)) {
            stored = new HashSet<>(store.names());
        }
        CliRunner table = CliRunner.run("inspect", "--model", folder.toString());
        assertEquals(0, table.status(), table.toString());
        for (String tensor : stored) {
            assertTrue(table.outLines().stream().anyMatch(l -> l.startsWith(tensor + " ")),
                    name + ": inspect lacks " + tensor);
        }
        CliRunner json = CliRunner.run("inspect", "--model", folder.toString(), "--json");
        assertEquals(0, json.status(), json.toString());
        JsonNode root = Json.MAPPER.readTree(json.out());
        Set<String> listed = new HashSet<>();
        for (JsonNode t : root.get("tensors")) {
            listed.add(t.get("name").asText());
            assertTrue(!t.get("component").asText().isEmpty(), t.toString());
        }
        assertEquals(stored, listed);
        assertEquals(FixtureFiles.reference(name).get("architecture").asText(),
                root.get("model").get("architecture").asText());
    }

    @Test
    void benchPrintsOneJsonObjectWithTheRequiredKeys() throws IOException {
        CliRunner r = CliRunner.run("bench", "--model", FixtureFiles.model("gpt2-tiny").toString(),
                "--tokens", "16", "--runs", "3");
        assertEquals(0, r.status(), r.toString());
        assertEquals(1, r.outLines().size(), r.out());
        JsonNode json = Json.MAPPER.readTree(r.out());
        for (String key : List.of("forward_ms_median", "forward_ms_min", "threads", "gflops", "peak_rss_mb",
                "kernels", "tokens", "model", "runs", "open_ms", "first_forward_ms")) {
            assertTrue(json.has(key), "bench output lacks " + key + ": " + r.out());
        }
        assertEquals(16, json.get("tokens").asInt());
        assertEquals(3, json.get("runs").asInt());
        assertTrue(json.get("forward_ms_min").asDouble() <= json.get("forward_ms_median").asDouble());
        assertTrue(json.get("threads").asInt() >= 1);
        assertTrue(json.get("peak_rss_mb").asDouble() > 0);
        assertTrue(json.get("open_ms").asDouble() > 0);
        assertTrue(json.get("first_forward_ms").asDouble() > 0);
        assertTrue(json.get("gflops").isNumber());
        assertTrue(json.get("kernels").asText().length() > 0);
    }

    @Test
    void benchContinueTimesAPassThatContinuesACachedPrefix() throws IOException {
        CliRunner r = CliRunner.run("bench", "--model", FixtureFiles.model("gpt2-tiny").toString(),
                "--tokens", "12", "--continue", "2", "--runs", "2", "--lens");
        assertEquals(0, r.status(), r.toString());
        JsonNode json = Json.MAPPER.readTree(r.out());
        assertEquals(12, json.get("tokens").asInt());
        assertEquals(2, json.get("continue_tokens").asInt());
        assertEquals(10, json.get("reused_tokens").asInt(), "the pass must continue the prefix, not rerun it");
        for (String key : List.of("continue_ms_median", "continue_cpu_ms_median", "scores_ms_median",
                "lens_ms_median", "keystroke_ms_median", "full_forward_ms_median", "continue_to_full")) {
            assertTrue(json.get(key).isNumber(), "bench --continue output lacks " + key + ": " + r.out());
        }
        assertEquals(2, CliRunner.run("bench", "--model", FixtureFiles.model("gpt2-tiny").toString(),
                "--tokens", "1", "--continue", "1").status(), "a prefix of no tokens is a usage error");
    }
}
