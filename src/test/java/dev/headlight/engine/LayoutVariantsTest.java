package dev.headlight.engine;

import dev.headlight.format.safetensors.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Other ways the same weights are stored: older hub key layouts and half-precision copies. */
class LayoutVariantsTest {

    /**
     * gpt2-tiny rewritten as older hub checkpoints store GPT-2: bare keys (h.0.attn.c_attn.weight, wte.weight,
     * no "transformer." prefix), no lm_head, and the legacy attn.bias / attn.masked_bias buffers.
     */
    @Test
    void gpt2HubLayoutWithBareKeysAndLegacyBuffers(@TempDir Path dir) {
        int positions = 128;
        float[] causal = new float[positions * positions]; // [1][1][P][P] lower-triangular ones
        for (int i = 0; i < positions; i++) {
            for (int j = 0; j <= i; j++) {
                causal[i * positions + j] = 1f;
            }
        }
        Path hub = FolderCopies.copyRewritingWeights("gpt2-tiny", dir.resolve("hub"), (tensor, writer) -> {
            String bare = tensor.name().replaceFirst("^transformer\\.", "");
            FolderCopies.addRaw(writer, bare, tensor);
            if (bare.matches("h\\.\\d+\\.ln_1\\.weight")) {
                String layer = bare.substring(0, bare.indexOf(".ln_1"));
                writer.addFloat32(layer + ".attn.bias", causal, 1, 1, positions, positions);
                writer.addFloat32(layer + ".attn.masked_bias", new float[]{-1e4f});
            }
        });
        Fixtures.Reference ref = Fixtures.reference("gpt2-tiny");
        try (Model original = Model.open(Fixtures.modelFolder("gpt2-tiny")); Model model = Model.open(hub)) {
            assertTrue(model.weights().contains("h.0.attn.c_attn.weight"));
            assertFalse(model.weights().contains("lm_head.weight"));
            long buffers = model.tensorMap().stream().filter(p -> p.component().equals("buffer")).count();
            assertEquals(2L * model.info().layers(), buffers);
            assertEquals(original.info().parameters(), model.info().parameters());

            Trace a = original.run(ref.inputIds(), RunOptions.exact());
            Trace b = model.run(ref.inputIds(), RunOptions.exact());
            assertArrayEquals(a.logits(), b.logits());
            assertArrayEquals(a.residual(), b.residual());
            assertArrayEquals(a.attentions().toFloats(), b.attentions().toFloats());
            assertTrue(Fixtures.maxAbsDiff(b.logits(), ref.logits()) <= ParityTest.TOLERANCE);
        }
    }

