package dev.headlight.format.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headlight.format.FormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigReaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ModelConfig read(Path dir, String json) throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, json);
        return ConfigReader.read(file);
    }

    private static Path fixtureConfig(String name) throws Exception {
        return Path.of(ConfigReaderTest.class.getResource("/fixtures/" + name + "/model/config.json").toURI());
    }

    @Test
    void transformers5RopeParameters() throws Exception {
        ModelConfig neox = ConfigReader.read(fixtureConfig("gpt-neox-tiny"));
        assertEquals(Family.GPT_NEOX, neox.family());
        assertEquals(0.25, neox.rope().rotaryFraction());
        assertEquals(10000.0, neox.rope().theta());
        assertTrue(neox.parallelResidual());
        ModelConfig qwen2 = ConfigReader.read(fixtureConfig("qwen2-tiny"));
        assertEquals(1e6, qwen2.rope().theta());
        assertTrue(qwen2.tieWordEmbeddings());
        assertTrue(qwen2.attentionBias());
        assertEquals(0, qwen2.slidingWindow());
    }

    @Test
    void gemma2SlidingLayersAndSoftcaps() throws Exception {
        ModelConfig c = ConfigReader.read(fixtureConfig("gemma2-tiny"));
        assertEquals(8, c.slidingWindow());
        assertArrayEquals(new boolean[]{true, false, true, false}, c.slidingLayers());
        assertEquals(50.0, c.attnLogitSoftcap());
        assertEquals(30.0, c.finalLogitSoftcap());
        assertEquals(0.25f, c.attentionScale()); // query_pre_attn_scalar 16
        assertEquals("gelu_pytorch_tanh", c.activation());
    }

    @Test
    void gpt2NamesAndDefaults() throws Exception {
        ModelConfig c = ConfigReader.read(fixtureConfig("gpt2-tiny"));
        assertEquals(64, c.hidden());
        assertEquals(4, c.heads());
        assertEquals(16, c.headDim());
        assertEquals(256, c.intermediate()); // n_inner null -> 4 * n_embd
        assertEquals(128, c.maxPositions());
        assertNull(c.rope());
        assertTrue(c.tieWordEmbeddings());
        assertEquals("gelu_new", c.activation());
    }

    /** transformers 4 writes rope_theta at the top level and rope_scaling beside it (Llama 3.2). */
    @Test
    void transformers4RopeScalingLlama3(@TempDir Path dir) throws IOException {
        ModelConfig c = read(dir, """
                {"model_type": "llama", "hidden_size": 2048, "num_hidden_layers": 16, "num_attention_heads": 32,
                 "num_key_value_heads": 8, "intermediate_size": 8192, "vocab_size": 128256,
                 "max_position_embeddings": 131072, "rope_theta": 500000.0, "tie_word_embeddings": true,
                 "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                                  "original_max_position_embeddings": 8192, "rope_type": "llama3"}}""");
        assertEquals("llama3", c.rope().type());
        assertEquals(500000.0, c.rope().theta());
        assertEquals(32.0, c.rope().factor());
        assertEquals(8192, c.rope().originalMaxPositions());
        assertEquals(64, c.headDim());
        assertEquals(8, c.kvHeads());
        assertEquals("LlamaForCausalLM", c.architecture());
    }

    @Test
    void mistralDefaultsToItsSlidingWindowAndNullDisablesIt(@TempDir Path dir) throws IOException {
        String base = """
                {"model_type": "mistral", "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
                 "num_key_value_heads": 2, "intermediate_size": 128, "vocab_size": 100%s}""";
        assertEquals(4096, read(dir, base.formatted("")).slidingWindow());
        assertEquals(0, read(dir, base.formatted(", \"sliding_window\": null")).slidingWindow());
        ModelConfig windowed = read(dir, base.formatted(", \"sliding_window\": 16"));
        assertTrue(windowed.slides(0) && windowed.slides(1));
    }

    @Test
    void wrongTypesAreOneLineErrors(@TempDir Path dir) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(Files.readString(fixtureConfig("llama-tiny")));
        root.put("hidden_size", "sixty-four");
        FormatException e = assertThrows(FormatException.class, () -> read(dir, root.toString()));
        assertTrue(e.getMessage().contains("config.json") && e.getMessage().contains("hidden_size"));
        assertFalse(e.getMessage().contains("\n"));

        root.put("hidden_size", 64).put("num_key_value_heads", 3);
        e = assertThrows(FormatException.class, () -> read(dir, root.toString()));
        assertTrue(e.getMessage().contains("num_key_value_heads"), e.getMessage());

        assertThrows(FormatException.class, () -> read(dir, "[1, 2]"));
        assertThrows(FormatException.class, () -> read(dir, "{\"model_type\": "));
    }

    /** Every size and product of sizes is bounded in 64 bits: no value can wrap to pass the shape checks. */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', textBlock = """
            head_dim near 2^30          | "head_dim": 1073741828                  | head_dim is 1073741828
            heads x head_dim wraps      | "num_attention_heads": 16, "head_dim": 268435456 | head_dim is 268435456
            heads x head_dim too wide   | "num_attention_heads": 4096, "head_dim": 1024 | num_attention_heads x head_dim (4096 x 1024)
            vocab beyond the limit      | "vocab_size": 2000000000                | vocab_size is 2000000000
            layers beyond the limit     | "num_hidden_layers": 100000             | num_hidden_layers is 100000
            negative epsilon            | "rms_norm_eps": -1e-5                   | norm epsilon is -1.0E-5
            infinite number             | "rope_theta": 1e999                     | rope_theta must be a finite number
            """)
    void oversizedOrWrappingSettingsAreRefused(String what, String setting, String problem, @TempDir Path dir) {
        String base = "\"model_type\": \"llama\", \"hidden_size\": 64, \"num_hidden_layers\": 2, "
                + "\"num_attention_heads\": 4, \"num_key_value_heads\": 4, \"intermediate_size\": 128, "
                + "\"vocab_size\": 100";
        // later keys win in config.json (the last duplicate), so the setting under test overrides the base
        FormatException e = assertThrows(FormatException.class, () -> read(dir, "{" + base + ", " + setting + "}"));
        assertTrue(e.getMessage().contains(problem), what + ": " + e.getMessage());
        assertTrue(e.getMessage().contains("config.json"), e.getMessage());
    }
}
