package dev.headlight.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attention maps a memory budget did not keep are recomputed from the residual stream: on every fixture (every
 * family) they equal the maps a pass with room for everything stored, and Hugging Face's reference attentions
 * within 1e-4. "Equal" is within 1e-6 for float32 (one pass differs from the next by a float32 ulp or so while
 * the JIT replaces the Vector API's fallback code by intrinsics) and within one float16 step for the display maps.
 */
class RecomputeParityTest {
    static final float FLOAT32_TOLERANCE = 1e-6f;

    /** One float16 step at {@code v}: 2^(exponent - 10), subnormals 2^-24. */
    static float float16Step(float v) {
        int exponent = Math.max(Math.getExponent(Math.abs(v)), -14);
        return Math.scalb(1f, exponent - 10);
    }

    static void assertSameMaps(float[] stored, float[] recomputed, boolean compact, String what) {
        assertEquals(stored.length, recomputed.length, what);
        for (int i = 0; i < stored.length; i++) {
            float allowed = compact ? float16Step(Math.max(stored[i], recomputed[i])) : FLOAT32_TOLERANCE;
            if (Math.abs(stored[i] - recomputed[i]) > allowed) {
                throw new AssertionError(what + ": entry " + i + " stored " + stored[i] + ", recomputed "
                        + recomputed[i]);
            }
        }
    }

    static List<String> fixtures() {
        return Fixtures.names();
    }

    /** A budget with room for exactly one layer: nothing is kept, every layer is recomputed when read. */
    static long oneLayer(Model model, int tokens, boolean compact) {
        return AttentionMaps.bytesPerLayer(model.info().heads(), tokens, compact);
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void recomputedMapsEqualStoredOnesAndTheReference(String name) {
        Fixtures.Reference ref = Fixtures.reference(name);
        int tokens = ref.inputIds().length;
        try (Model model = Model.open(Fixtures.modelFolder(name))) {
            for (boolean compact : new boolean[]{false, true}) {
                RunOptions all = (compact ? RunOptions.display() : RunOptions.exact())
                        .withAttentionBudget(AttentionMaps.UNBOUNDED);
                Trace stored = model.run(ref.inputIds(), all);
                Trace budgeted = model.run(ref.inputIds(), all.withAttentionBudget(oneLayer(model, tokens, compact)));
                AttentionMaps maps = budgeted.attentions();
                assertEquals(0, maps.keptLayers(), name);
                assertTrue(maps.recomputes());
                assertFalse(stored.attentions().recomputes());
                for (int l = 0; l < stored.layers(); l++) {
                    assertFalse(maps.isReady(l), "one slot: only the last recomputed layer is held");
                    for (int h = 0; h < stored.heads(); h++) {
                        assertSameMaps(stored.attentions().head(l, h), maps.head(l, h), compact,
                                name + " layer " + l + " head " + h + (compact ? " (float16)" : " (float32)"));
                    }
                    assertTrue(maps.isReady(l));
                }
                // everything else the pass captured does not depend on the budget
                assertTrue(Fixtures.maxAbsDiff(stored.residual(), budgeted.residual()) <= ParityTest.TOLERANCE);
                assertTrue(Fixtures.maxAbsDiff(stored.logits(), budgeted.logits()) <= ParityTest.TOLERANCE);
                if (!compact) {
                    float error = Fixtures.maxAbsDiff(maps.toFloats(), ref.attentions());
                    assertTrue(error <= ParityTest.ATTENTION_TOLERANCE,
                            name + " recomputed attentions off by " + error);
                }
            }
        }
    }

    /** Some layers kept, the rest recomputed: the engine stores exactly the kept ones. */
    @Test
    void aBudgetBetweenOneLayerAndAllKeepsTheFirstLayers() {
        Fixtures.Reference ref = Fixtures.reference("gemma2-tiny"); // 4 layers, sliding and global alternating
        try (Model model = Model.open(Fixtures.modelFolder("gemma2-tiny"))) {
            int tokens = ref.inputIds().length;
            long layer = oneLayer(model, tokens, true);
            Trace t = model.run(ref.inputIds(), RunOptions.display().withAttentionBudget(3 * layer));
            AttentionMaps maps = t.attentions();
            assertEquals(2, maps.keptLayers());
            assertEquals(1, maps.recomputedSlots());
            assertTrue(maps.isKept(1) && !maps.isKept(2));
            Trace all = model.run(ref.inputIds(), RunOptions.display().withAttentionBudget(AttentionMaps.UNBOUNDED));
            assertSameMaps(all.attentions().toFloats(), maps.toFloats(), true, "gemma2-tiny");
        }
    }

    /** Families without their own fixture: Mistral with a sliding window, Gemma (1). */
    @Test
    void mistralSlidingWindowAndGemmaRecomputeToo(@TempDir Path dir) {
        Path mistral = FolderCopies.copy("llama-tiny", dir.resolve("mistral"));
        FolderCopies.editConfig(mistral, c -> c.put("model_type", "mistral").put("sliding_window", 8));
        Path gemma = FolderCopies.copy("llama-tiny", dir.resolve("gemma"));
        FolderCopies.editConfig(gemma, c -> c.put("model_type", "gemma").put("hidden_activation", "gelu_pytorch_tanh")
                .put("tie_word_embeddings", false));
        int[] ids = Fixtures.reference("llama-tiny").inputIds();
        for (Path folder : new Path[]{mistral, gemma}) {
            try (Model model = Model.open(folder)) {
                Trace stored = model.run(ids, RunOptions.exact().withAttentionBudget(AttentionMaps.UNBOUNDED));
                Trace budgeted = model.run(ids, RunOptions.exact()
                        .withAttentionBudget(oneLayer(model, ids.length, false)));
                assertTrue(budgeted.attentions().recomputes());
                assertSameMaps(stored.attentions().toFloats(), budgeted.attentions().toFloats(), false,
                        model.info().family());
            }
        }
    }

    /** The hook a trace uses is public: any layer's attention from its residual input. */
    @Test
    void attentionOfLayerRecomputesFromTheResidualInput() {
        Fixtures.Reference ref = Fixtures.reference("qwen3-tiny");
        try (Model model = Model.open(Fixtures.modelFolder("qwen3-tiny"))) {
            Trace trace = model.run(ref.inputIds(), RunOptions.exact());
            int tokens = trace.tokens();
            int hidden = trace.hidden();
            for (int l = 0; l < trace.layers(); l++) {
                float[] in = Arrays.copyOfRange(trace.residual(), trace.residualOffset(l, 0),
                        trace.residualOffset(l + 1, 0));
                float[] before = in.clone();
                float[][] rows = new float[trace.heads() * tokens][];
                model.attentionOfLayer(l, in, tokens,
                        (head, query, probs, from) -> rows[head * tokens + query] =
                                Arrays.copyOfRange(probs, from, from + tokens));
                assertArrayEquals(before, in, "the residual input is left unchanged");
                for (int h = 0; h < trace.heads(); h++) {
                    float[] map = trace.attentions().head(l, h);
                    for (int q = 0; q < tokens; q++) {
                        assertNotNull(rows[h * tokens + q]);
                        assertSameMaps(Arrays.copyOfRange(map, q * tokens, (q + 1) * tokens), rows[h * tokens + q],
                                false, "layer " + l + " head " + h + " query " + q);
                    }
                }
            }
            assertThrows(IllegalArgumentException.class,
                    () -> model.attentionOfLayer(trace.layers(), new float[tokens * hidden], tokens,
                            (h, q, p, f) -> { }));
        }
    }

    /** A residual hook's change is what the trace records, so recomputed maps follow the patched stream. */
    @Test
    void recomputeFollowsAPatchedResidualStream() {
        Fixtures.Reference ref = Fixtures.reference("llama-tiny");
        try (Model model = Model.open(Fixtures.modelFolder("llama-tiny"))) {
            RunOptions patch = RunOptions.exact().withResidualHook((layer, residual, tokens, hidden) -> {
                if (layer == 1) {
                    for (int i = 0; i < hidden; i++) {
                        residual[3 * hidden + i] *= -2f;
                    }
                }
            });
            Trace stored = model.run(ref.inputIds(), patch.withAttentionBudget(AttentionMaps.UNBOUNDED));
            Trace budgeted = model.run(ref.inputIds(), patch.withAttentionBudget(
                    oneLayer(model, ref.inputIds().length, false)));
            assertSameMaps(stored.attentions().toFloats(), budgeted.attentions().toFloats(), false, "patched");
            Trace plain = model.run(ref.inputIds(), RunOptions.exact());
            assertTrue(Fixtures.maxAbsDiff(plain.attentions().toFloats(), budgeted.attentions().toFloats()) > 1e-3f,
                    "the patch changes layer 1 and 2's maps");
        }
    }

    /** Passes that read no maps (interventions) store none; their logits are the same, a read still works. */
    @Test
    void withoutAttentionMapsNothingIsStoredAndTheRestIsTheSame() {
        Fixtures.Reference ref = Fixtures.reference("phi3-tiny");
        try (Model model = Model.open(Fixtures.modelFolder("phi3-tiny"))) {
            Trace plain = model.run(ref.inputIds(), RunOptions.display());
            Trace none = model.run(ref.inputIds(), RunOptions.display().withoutAttentionMaps());
            assertEquals(0, none.attentions().keptLayers());
            assertTrue(Fixtures.maxAbsDiff(plain.logits(), none.logits()) <= ParityTest.TOLERANCE);
            assertSameMaps(plain.attentions().head(1, 3), none.attentions().head(1, 3), true, "phi3-tiny 1.3");
        }
    }

    @Test
    void aPromptTooLongForTheBudgetIsRefusedBeforeThePass() {
        Fixtures.Reference ref = Fixtures.reference("gpt2-tiny");
        try (Model model = Model.open(Fixtures.modelFolder("gpt2-tiny"))) {
            long tooSmall = oneLayer(model, ref.inputIds().length, true) - 1;
            int[] layersRun = {0};
            AttentionMaps.TooLongException e = assertThrows(AttentionMaps.TooLongException.class,
                    () -> model.run(ref.inputIds(), RunOptions.display().withAttentionBudget(tooSmall)
                            .withProgress((done, total) -> layersRun[0]++)));
            assertEquals(0, layersRun[0]);
            assertTrue(e.getMessage().startsWith("The prompt of " + ref.inputIds().length + " tokens is too long"),
                    e.getMessage());
        }
    }
}
