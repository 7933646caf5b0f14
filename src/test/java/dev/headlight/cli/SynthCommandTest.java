package dev.headlight.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** synth writes model folders that every other command opens. */
class SynthCommandTest {

    @Test
    void smallGpt2RunsThroughEveryCommand(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("gpt2-synth");
        CliRunner synth = CliRunner.run("synth", "--out", model.toString(), "--layers", "2", "--heads", "2",
                "--d-model", "32", "--vocab", "300", "--positions", "64", "--seed", "7");
        assertEquals(0, synth.status(), synth.toString());
        JsonNode written = Json.MAPPER.readTree(synth.out());
        assertEquals(2, written.get("layers").asInt());
        assertEquals(Files.size(model.resolve("model.safetensors")), written.get("bytes").asLong());

        CliRunner inspect = CliRunner.run("inspect", "--model", model.toString(), "--json");
        assertEquals(0, inspect.status(), inspect.toString());
        JsonNode info = Json.MAPPER.readTree(inspect.out()).get("model");
        assertEquals("GPT2LMHeadModel", info.get("architecture").asText());
        assertEquals(written.get("parameters").asLong(), info.get("parameters").asLong());

        Path out = dir.resolve("a.safetensors");
        CliRunner analyze = CliRunner.run("analyze", "--model", model.toString(), "--prompt", "synthetic words",
                "--out", out.toString());
        assertEquals(0, analyze.status(), analyze.toString());
        assertTrue(Files.size(out) > 0);

        CliRunner bench = CliRunner.run("bench", "--model", model.toString(), "--tokens", "8", "--runs", "1");
        assertEquals(0, bench.status(), bench.toString());
        assertEquals(8, Json.MAPPER.readTree(bench.out()).get("tokens").asInt());
    }

    @Test
    void llamaInBfloat16(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("llama-synth");
        CliRunner synth = CliRunner.run("synth", "--out", model.toString(), "--family", "llama", "--layers", "1",
                "--heads", "4", "--kv-heads", "2", "--d-model", "32", "--intermediate", "48", "--vocab", "300",
                "--positions", "32", "--dtype", "bf16");
        assertEquals(0, synth.status(), synth.toString());
        CliRunner inspect = CliRunner.run("inspect", "--model", model.toString(), "--json");
        assertEquals(0, inspect.status(), inspect.toString());
        JsonNode info = Json.MAPPER.readTree(inspect.out()).get("model");
        assertEquals("LlamaForCausalLM", info.get("architecture").asText());
        assertEquals(2, info.get("kv_heads").asInt());
        assertEquals("BF16", info.get("weights_dtype").asText());
    }

    @Test
    void qwen2WithItsBiasesTiedHeadAndRopeTheta(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("qwen2-synth");
        CliRunner synth = CliRunner.run("synth", "--out", model.toString(), "--family", "qwen2", "--layers", "2",
                "--heads", "4", "--kv-heads", "2", "--d-model", "32", "--intermediate", "48", "--vocab", "400",
                "--positions", "64", "--dtype", "bf16", "--rope-theta", "250000");
        assertEquals(0, synth.status(), synth.toString());
        JsonNode written = Json.MAPPER.readTree(synth.out());
        assertEquals(250000.0, written.get("rope_theta").asDouble());
        JsonNode config = Json.MAPPER.readTree(model.resolve("config.json").toFile());
        assertEquals(250000.0, config.get("rope_theta").asDouble());
        assertTrue(config.get("tie_word_embeddings").asBoolean());

        CliRunner inspect = CliRunner.run("inspect", "--model", model.toString(), "--json");
        assertEquals(0, inspect.status(), inspect.toString());
        JsonNode info = Json.MAPPER.readTree(inspect.out()).get("model");
        assertEquals("Qwen2ForCausalLM", info.get("architecture").asText());
        assertEquals(written.get("parameters").asLong(), info.get("parameters").asLong());

        CliRunner analyze = CliRunner.run("analyze", "--model", model.toString(), "--prompt", "synthetic words",
                "--out", dir.resolve("a.safetensors").toString());
        assertEquals(0, analyze.status(), analyze.toString());
    }

    @Test
    void qwen2DefaultsToItsRopeTheta(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("q");
        CliRunner synth = CliRunner.run("synth", "--out", model.toString(), "--family", "qwen2", "--layers", "1",
                "--heads", "2", "--kv-heads", "1", "--d-model", "16", "--intermediate", "24", "--vocab", "300",
                "--positions", "16");
        assertEquals(0, synth.status(), synth.toString());
        assertEquals(1_000_000.0, Json.MAPPER.readTree(model.resolve("config.json").toFile())
                .get("rope_theta").asDouble());
    }

    @Test
    void badShapesAreRefused(@TempDir Path dir) {
        String out = dir.resolve("m").toString();
        CliTest.assertOneLineFailure(CliRunner.run("synth", "--out", out, "--dtype", "f8"), 2);
        CliTest.assertOneLineFailure(CliRunner.run("synth", "--out", out, "--kv-heads", "2"), 2);
        CliTest.assertOneLineFailure(CliRunner.run("synth", "--out", out, "--family", "bert"), 2);
        CliTest.assertOneLineFailure(CliRunner.run("synth", "--out", out, "--layers", "0"), 2);
        CliTest.assertOneLineFailure(CliRunner.run("synth", "--out", out, "--rope-theta", "10000"), 2); // gpt2
        CliTest.assertOneLineFailure(CliRunner.run("synth", "--out", out, "--family", "llama", "--rope-theta",
                "-5"), 2);
        CliTest.assertOneLineFailure(CliRunner.run("synth", "--out", out, "--family", "qwen2", "--rope-theta",
                "fast"), 2);
        CliRunner notMultiple = CliRunner.run("synth", "--out", out, "--d-model", "30", "--heads", "4");
        CliTest.assertOneLineFailure(notMultiple, 1);
        assertTrue(notMultiple.err().contains("30"), notMultiple.err());
        assertTrue(!Files.exists(dir.resolve("m").resolve("model.safetensors")));
    }
}
