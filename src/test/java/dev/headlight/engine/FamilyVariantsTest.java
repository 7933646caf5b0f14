package dev.headlight.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Families without their own fixture, checked against a fixture whose block they share. */
class FamilyVariantsTest {

    /** Mistral's block is Llama's: llama-tiny relabelled "mistral" with no window matches the Llama reference. */
    @Test
    void mistralWithoutWindowIsLlama(@TempDir Path dir) throws Exception {
        Path copy = FolderCopies.copy("llama-tiny", dir.resolve("m"));
        FolderCopies.editConfig(copy, c -> c.put("model_type", "mistral").putNull("sliding_window"));
        Fixtures.Reference ref = Fixtures.reference("llama-tiny");
        try (Model model = Model.open(copy)) {
            assertEquals("mistral", model.info().family());
            Trace trace = model.run(ref.inputIds(), RunOptions.exact());
            assertTrue(Fixtures.maxAbsDiff(trace.logits(), ref.logits()) <= ParityTest.TOLERANCE);
            assertTrue(Fixtures.maxAbsDiff(trace.attentions().toFloats(), ref.attentions())
                    <= ParityTest.ATTENTION_TOLERANCE);
        }
    }

    /**
     * With sliding_window 8 each query sees itself and the 7 keys before it; the first 8 positions cannot tell
     * the difference, so their residual stream equals the Llama reference's.
     */
    @Test
    void mistralSlidingWindow(@TempDir Path dir) {
        int window = 8;
        Path copy = FolderCopies.copy("llama-tiny", dir.resolve("m"));
        FolderCopies.editConfig(copy, c -> c.put("model_type", "mistral").put("sliding_window", window));
        Fixtures.Reference ref = Fixtures.reference("llama-tiny");
        try (Model model = Model.open(copy)) {
            Trace trace = model.run(ref.inputIds(), RunOptions.exact());
            int tokens = trace.tokens();
            for (int l = 0; l < trace.layers(); l++) {
                for (int h = 0; h < trace.heads(); h++) {
                    for (int q = 0; q < tokens; q++) {
                        double sum = 0;
                        for (int k = 0; k < tokens; k++) {
                            float p = trace.attentions().get(l, h, q, k);
                            sum += p;
                            if (k > q || k <= q - window) {
                                assertEquals(0f, p);
                            }
                        }
                        assertEquals(1.0, sum, 1e-5);
                    }
                }
            }
            int hidden = trace.hidden();
            for (int l = 0; l <= trace.layers(); l++) {
                for (int t = 0; t < window; t++) {
                    for (int i = 0; i < hidden; i++) {
                        int at = trace.residualOffset(l, t) + i;
                        assertEquals(ref.residual()[at], trace.residual()[at], ParityTest.TOLERANCE);
                    }
                }
            }
            assertTrue(Fixtures.maxAbsDiff(trace.logits(), ref.logits()) > 1e-3f); // later positions do differ
        }
    }

    /** "linear" rope scaling with factor 1 is the default rotary embedding: Qwen2 parity holds. */
    @Test
    void linearRopeWithFactorOneIsDefault(@TempDir Path dir) {
        Path copy = FolderCopies.copy("qwen2-tiny", dir.resolve("m"));
        FolderCopies.editConfig(copy, c -> ((com.fasterxml.jackson.databind.node.ObjectNode) c.get("rope_parameters"))
                .put("rope_type", "linear").put("factor", 1.0));
        Fixtures.Reference ref = Fixtures.reference("qwen2-tiny");
        try (Model model = Model.open(copy)) {
            Trace trace = model.run(ref.inputIds(), RunOptions.exact());
            assertTrue(Fixtures.maxAbsDiff(trace.logits(), ref.logits()) <= ParityTest.TOLERANCE);
        }
    }

