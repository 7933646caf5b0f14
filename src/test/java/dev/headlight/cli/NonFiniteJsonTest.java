package dev.headlight.cli;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.headlight.format.safetensors.DamagedModels;
import dev.headlight.format.safetensors.PoisonedWeights;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every command that writes JSON writes valid JSON on weights holding NaN and infinities: a strict parser (no
 * NaN/Infinity literals, nothing after the value) reads each output, no number is replaced by the strings "NaN" or
 * "Infinity", and the values that are not finite come out as null.
 */
class NonFiniteJsonTest {
    /** Jackson's defaults refuse NaN/Infinity literals; trailing tokens are refused too. */
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    @TempDir
    static Path dir;
    static Path clean;
    static Path poisoned;

    @BeforeAll
    static void models() throws IOException {
        clean = dir.resolve("clean");
        DamagedModels.copyFixture("gpt2-tiny", clean);
        poisoned = dir.resolve("nan");
        DamagedModels.copyFixture("gpt2-tiny", poisoned);
        // an attention weight: the pass and the weight-based circuit scores both meet it
        PoisonedWeights.poison(poisoned.resolve("model.safetensors"), "transformer.h.1.attn.c_attn.weight", 16,
                Float.NaN);
        PoisonedWeights.poison(poisoned.resolve("model.safetensors"), "transformer.h.1.mlp.c_fc.weight", 16,
                Float.POSITIVE_INFINITY);
    }

    @Test
    void everyJsonOutputParsesStrictlyWithNullsForNonFiniteNumbers() throws IOException {
        String m = poisoned.toString();
        Map<String, String[]> toFiles = Map.of(
                "analyze", new String[] {"analyze", "--model", m, "--ids", "5,6,7,8", "--out",
                        dir.resolve("a.safetensors").toString(), "--json", dir.resolve("analyze.json").toString()},
                "heads", new String[] {"heads", "--model", m, "--prompt", "the cat sat on the mat", "--json",
                        dir.resolve("heads.json").toString()},
                "ablate", new String[] {"ablate", "--model", m, "--prompt", "the cat sat on the mat", "--position", "3",
                        "--target", " the", "--json", dir.resolve("ablate.json").toString()},
                "patch", new String[] {"patch", "--model", m, "--clean", "the cat sat", "--corrupt", "the dog sat",
                        "--answer", " on", "--wrong", " the", "--json", dir.resolve("patch.json").toString()},
                "dla", new String[] {"dla", "--model", m, "--prompt", "the cat sat", "--token", " on", "--json",
                        dir.resolve("dla.json").toString()},
                "compare", new String[] {"compare", "--a", clean.toString(), "--b", m, "--prompt", "the cat sat",
                        "--json", dir.resolve("compare.json").toString()},
                "circuits", new String[] {"circuits", "--model", m, "--json", dir.resolve("circuits.json").toString()});
        int nulls = 0;
        List<String> withNulls = new ArrayList<>();
        for (Map.Entry<String, String[]> c : toFiles.entrySet()) {
            CliRunner r = CliRunner.run(c.getValue());
            assertEquals(0, r.status(), c.getKey() + ": " + r);
            for (String line : r.outLines()) {
                if (line.startsWith("{")) {
                    check(c.getKey() + " stdout", line);
                }
            }
            int n = check(c.getKey(), Files.readString(dir.resolve(c.getKey() + ".json")));
            nulls += n;
            if (n > 0) {
                withNulls.add(c.getKey());
            }
        }
        // what makes the test able to fail: non-finite numbers were there to be written
        assertTrue(withNulls.containsAll(List.of("heads", "dla", "circuits", "compare")), "nulls in " + withNulls);
        assertTrue(nulls > 0);
    }

    @Test
    void commandsPrintingJsonLinesParseStrictly() throws IOException {
        String m = poisoned.toString();
        String[][] commands = {
                {"inspect", "--model", m, "--json"},
                {"tokenize", "--model", m, "--text", "the cat", "--text", "NaN Infinity"},
                {"bench", "--model", m, "--tokens", "8", "--runs", "1"},
                {"synth", "--out", dir.resolve("synth").toString(), "--layers", "1", "--heads", "2", "--d-model", "32",
                        "--vocab", "300", "--positions", "16"},
        };
        for (String[] command : commands) {
            CliRunner r = CliRunner.run(command);
            assertEquals(0, r.status(), command[0] + ": " + r);
            assertFalse(r.outLines().isEmpty(), command[0]);
            for (String line : r.outLines()) {
                check(command[0], line);
            }
        }
    }

    @Test
    void theHelpSaysSo() {
        assertTrue(CliRunner.run("--help").out().contains(HelpText.NON_FINITE_JSON));
        for (String command : new String[] {"heads", "circuits", "bench", "analyze", "compare"}) {
            assertTrue(CliRunner.run(command, "--help").out().contains(HelpText.NON_FINITE_JSON), command);
        }
    }

    /** Parses strictly, fails on a number written as a string; returns the count of nulls. */
    private static int check(String what, String json) {
        JsonNode root;
        try {
            root = STRICT.readTree(json);
        } catch (IOException e) {
            fail(what + ": not valid JSON: " + e.getMessage() + "\n" + json.substring(0,
                    Math.min(400, json.length())));
            return 0;
        }
        return walk(what, root);
    }

    private static int walk(String what, JsonNode node) {
        if (node.isNull()) {
            return 1;
        }
        if (node.isTextual()) {
            String t = node.textValue();
            assertFalse(t.equals("NaN") || t.equals("Infinity") || t.equals("-Infinity"),
                    what + ": a number written as the string " + t);
            return 0;
        }
        int nulls = 0;
        for (JsonNode child : node) {
            nulls += walk(what, child);
        }
        return nulls;
    }
}
