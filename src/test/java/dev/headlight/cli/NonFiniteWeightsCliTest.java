package dev.headlight.cli;

import dev.headlight.format.safetensors.DamagedModels;
import dev.headlight.format.safetensors.PoisonedWeights;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Weights holding NaN: analyze completes with a warning naming the layer and tensor where the NaN began, and
 * every analysis (heads, ablate, patch, dla) completes without an internal error.
 */
class NonFiniteWeightsCliTest {
    static final String POISONED = "transformer.h.1.mlp.c_fc.weight";

    @TempDir
    static Path dir;
    static Path folder;

    @BeforeAll
    static void poisonedCopy() throws IOException {
        folder = dir.resolve("nan");
        DamagedModels.copyFixture("gpt2-tiny", folder);
        PoisonedWeights.poison(folder.resolve("model.safetensors"), POISONED, 16, Float.NaN);
    }

    @Test
    void analyzeWarnsWhereTheNanBegan() {
        CliRunner r = CliRunner.run("analyze", "--model", folder.toString(), "--ids", "5,6,7,8",
                "--out", dir.resolve("a.safetensors").toString());
        assertEquals(0, r.status(), r.toString());
        assertEquals(1, r.errLines().size(), r.err());
        String warning = r.errLines().getFirst();
        assertTrue(warning.startsWith("headlight analyze: warning: " + folder + ": layer 1 produced NaN"), warning);
        assertTrue(warning.contains(POISONED), warning);
    }

    @Test
    void theCleanFixtureGivesNoWarning() throws IOException {
        Path clean = dir.resolve("clean");
        DamagedModels.copyFixture("gpt2-tiny", clean);
        CliRunner r = CliRunner.run("analyze", "--model", clean.toString(), "--ids", "5,6,7,8",
                "--out", dir.resolve("c.safetensors").toString());
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.err().isEmpty(), r.err());
    }

    @Test
    void everyAnalysisCopesWithNan() {
        String json = dir.resolve("out.json").toString();
        String m = folder.toString();
        String[][] commands = {
                {"heads", "--model", m, "--prompt", "the cat sat on the mat", "--json", json},
                {"ablate", "--model", m, "--prompt", "the cat sat on the mat", "--position", "3", "--target", " the",
                        "--json", json},
                {"patch", "--model", m, "--clean", "the cat sat", "--corrupt", "the dog sat", "--answer", " on",
                        "--wrong", " the", "--json", json},
                {"dla", "--model", m, "--prompt", "the cat sat", "--token", " on", "--json", json},
        };
        for (String[] command : commands) {
            CliRunner r = CliRunner.run(command);
            assertEquals(0, r.status(), String.join(" ", command) + ": " + r);
            assertFalse(r.err().contains("internal error"), r.err());
            assertTrue(Files.exists(Path.of(json)));
        }
    }
}
