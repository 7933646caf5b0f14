package dev.headlight.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headlight.engine.AttentionMaps;
import dev.headlight.engine.Model;
import dev.headlight.engine.RunOptions;
import dev.headlight.format.safetensors.SafetensorsFile;
import dev.headlight.format.safetensors.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code analyze} under an attention memory budget ({@value RunOptions#BUDGET_PROPERTY}): with room for one layer
 * it streams the maps layer by layer, recomputing each, and writes what it writes without a budget; with room for
 * less it refuses in one line with the numbers.
 */
class BudgetedAnalyzeTest {
    static final String NAME = "gpt-neox-tiny";

    @AfterEach
    void clearBudget() {
        System.clearProperty(RunOptions.BUDGET_PROPERTY);
    }

    static long oneLayerBytes(int tokens) {
        try (Model model = Model.open(FixtureFiles.model(NAME))) {
            return AttentionMaps.bytesPerLayer(model.info().heads(), tokens, false);
        }
    }

    static CliRunner analyze(Path out) {
        JsonNode reference = FixtureFiles.reference(NAME);
        return CliRunner.run("analyze", "--model", FixtureFiles.model(NAME).toString(),
                "--prompt", reference.get("prompt").asText(), "--out", out.toString());
    }

    @Test
    void withRoomForOneLayerTheAttentionsAreTheSame(@TempDir Path dir) {
        CliRunner full = analyze(dir.resolve("full.safetensors"));
        assertEquals(0, full.status(), full.toString());
        int tokens = FixtureFiles.reference(NAME).get("input_ids").size();
        System.setProperty(RunOptions.BUDGET_PROPERTY, Double.toString(oneLayerBytes(tokens) / (double) (1 << 20)));
        CliRunner budgeted = analyze(dir.resolve("budgeted.safetensors"));
        assertEquals(0, budgeted.status(), budgeted.toString());
        try (SafetensorsFile a = SafetensorsFile.open(dir.resolve("full.safetensors"));
             SafetensorsFile b = SafetensorsFile.open(dir.resolve("budgeted.safetensors"));
             SafetensorsFile ref = SafetensorsFile.open(FixtureFiles.root().resolve(NAME)
                     .resolve("reference.safetensors"))) {
            Tensor x = a.tensor("attentions");
            Tensor y = b.tensor("attentions");
            Tensor r = ref.tensor("attentions");
            assertEquals(x.elementCount(), y.elementCount());
            for (long i = 0; i < x.elementCount(); i++) {
                assertEquals(x.getFloat(i), y.getFloat(i), 1e-6, "attention element " + i);
                assertEquals(r.getFloat(i), y.getFloat(i), 1e-4, "attention element " + i + " vs transformers");
            }
        }
    }

    @Test
    void withRoomForLessThanOneLayerItRefusesInOneLine(@TempDir Path dir) {
        int tokens = FixtureFiles.reference(NAME).get("input_ids").size();
        System.setProperty(RunOptions.BUDGET_PROPERTY,
                Double.toString((oneLayerBytes(tokens) - 4) / (double) (1 << 20)));
        CliRunner r = analyze(dir.resolve("out.safetensors"));
        assertEquals(Cli.FAILED, r.status(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().startsWith("headlight analyze: The prompt of " + tokens + " tokens is too long for the "
                + "attention memory budget"), r.err());
    }
}
