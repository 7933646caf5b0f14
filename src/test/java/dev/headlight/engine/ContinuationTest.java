package dev.headlight.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pass that continues an earlier one (copies the positions the prompts share at the start, computes the rest)
 * gives what a whole pass gives, and so the Hugging Face reference.
 */
class ContinuationTest {

    static List<String> causalFixtures() {
        return Fixtures.names().stream().filter(n -> !n.startsWith("bert")).toList();
    }

    @ParameterizedTest
    @MethodSource("causalFixtures")
    void continuingEqualsAWholePassAndTheReference(String name) {
        Fixtures.Reference ref = Fixtures.reference(name);
        int[] ids = ref.inputIds();
        try (Model model = Model.open(Fixtures.modelFolder(name))) {
            Trace whole = model.run(ids, RunOptions.exact());
            // typed one token more; typed two more after a changed token; only the first token shared
            int[][] earlierPrompts = {
                    Arrays.copyOf(ids, ids.length - 1),
                    changedAt(ids, ids.length - 3),
                    changedAt(ids, 1)};
            int[] expectedReuse = {ids.length - 1, ids.length - 3, 1};
            for (int e = 0; e < earlierPrompts.length; e++) {
                Trace earlier = model.run(earlierPrompts[e], RunOptions.exact().withContinuation(null));
                assertNotNull(earlier.keyValues());
                assertEquals(0, earlier.reusedTokens());
                Trace continued = model.run(ids, RunOptions.exact().withContinuation(earlier));
                String what = name + " continuing " + earlierPrompts[e].length + " tokens";
                assertEquals(expectedReuse[e], continued.reusedTokens(), what);
                assertTrue(Fixtures.maxAbsDiff(whole.logits(), continued.logits()) < 1e-5, what + " logits");
                // the residual stream grows to ~100 in the llama fixtures: rounding of a different tiling, relative
                assertTrue(Fixtures.maxAbsDiff(whole.residual(), continued.residual()) < 1e-6 * maxAbs(whole.residual()),
                        what + " residual " + Fixtures.maxAbsDiff(whole.residual(), continued.residual()) + " of "
                                + maxAbs(whole.residual()));
                float[] attentions = continued.attentions().toFloats();
                float mapDiff = Fixtures.maxAbsDiff(whole.attentions().toFloats(), attentions);
                assertTrue(mapDiff < 1e-5, what + " maps " + mapDiff);
                assertTrue(Fixtures.maxAbsDiff(ref.attentions(), attentions) < 1e-4, what + " vs reference");
                assertTrue(Fixtures.maxAbsDiff(ref.logits(), continued.logits()) < 2e-3, what + " vs reference");
                // and a third pass can continue the continued one
                Trace again = model.run(ids, RunOptions.exact().withContinuation(continued));
                assertEquals(ids.length - 1, again.reusedTokens());
                assertTrue(Fixtures.maxAbsDiff(whole.logits(), again.logits()) < 1e-5, what + " twice");
            }
        }
    }

    @Test
    void mapsCopyAcrossStorageKindsAndBudgets() {
        int[] ids = Fixtures.reference("gpt2-tiny").inputIds();
        try (Model model = Model.open(Fixtures.modelFolder("gpt2-tiny"))) {
            Trace whole = model.run(ids, RunOptions.exact());
            Trace earlier = model.run(Arrays.copyOf(ids, ids.length - 1), RunOptions.exact().withContinuation(null));
            long oneLayer = AttentionMaps.bytesPerLayer(whole.heads(), ids.length, true);
            // float32 rows into float16 maps that keep one layer and recompute the others
            Trace continued = model.run(ids, RunOptions.display().withAttentionBudget(2 * oneLayer)
                    .withContinuation(earlier));
            assertEquals(ids.length - 1, continued.reusedTokens());
            assertTrue(continued.attentions().recomputes());
            float diff = Fixtures.maxAbsDiff(whole.attentions().toFloats(), continued.attentions().toFloats());
            assertTrue(diff < 1e-3, "float16 steps: " + diff); // float16 keeps ~3 decimal digits of a probability
            // float16 rows from a budgeted earlier pass (its unkept layers recomputed) into float32 maps
            Trace back = model.run(ids, RunOptions.exact().withContinuation(continued));
            assertEquals(ids.length - 1, back.reusedTokens());
            assertTrue(Fixtures.maxAbsDiff(whole.attentions().toFloats(), back.attentions().toFloats()) < 1e-3);
        }
    }

    @Test
    void slidingWindowsCountPositionsFromThePromptStart(@TempDir Path dir) {
        Path copy = FolderCopies.copy("llama-tiny", dir.resolve("m"));
        FolderCopies.editConfig(copy, c -> c.put("model_type", "mistral").put("sliding_window", 4));
        int[] ids = Fixtures.reference("llama-tiny").inputIds();
        try (Model model = Model.open(copy)) {
            Trace whole = model.run(ids, RunOptions.exact());
            Trace earlier = model.run(Arrays.copyOf(ids, ids.length - 2), RunOptions.exact().withContinuation(null));
            Trace continued = model.run(ids, RunOptions.exact().withContinuation(earlier));
            assertEquals(ids.length - 2, continued.reusedTokens());
            assertTrue(Fixtures.maxAbsDiff(whole.attentions().toFloats(), continued.attentions().toFloats()) < 1e-6);
            assertTrue(Fixtures.maxAbsDiff(whole.logits(), continued.logits()) < 1e-5);
        }
    }

    @Test
    void nothingIsReusedAcrossModelsEncodersHooksOrDifferentFirstTokens() {
        int[] ids = Fixtures.reference("gpt2-tiny").inputIds();
        try (Model model = Model.open(Fixtures.modelFolder("gpt2-tiny"));
             Model other = Model.open(Fixtures.modelFolder("gpt2-tiny"))) {
            Trace earlier = model.run(Arrays.copyOf(ids, ids.length - 1), RunOptions.display().withContinuation(null));
            assertEquals(0, other.run(ids, RunOptions.display().withContinuation(earlier)).reusedTokens());
            assertEquals(0, model.run(changedAt(ids, 0), RunOptions.display().withContinuation(earlier))
                    .reusedTokens());
            RunOptions hooked = RunOptions.display().withContinuation(earlier)
                    .withHeadHook((layer, outputs, tokens, heads, headDim) -> { });
            assertEquals(0, model.run(ids, hooked).reusedTokens());
            // the same prompt again: every position but the last is copied, the last is computed
            Trace same = model.run(Arrays.copyOf(ids, ids.length - 1), RunOptions.display().withContinuation(earlier));
            assertEquals(ids.length - 2, same.reusedTokens());
            assertNull(model.run(ids, RunOptions.display()).keyValues());
        }
        int[] bertIds = Fixtures.reference("bert-tiny").inputIds();
        try (Model bert = Model.open(Fixtures.modelFolder("bert-tiny"))) {
            Trace earlier = bert.run(Arrays.copyOf(bertIds, bertIds.length - 1),
                    RunOptions.display().withContinuation(null));
            assertNull(earlier.keyValues()); // an encoder's positions see later ones: nothing to continue from
            assertEquals(0, bert.run(bertIds, RunOptions.display().withContinuation(earlier)).reusedTokens());
        }
    }

    private static float maxAbs(float[] values) {
        float max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    /** ids with the one at {@code position} replaced by another valid id. */
    private static int[] changedAt(int[] ids, int position) {
        int[] out = ids.clone();
        out[position] = ids[position] == 5 ? 6 : 5;
        return out;
    }
}
