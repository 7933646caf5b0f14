package dev.headlight.engine.synth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headlight.format.safetensors.DType;
import dev.headlight.format.safetensors.SafetensorsWriter;
import dev.headlight.format.safetensors.Tensor;
import dev.headlight.format.safetensors.TensorInfo;
import dev.headlight.format.safetensors.TensorStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticModelTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(SyntheticModelTest.class.getResource("/fixtures/" + name + "/model/config.json").toURI())
                .getParent();
    }

    /** name -> "DTYPE [shape]" for every tensor of a model folder. */
    private static Map<String, String> layout(Path folder) {
        Map<String, String> m = new TreeMap<>();
        try (TensorStore store = TensorStore.open(folder)) {
            for (String name : store.names()) {
                TensorInfo info = store.info(name);
                m.put(name, info.dtype() + " " + info.shapeString());
            }
        }
        return m;
    }

    @Test
    void gpt2HasExactlyTheTensorsOfTheReferenceGpt2() throws Exception {
        // gpt2-tiny was saved by transformers' GPT2LMHeadModel: 3 layers, 4 heads, 64, vocab 1000, 128 positions
        SyntheticModel.write(dir, SyntheticModel.Spec.gpt2(3, 4, 64, 1000, 128));
        assertEquals(layout(fixture("gpt2-tiny")), layout(dir));
        JsonNode expected = JSON.readTree(fixture("gpt2-tiny").resolve("config.json").toFile());
        JsonNode actual = JSON.readTree(dir.resolve("config.json").toFile());
        for (String key : new String[] {"model_type", "architectures", "n_embd", "n_head", "n_layer", "n_positions",
                "vocab_size", "activation_function", "layer_norm_epsilon", "tie_word_embeddings", "n_inner",
                "scale_attn_weights", "scale_attn_by_inverse_layer_idx", "reorder_and_upcast_attn"}) {
            assertEquals(expected.get(key), actual.get(key), key);
        }
    }

    @Test
    void llamaHasExactlyTheTensorsOfTheReferenceLlama() throws Exception {
        // llama-tiny: 3 layers, 4 heads, 2 kv heads, 64, intermediate 160, vocab 1000, 256 positions
        SyntheticModel.write(dir, SyntheticModel.Spec.llama(3, 4, 2, 64, 160, 1000, 256));
        assertEquals(layout(fixture("llama-tiny")), layout(dir));
        JsonNode expected = JSON.readTree(fixture("llama-tiny").resolve("config.json").toFile());
        JsonNode actual = JSON.readTree(dir.resolve("config.json").toFile());
        for (String key : new String[] {"model_type", "architectures", "hidden_size", "intermediate_size",
                "num_attention_heads", "num_key_value_heads", "num_hidden_layers", "head_dim",
                "max_position_embeddings", "vocab_size", "hidden_act", "tie_word_embeddings", "rms_norm_eps"}) {
            assertEquals(expected.get(key), actual.get(key), key);
        }
    }

    @Test
    void qwen2HasExactlyTheTensorsAndSettingsOfTheReferenceQwen2() throws Exception {
        // qwen2-tiny was saved by transformers' Qwen2ForCausalLM: 3 layers, 4 heads, 2 kv heads, 64, intermediate
        // 128, vocab 1000, 256 positions; q/k/v biases, no lm_head (tied), rope theta 1e6 (in rope_parameters)
        SyntheticModel.write(dir, SyntheticModel.Spec.qwen2(3, 4, 2, 64, 128, 1000, 256));
        assertEquals(layout(fixture("qwen2-tiny")), layout(dir));
        JsonNode expected = JSON.readTree(fixture("qwen2-tiny").resolve("config.json").toFile());
        JsonNode actual = JSON.readTree(dir.resolve("config.json").toFile());
        for (String key : new String[] {"model_type", "architectures", "hidden_size", "intermediate_size",
                "num_attention_heads", "num_key_value_heads", "num_hidden_layers", "max_position_embeddings",
                "vocab_size", "hidden_act", "tie_word_embeddings", "rms_norm_eps", "use_sliding_window",
                "attention_dropout"}) {
            assertEquals(expected.get(key), actual.get(key), key);
        }
        assertEquals(expected.get("rope_parameters").get("rope_theta"), actual.get("rope_theta"));
        assertTrue(!actual.has("head_dim"), "Qwen2Config has no head_dim: hidden / heads");
        try (dev.headlight.engine.Model synthetic = dev.headlight.engine.Model.open(dir);
             dev.headlight.engine.Model reference = dev.headlight.engine.Model.open(fixture("qwen2-tiny"))) {
            assertEquals(reference.config().rope().theta(), synthetic.config().rope().theta());
            assertEquals(reference.config().attentionBias(), synthetic.config().attentionBias());
            assertEquals(reference.info().parameters(), synthetic.info().parameters());
        }
    }

    @Test
    void qwen2TokenizerIsLaidOutAsQwen2s() throws Exception {
        int vocab = 1000;
        SyntheticModel.write(dir, SyntheticModel.Spec.qwen2(1, 2, 1, 32, 48, vocab, 64));
        JsonNode expected = JSON.readTree(fixture("qwen2-tiny").resolve("tokenizer.json").toFile());
        JsonNode actual = JSON.readTree(dir.resolve("tokenizer.json").toFile());
        for (String key : new String[] {"normalizer", "pre_tokenizer", "post_processor", "decoder"}) {
            assertEquals(expected.get(key), actual.get(key), key);
        }
        // the same special tokens with the same flags; ids after the vocabulary as in Qwen2 (151643..151645),
        // where the tiny fixture put them first
        assertEquals(expected.get("added_tokens").size(), actual.get("added_tokens").size());
        for (int i = 0; i < expected.get("added_tokens").size(); i++) {
            com.fasterxml.jackson.databind.node.ObjectNode e = expected.get("added_tokens").get(i).deepCopy();
            com.fasterxml.jackson.databind.node.ObjectNode a = actual.get("added_tokens").get(i).deepCopy();
            assertEquals(vocab - 3 + i, a.remove("id").asInt());
            e.remove("id");
            assertEquals(e, a);
        }
        JsonNode model = actual.get("model");
        assertEquals(vocab - 3, model.get("vocab").size());
        assertEquals(vocab - 3 - 256, model.get("merges").size());
        JsonNode config = JSON.readTree(dir.resolve("config.json").toFile());
        assertEquals(vocab - 3, config.get("eos_token_id").asInt()); // <|endoftext|>, as Qwen2's 151643
        try (dev.headlight.engine.Model m = dev.headlight.engine.Model.open(dir)) {
            dev.headlight.format.tokenizer.Tokenizer tokenizer = m.tokenizer();
            assertEquals(vocab, tokenizer.vocabSize());
            assertEquals(vocab - 3, tokenizer.tokenToId("<|endoftext|>"));
            assertEquals(vocab - 1, tokenizer.tokenToId("<|im_end|>"));
            String text = "Hello, world! 12345 <|im_start|>user";
            int[] ids = tokenizer.encode(text).ids();
            assertEquals(text, tokenizer.decode(ids, false));
            assertTrue(java.util.Arrays.stream(ids).anyMatch(id -> id == vocab - 2), "<|im_start|> is one token");
        }
    }

    @Test
    void qwen2ModelRunsWithItsBiasesAndTiedHead() throws IOException {
        SyntheticModel.write(dir, SyntheticModel.Spec.qwen2(2, 4, 2, 32, 48, 400, 64).withDtype(DType.BF16)
                .withRopeTheta(5e5));
        try (dev.headlight.engine.Model m = dev.headlight.engine.Model.open(dir)) {
            assertEquals("Qwen2ForCausalLM", m.info().architecture());
            assertEquals("BF16", m.info().weightsDType());
            assertEquals(5e5, m.config().rope().theta());
            assertTrue(m.config().tieWordEmbeddings());
            int[] ids = m.tokenizer().encode("a b c d").ids();
            dev.headlight.engine.Trace trace = m.run(ids, dev.headlight.engine.RunOptions.exact());
            assertEquals(ids.length * 400, trace.logits().length);
            for (float v : trace.logits()) {
                assertTrue(Float.isFinite(v));
            }
        }
    }

    @Test
    void weightsFollowTheHuggingFaceInitialisation() throws IOException {
        SyntheticModel.write(dir, SyntheticModel.Spec.gpt2(2, 2, 64, 300, 32).withSeed(5));
        try (TensorStore store = TensorStore.open(dir)) {
            float[] w = store.tensor("transformer.h.1.mlp.c_fc.weight").toFloats();
            double sum = 0;
            double squares = 0;
            for (float v : w) {
                sum += v;
                squares += (double) v * v;
            }
            double mean = sum / w.length;
            double std = Math.sqrt(squares / w.length - mean * mean);
            assertEquals(0, mean, 0.002);
            assertEquals(0.02, std, 0.001);
            float[] proj = store.tensor("transformer.h.1.mlp.c_proj.weight").toFloats();
            double projSquares = 0;
            for (float v : proj) {
                projSquares += (double) v * v;
            }
            assertEquals(0.02 / Math.sqrt(4), Math.sqrt(projSquares / proj.length), 0.001);
            for (float v : store.tensor("transformer.h.0.ln_1.weight").toFloats()) {
                assertEquals(1f, v);
            }
            for (float v : store.tensor("transformer.h.0.attn.c_attn.bias").toFloats()) {
                assertEquals(0f, v);
            }
        }
    }

    @Test
    void bf16IsTheRoundedFloat32OfTheSameSeed() throws IOException {
        Path f32 = dir.resolve("f32");
        Path bf16 = dir.resolve("bf16");
        SyntheticModel.Spec spec = SyntheticModel.Spec.gpt2(1, 2, 32, 260, 16).withSeed(9);
        SyntheticModel.write(f32, spec);
        SyntheticModel.write(bf16, spec.withDtype(DType.BF16));
        try (TensorStore a = TensorStore.open(f32); TensorStore b = TensorStore.open(bf16)) {
            Tensor wa = a.tensor("transformer.wte.weight");
            Tensor wb = b.tensor("transformer.wte.weight");
            assertEquals(DType.BF16, wb.dtype());
            float[] fa = wa.toFloats();
            float[] fb = wb.toFloats();
            for (int i = 0; i < fa.length; i++) {
                float rounded = Float.intBitsToFloat(SafetensorsWriter.toBFloat16(fa[i]) << 16);
                assertEquals(rounded, fb[i], "element " + i);
            }
        }
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() throws IOException {
        SyntheticModel.Spec spec = SyntheticModel.Spec.gpt2(1, 2, 32, 260, 16);
        SyntheticModel.write(dir.resolve("a"), spec.withSeed(1));
        SyntheticModel.write(dir.resolve("b"), spec.withSeed(1));
        SyntheticModel.write(dir.resolve("c"), spec.withSeed(2));
        byte[] a = Files.readAllBytes(dir.resolve("a/model.safetensors"));
        assertArrayEquals(a, Files.readAllBytes(dir.resolve("b/model.safetensors")));
        assertTrue(!java.util.Arrays.equals(a, Files.readAllBytes(dir.resolve("c/model.safetensors"))));
    }

    @Test
    void tokenizerIsACompleteByteLevelBpe() throws IOException {
        int vocab = 1000;
        SyntheticModel.write(dir, SyntheticModel.Spec.gpt2(1, 2, 32, vocab, 16));
        JsonNode t = JSON.readTree(dir.resolve("tokenizer.json").toFile());
        JsonNode model = t.get("model");
        assertEquals("BPE", model.get("type").asText());
        assertEquals("ByteLevel", t.get("pre_tokenizer").get("type").asText());
        JsonNode vocabNode = model.get("vocab");
        assertEquals(vocab, vocabNode.size());
        Set<Integer> ids = new HashSet<>();
        vocabNode.fields().forEachRemaining(e -> ids.add(e.getValue().asInt()));
        assertEquals(vocab, ids.size());
        assertTrue(ids.stream().allMatch(id -> id >= 0 && id < vocab));
        // every byte has a token: GPT-2's byte-to-unicode map
        for (String symbol : ByteLevelTokenizer.byteSymbols()) {
            assertTrue(vocabNode.has(symbol), symbol);
        }
        assertEquals(0, vocabNode.get("!").asInt());   // as in GPT-2
        // every merge joins two known tokens into a known, later token
        JsonNode merges = model.get("merges");
        assertEquals(vocab - 257, merges.size());
        for (JsonNode m : merges) {
            String left = m.get(0).asText();
            String right = m.get(1).asText();
            assertTrue(vocabNode.has(left) && vocabNode.has(right) && vocabNode.has(left + right), m.toString());
            assertTrue(vocabNode.get(left + right).asInt() > vocabNode.get(left).asInt());
        }
        JsonNode special = t.get("added_tokens").get(0);
        assertEquals("<|endoftext|>", special.get("content").asText());
        assertEquals(vocab - 1, special.get("id").asInt());
        assertEquals(vocab - 1, vocabNode.get("<|endoftext|>").asInt());
        assertEquals(vocab - 1, JSON.readTree(dir.resolve("config.json").toFile()).get("eos_token_id").asInt());
    }

    @Test
    void largeVocabulariesGetLongerMerges() {
        // more ids than 256 x 256 two-symbol merges: the generator goes on with three-symbol tokens
        ByteLevelTokenizer.Bpe bpe = ByteLevelTokenizer.generate(70_000);
        assertEquals(70_000, bpe.tokens().size());
        assertEquals(70_000, new HashSet<>(bpe.tokens()).size());
        assertEquals(3, bpe.tokens().get(69_998).length());
    }

    @Test
    void gpt2SmallHasTheSizeOfHuggingFaceGpt2() {
        // HF gpt2: 124,439,808 parameters
        assertEquals(124_439_808L, SyntheticModel.Spec.gpt2Small().parameterCount());
    }

    @Test
    void badSpecsAreRejectedWithAReason() {
        assertThrows(IllegalArgumentException.class, () -> SyntheticModel.Spec.gpt2(1, 5, 64, 300, 16));
        assertThrows(IllegalArgumentException.class, () -> SyntheticModel.Spec.gpt2(1, 2, 64, 100, 16));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SyntheticModel.Spec("bert", 1, 1, 1, 8, 8, 300, 8, DType.F32, 0));
        assertTrue(e.getMessage().contains("bert"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SyntheticModel.Spec.qwen2(1, 2, 1, 32, 48, 258, 16));
        assertThrows(IllegalArgumentException.class,
                () -> SyntheticModel.Spec.llama(1, 2, 1, 32, 48, 300, 16).withRopeTheta(-1));
    }

    @Test
    void qwen2_05bHasTheSizeOfHuggingFaceQwen2_05b() {
        // Qwen/Qwen2-0.5B: 494,032,768 parameters (tied embeddings counted once) = 151936 x 896 embeddings
        // + 24 x (q 896x896+896, k and v 128x896+128, o 896x896, mlp 3 x 896x4864, 2 norms 896) + final norm 896
        assertEquals(494_032_768L, SyntheticModel.Spec.qwen2(24, 14, 2, 896, 4864, 151936, 131072).parameterCount());
    }
}