    /**
     * Gemma (1) is the Llama block with embeddings scaled by sqrt(hidden), (1 + w) RMSNorms and GeGLU. llama-tiny
     * relabelled "gemma" with its embeddings divided by sqrt(64) = 8 (exact), every norm weight stored as w - 1,
     * and the MLP activation set to silu computes the same function, so it must match the Llama reference.
     */
    @Test
    void gemmaBlockIsLlamaWithScaledEmbeddingsAndOnePlusNorms(@TempDir Path dir) {
        Path copy = FolderCopies.copyRewritingWeights("llama-tiny", dir.resolve("g"), (tensor, writer) -> {
            float[] values = tensor.toFloats();
            if (tensor.name().equals("model.embed_tokens.weight")) {
                for (int i = 0; i < values.length; i++) {
                    values[i] /= 8f;
                }
            } else if (tensor.name().endsWith("norm.weight")) {
                for (int i = 0; i < values.length; i++) {
                    values[i] -= 1f;
                }
            }
            writer.addFloat32(tensor.name(), values, tensor.shape());
        });
        FolderCopies.editConfig(copy, c -> c.put("model_type", "gemma").put("hidden_activation", "silu")
                .put("tie_word_embeddings", false));
        Fixtures.Reference ref = Fixtures.reference("llama-tiny");
        try (Model model = Model.open(copy)) {
            assertEquals("gemma", model.info().family());
            Trace trace = model.run(ref.inputIds(), RunOptions.exact());
            assertTrue(Fixtures.maxAbsDiff(trace.residual(), ref.residual()) <= ParityTest.TOLERANCE);
            assertTrue(Fixtures.maxAbsDiff(trace.logits(), ref.logits()) <= ParityTest.TOLERANCE);
            assertTrue(Fixtures.maxAbsDiff(trace.attentions().toFloats(), ref.attentions())
                    <= ParityTest.ATTENTION_TOLERANCE);
        }
    }

    /**
     * Phi-3 longrope uses short_factor while the input is within original_max_position_embeddings; with short
     * factors of 1 and max = original (attention factor 1) it is the default rotary embedding.
     */
    @Test
    void phi3LongropeWithinTheOriginalLength(@TempDir Path dir) {
        Path copy = FolderCopies.copy("phi3-tiny", dir.resolve("m"));
        FolderCopies.editConfig(copy, c -> {
            com.fasterxml.jackson.databind.node.ObjectNode rope =
                    (com.fasterxml.jackson.databind.node.ObjectNode) c.get("rope_parameters");
            rope.put("rope_type", "longrope");
            com.fasterxml.jackson.databind.node.ArrayNode shortFactor = rope.putArray("short_factor");
            com.fasterxml.jackson.databind.node.ArrayNode longFactor = rope.putArray("long_factor");
            for (int i = 0; i < 8; i++) {
                shortFactor.add(1.0);
                longFactor.add(4.0 + i);
            }
        });
        Fixtures.Reference ref = Fixtures.reference("phi3-tiny");
        try (Model model = Model.open(copy)) {
            Trace trace = model.run(ref.inputIds(), RunOptions.exact());
            assertTrue(Fixtures.maxAbsDiff(trace.logits(), ref.logits()) <= ParityTest.TOLERANCE);
        }
    }

    /**
     * Llama 3 scaling leaves frequencies whose wavelength is below original_max / high_freq_factor unchanged;
     * with original_max_position_embeddings 10^6 that is every frequency of llama-tiny, so parity holds.
     */
    @Test
    void llama3RopeLeavesHighFrequencies(@TempDir Path dir) {
        Path copy = FolderCopies.copy("llama-tiny", dir.resolve("m"));
        FolderCopies.editConfig(copy, c -> {
            c.remove("rope_parameters");
            c.put("rope_theta", 10000.0);
            c.putObject("rope_scaling").put("rope_type", "llama3").put("factor", 8.0).put("low_freq_factor", 1.0)
                    .put("high_freq_factor", 4.0).put("original_max_position_embeddings", 1_000_000);
        });
        Fixtures.Reference ref = Fixtures.reference("llama-tiny");
        try (Model model = Model.open(copy)) {
            Trace trace = model.run(ref.inputIds(), RunOptions.exact());
            assertTrue(Fixtures.maxAbsDiff(trace.logits(), ref.logits()) <= ParityTest.TOLERANCE);
        }
    }

    /** Concurrent runs on one model give the same results as one at a time. */
    @Test
    void concurrentRunsAreIndependent() throws Exception {
        Fixtures.Reference gpt2 = Fixtures.reference("gpt2-tiny");
        try (Model model = Model.open(Fixtures.modelFolder("gpt2-tiny"));
             ExecutorService pool = Executors.newFixedThreadPool(3)) {
            Trace alone = model.run(gpt2.inputIds(), RunOptions.exact());
            int[] shorter = java.util.Arrays.copyOf(gpt2.inputIds(), 7);
            Trace aloneShort = model.run(shorter, RunOptions.exact());
            Future<Trace> a = pool.submit(() -> model.run(gpt2.inputIds(), RunOptions.exact()));
            Future<Trace> b = pool.submit(() -> model.run(shorter, RunOptions.exact()));
            Future<Trace> c = pool.submit(() -> model.run(gpt2.inputIds(), RunOptions.exact()));
            assertArrayEquals(alone.logits(), a.get().logits());
            assertArrayEquals(aloneShort.logits(), b.get().logits());
            assertArrayEquals(alone.residual(), c.get().residual());
        }
    }
}
