package dev.headlight.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headlight.format.FormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Missing or contradictory settings are refused when the folder is opened, with one line naming the file. */
class RefusedFoldersTest {

    private static FormatException refusedConfig(Path dir, String fixture, Consumer<ObjectNode> edit) {
        Path copy = FolderCopies.copy(fixture, dir.resolve("m"));
        FolderCopies.editConfig(copy, edit);
        FormatException e = assertThrows(FormatException.class, () -> Model.open(copy).close());
        assertOneLine(e);
        return e;
    }

    private static void assertOneLine(FormatException e) {
        System.out.println("refused: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    private static void assertNamesConfig(FormatException e) {
        assertTrue(e.getMessage().contains("config.json"), e.getMessage());
    }

    @Test
    void noHeadCount(@TempDir Path dir) {
        FormatException e = refusedConfig(dir, "llama-tiny", c -> c.remove("num_attention_heads"));
        assertNamesConfig(e);
        assertTrue(e.getMessage().contains("num_attention_heads"), e.getMessage());
    }

    @Test
    void gpt2WithoutHeadCount(@TempDir Path dir) {
        FormatException e = refusedConfig(dir, "gpt2-tiny", c -> c.remove("n_head"));
        assertNamesConfig(e);
        assertTrue(e.getMessage().contains("n_head"), e.getMessage());
    }

    @Test
    void hiddenSizeDisagreesWithTheTensors(@TempDir Path dir) {
        FormatException e = refusedConfig(dir, "qwen2-tiny", c -> c.put("hidden_size", 48));
        assertNamesConfig(e);
        assertTrue(e.getMessage().contains("model.embed_tokens.weight"), e.getMessage());
    }

    @Test
    void hiddenNotDivisibleByHeads(@TempDir Path dir) {
        FormatException e = refusedConfig(dir, "gpt2-tiny", c -> c.put("n_head", 5));
        assertNamesConfig(e);
        assertTrue(e.getMessage().contains("not divisible"), e.getMessage());
    }

    @Test
    void unknownModelTypeListsTheSupportedOnes(@TempDir Path dir) {
        FormatException e = refusedConfig(dir, "llama-tiny", c -> c.put("model_type", "mamba"));
        assertNamesConfig(e);
        for (String supported : new String[]{"gpt2", "llama", "mistral", "qwen2", "qwen3", "gpt_neox", "gemma2",
                "phi3", "bert"}) {
            assertTrue(e.getMessage().contains(supported), e.getMessage());
        }
    }

    @Test
    void layerCountDisagreesWithTheTensors(@TempDir Path dir) {
        FormatException e = refusedConfig(dir, "gemma2-tiny", c -> {
            c.put("num_hidden_layers", 2);
            c.remove("layer_types");
        });
        assertNamesConfig(e);
        assertTrue(e.getMessage().contains("num_hidden_layers"), e.getMessage());
    }

    @Test
    void unsupportedRopeType(@TempDir Path dir) {
        FormatException e = refusedConfig(dir, "llama-tiny",
                c -> ((ObjectNode) c.get("rope_parameters")).put("rope_type", "yarn"));
        assertNamesConfig(e);
        assertTrue(e.getMessage().contains("yarn"), e.getMessage());
    }

    @Test
    void missingTensor(@TempDir Path dir) {
        String missing = "model.layers.1.mlp.up_proj.weight";
        Path copy = FolderCopies.copyRewritingWeights("llama-tiny", dir.resolve("m"), (tensor, writer) -> {
            if (!tensor.name().equals(missing)) {
                FolderCopies.addRaw(writer, tensor.name(), tensor);
            }
        });
        FormatException e = assertThrows(FormatException.class, () -> Model.open(copy).close());
        assertOneLine(e);
        assertNamesConfig(e);
        assertTrue(e.getMessage().contains(missing), e.getMessage());
        assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
    }

    @Test
    void untiedConfigWithoutUnembedding(@TempDir Path dir) {
        FormatException e = refusedConfig(dir, "qwen2-tiny", c -> c.put("tie_word_embeddings", false));
        assertTrue(e.getMessage().contains("lm_head.weight"), e.getMessage());
    }

    @Test
    void tensorWithNoRole(@TempDir Path dir) {
        Path copy = FolderCopies.copyRewritingWeights("phi3-tiny", dir.resolve("m"), (tensor, writer) -> {
            FolderCopies.addRaw(writer, tensor.name(), tensor);
            if (tensor.name().equals("model.norm.weight")) {
                writer.addFloat32("model.vision_tower.proj.weight", new float[4], 2, 2);
            }
        });
        FormatException e = assertThrows(FormatException.class, () -> Model.open(copy).close());
        assertOneLine(e);
        assertTrue(e.getMessage().contains("model.vision_tower.proj.weight"), e.getMessage());
        assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
    }

    @Test
    void biasPresentWhereTheConfigSaysNone(@TempDir Path dir) {
        FormatException e = refusedConfig(dir, "qwen2-tiny", c -> c.put("model_type", "llama"));
        assertNamesConfig(e);
        assertTrue(e.getMessage().contains("bias"), e.getMessage());
    }

    @Test
    void missingConfig(@TempDir Path dir) {
        Path copy = FolderCopies.copy("gpt2-tiny", dir.resolve("m"));
        assertTrue(copy.resolve("config.json").toFile().delete());
        FormatException e = assertThrows(FormatException.class, () -> Model.open(copy).close());
        assertNamesConfig(e);
    }
}