    /**
     * llama-tiny with every weight stored as float16. The engine reads f16 in place; its outputs must equal
     * those of the same rounded values stored as float32 (up to float32 summation order), and stay within a
     * tolerance of the float32 reference derived from the rounding: to first order the relative errors of the
     * weight matrices a signal passes through add up. The longest path crosses the embedding, two matrices in
     * each attention (v, o) and MLP (gate/up, down) per layer, and the unembedding: K = 4L + 2 roundings of
     * relative size 2^-11 each, so |error| <= K * 2^-11 * max |value|.
     */
    @Test
    void float16CopyMatchesWithinTheRounding(@TempDir Path dir) {
        Path f16 = FolderCopies.copyRewritingWeights("llama-tiny", dir.resolve("f16"), (tensor, writer) ->
                writer.addFloat16(tensor.name(), tensor.toFloats(), tensor.shape()));
        Path rounded = FolderCopies.copyRewritingWeights("llama-tiny", dir.resolve("rounded"), (tensor, writer) -> {
            float[] values = tensor.toFloats();
            for (int i = 0; i < values.length; i++) {
                values[i] = Float.float16ToFloat(Float.floatToFloat16(values[i]));
            }
            writer.addFloat32(tensor.name(), values, tensor.shape());
        });
        Fixtures.Reference ref = Fixtures.reference("llama-tiny");
        try (Model half = Model.open(f16); Model same = Model.open(rounded)) {
            assertEquals("F16", half.info().weightsDType());
            assertEquals(DType.F16, half.weights().info("model.layers.0.self_attn.q_proj.weight").dtype());
            Trace h = half.run(ref.inputIds(), RunOptions.exact());
            Trace s = same.run(ref.inputIds(), RunOptions.exact());
            assertTrue(Fixtures.maxAbsDiff(h.logits(), s.logits()) <= 1e-5f);
            assertTrue(Fixtures.maxAbsDiff(h.attentions().toFloats(), s.attentions().toFloats()) <= 1e-6f);

            double unit = Math.scalb(1.0, -11) * (4 * h.layers() + 2);
            float logitsTolerance = (float) (unit * maxAbs(ref.logits()));
            float residualTolerance = (float) (unit * maxAbs(ref.residual()));
            float logitsError = Fixtures.maxAbsDiff(h.logits(), ref.logits());
            float residualError = Fixtures.maxAbsDiff(h.residual(), ref.residual());
            System.out.printf("f16 llama-tiny: logits %.2e (tolerance %.2e), residual %.2e (tolerance %.2e)%n",
                    logitsError, logitsTolerance, residualError, residualTolerance);
            assertTrue(logitsError <= logitsTolerance, "logits off by " + logitsError);
            assertTrue(residualError <= residualTolerance, "residual off by " + residualError);
            // and the rounding does change something: the f16 path is not silently reading float32 bytes
            assertTrue(logitsError > 0);
        }
    }

    /**
     * A tied model whose file also stores an lm_head.weight: transformers ties the head to the embeddings, so the
     * stored matrix is ignored (placed as a buffer) and the outputs are the reference's.
     */
    @Test
    void tiedModelIgnoresAStoredHead(@TempDir Path dir) {
        Path copy = FolderCopies.copyRewritingWeights("qwen2-tiny", dir.resolve("m"), (tensor, writer) -> {
            FolderCopies.addRaw(writer, tensor.name(), tensor);
            if (tensor.name().equals("model.embed_tokens.weight")) {
                float[] noise = new float[(int) tensor.elementCount()];
                java.util.Random random = new java.util.Random(7);
                for (int i = 0; i < noise.length; i++) {
                    noise[i] = (float) random.nextGaussian();
                }
                writer.addFloat32("lm_head.weight", noise, tensor.shape());
            }
        });
        Fixtures.Reference ref = Fixtures.reference("qwen2-tiny");
        try (Model model = Model.open(copy)) {
            TensorPlacement head = model.tensorMap().stream().filter(p -> p.tensorName().equals("lm_head.weight"))
                    .findFirst().orElseThrow();
            assertEquals("buffer", head.component());
            assertTrue(model.config().tieWordEmbeddings());
            Trace trace = model.run(ref.inputIds(), RunOptions.exact());
            assertTrue(Fixtures.maxAbsDiff(trace.logits(), ref.logits()) <= ParityTest.TOLERANCE);
        }
    }

    /** Without tokenizer.json the folder still opens and runs on ids; asking for the tokenizer names the file. */
    @Test
    void folderWithoutTokenizerRunsOnIds(@TempDir Path dir) throws Exception {
        Path copy = FolderCopies.copy("qwen3-tiny", dir.resolve("m"));
        java.nio.file.Files.delete(copy.resolve("tokenizer.json"));
        Fixtures.Reference ref = Fixtures.reference("qwen3-tiny");
        try (Model model = Model.open(copy)) {
            assertFalse(model.hasTokenizer());
            dev.headlight.format.FormatException e = org.junit.jupiter.api.Assertions.assertThrows(
                    dev.headlight.format.FormatException.class, model::tokenizer);
            assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
            Trace trace = model.run(ref.inputIds(), RunOptions.exact());
            assertTrue(Fixtures.maxAbsDiff(trace.logits(), ref.logits()) <= ParityTest.TOLERANCE);
        }
    }

    private static float maxAbs(float[] values) {
        float max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }
}
