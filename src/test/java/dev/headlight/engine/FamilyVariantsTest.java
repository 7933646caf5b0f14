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
