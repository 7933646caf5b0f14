package dev.headlight.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headlight.analysis.Comparison;
import dev.headlight.engine.Model;
import dev.headlight.format.safetensors.SafetensorsWriter;
import dev.headlight.format.safetensors.Tensor;
import dev.headlight.format.safetensors.TensorStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompareCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path GPT2 = Path.of("src/test/resources/fixtures/gpt2-tiny/model");
    private static final Path INDUCTION = Path.of("sample-models/induction-2l");

    @TempDir
    Path temp;

    /** A copy of gpt2-tiny whose layer-1 head-3 value slice (c_attn columns 128 + 48 .. 128 + 64) is scaled by 1.5. */
    private Path editedCopy() throws Exception {
        Path b = temp.resolve("edited");
        Files.createDirectories(b);
        try (Stream<Path> files = Files.list(GPT2)) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().endsWith(".safetensors")) {
                    Files.copy(f, b.resolve(f.getFileName()));
                }
            }
        }
        SafetensorsWriter writer = new SafetensorsWriter();
        try (TensorStore store = TensorStore.open(GPT2)) {
            for (String name : store.names()) {
                Tensor t = store.tensor(name);
                float[] v = t.toFloats();
                if (name.equals("transformer.h.1.attn.c_attn.weight")) {
                    for (int k = 0; k < v.length; k++) {
                        int column = k % 192;
                        if (column >= 128 + 48 && column < 192) {
                            v[k] *= 1.5f;
                        }
                    }
                }
                writer.addFloat32(name, v, t.shape());
            }
        }
        writer.write(b.resolve("model.safetensors"));
        return b;
    }

    @Test
    void twoModelsWriteEveryTensorSliceAndHead() throws Exception {
        Path b = editedCopy();
        Path out = temp.resolve("compare.json");
        CliRunner r = CliRunner.run("compare", "--a", GPT2.toString(), "--b", b.toString(), "--ids", "1,5,9,5,9,2",
                "--json", out.toString());
        assertEquals(0, r.status(), r.toString());
        JsonNode root = JSON.readTree(out.toFile());
        assertEquals("models", root.get("mode").asText());
        int slices = 0;
        for (JsonNode t : root.get("tensors")) {
            assertTrue(t.has("name") && t.has("layer") && t.has("head") && t.has("slice"), t.toString());
            boolean edited = t.get("name").asText().equals("transformer.h.1.attn.c_attn.weight")
                    && t.get("head").asInt(-1) == 3 && "v".equals(t.get("slice").asText(null));
            if (!t.get("slice").isNull()) {
                slices++;
                assertEquals(edited ? 0.5 : 0.0, t.get("relative_change").asDouble(), 1e-6, t.toString());
            }
        }
        assertEquals(3 * (12 + 12 + 4), slices); // 3 layers: c_attn weight and bias q/k/v × 4 heads, c_proj o × 4
        JsonNode heads = root.get("heads");
        assertEquals(3 * 4, heads.size());
        try (Model ma = Model.open(GPT2); Model mb = Model.open(b)) {
            double[][] js = Comparison.models(ma, mb, new int[] {1, 5, 9, 5, 9, 2}, null).jsDistance();
            for (JsonNode h : heads) {
                double expected = js[h.get("layer").asInt()][h.get("head").asInt()];
                assertEquals(expected, h.get("js_distance").asDouble(), 1e-12);
                if (h.get("layer").asInt() == 0) {
                    assertEquals(0.0, expected, "layer 0 is unchanged, so is its attention");
                }
            }
        }
    }

    @Test
    void twoPromptsOnOneModel() throws Exception {
        Path out = temp.resolve("prompts.json");
        CliRunner r = CliRunner.run("compare", "--a", INDUCTION.toString(), "--prompt", "KxQ7mPKxQ7mP",
                "--b-prompt", "KxQ7mPzz", "--json", out.toString());
        assertEquals(0, r.status(), r.toString());
        JsonNode root = JSON.readTree(out.toFile());
        assertEquals("prompts", root.get("mode").asText());
        assertEquals(9, root.get("aligned_positions").asInt()); // BOS + 8 characters
        assertEquals(4, root.get("heads").size());
        assertTrue(!root.has("tensors"));
    }

    @Test
    void refusesModelsOfDifferentShapesInOneLine() {
        CliRunner r = CliRunner.run("compare", "--a", INDUCTION.toString(), "--b", "sample-models/tiny-lm",
                "--prompt", "abc", "--json", temp.resolve("x.json").toString());
        assertEquals(1, r.status(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().contains("attention heads differs (A 2, B 4)"), r.err());
    }

    @Test
    void usageErrorsAndHelp() {
        CliRunner both = CliRunner.run("compare", "--a", INDUCTION.toString(), "--b", INDUCTION.toString(),
                "--b-prompt", "x", "--prompt", "abc", "--json", "-");
        assertEquals(2, both.status(), both.toString());
        CliRunner none = CliRunner.run("compare", "--a", INDUCTION.toString(), "--prompt", "abc", "--json", "-");
        assertEquals(2, none.status(), none.toString());
        CliRunner help = CliRunner.run("compare", "--help");
        assertEquals(0, help.status());
        assertTrue(help.out().contains("||W_b - W_a||_F / ||W_a||_F"), help.out());
        assertTrue(help.out().contains("Jensen-Shannon divergence"), help.out());
        assertTrue(help.out().contains("min(length A, length B)"), help.out());
    }
}
