package dev.headlight.engine;

import dev.headlight.engine.kernel.Kernels;
import dev.headlight.engine.kernel.Matrix;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hooks, progress, cancellation and input checks of {@link Model#run}. */
class RunOptionsTest {

    @Test
    void zeroHeadHookChangesLogitsAndIdentityHookDoesNot() {
        Fixtures.Reference ref = Fixtures.reference("llama-tiny");
        try (Model model = Model.open(Fixtures.modelFolder("llama-tiny"))) {
            Trace plain = model.run(ref.inputIds(), RunOptions.exact());
            AtomicInteger calls = new AtomicInteger();
            Trace identity = model.run(ref.inputIds(), RunOptions.exact().withHeadHook(
                    (layer, out, tokens, heads, headDim) -> {
                        assertEquals(ref.inputIds().length * heads * headDim, out.length);
                        calls.incrementAndGet();
                    }));
            assertEquals(model.info().layers(), calls.get());
            assertArrayEquals(plain.logits(), identity.logits());

            Trace zeroed = model.run(ref.inputIds(), RunOptions.exact().withHeadHook(
                    (layer, out, tokens, heads, headDim) -> Arrays.fill(out, 0f)));
            assertTrue(Fixtures.maxAbsDiff(plain.logits(), zeroed.logits()) > 1e-3f);
            // attention probabilities of layer 0 are computed before any hook acts
            assertArrayEquals(plain.attentions().head(0, 0), zeroed.attentions().head(0, 0));
        }
    }

    @Test
    void ablatingOneHeadOnlyChangesLaterLayers() {
        Fixtures.Reference ref = Fixtures.reference("gpt2-tiny");
        try (Model model = Model.open(Fixtures.modelFolder("gpt2-tiny"))) {
            Trace plain = model.run(ref.inputIds(), RunOptions.exact());
            Trace ablated = model.run(ref.inputIds(), RunOptions.exact().withHeadHook(
                    (layer, out, tokens, heads, headDim) -> {
                        if (layer == 1) {
                            for (int t = 0; t < tokens; t++) {
                                Arrays.fill(out, (t * heads + 2) * headDim, (t * heads + 3) * headDim, 0f);
                            }
                        }
                    }));
            int block = plain.tokens() * plain.hidden();
            assertArrayEquals(Arrays.copyOf(plain.residual(), 2 * block), Arrays.copyOf(ablated.residual(), 2 * block));
            assertFalse(Arrays.equals(plain.logits(), ablated.logits()));
        }
    }

    @Test
    void residualHookSeesEveryLayerAndCanPatch() {
        Fixtures.Reference ref = Fixtures.reference("qwen3-tiny");
        try (Model model = Model.open(Fixtures.modelFolder("qwen3-tiny"))) {
            int layers = model.info().layers();
            List<Integer> seen = new ArrayList<>();
            Trace plain = model.run(ref.inputIds(), RunOptions.exact().withResidualHook(
                    (layer, residual, tokens, hidden) -> seen.add(layer)));
            List<Integer> expected = new ArrayList<>();
            for (int l = 0; l <= layers; l++) {
                expected.add(l);
            }
            assertEquals(expected, seen);
            // patching the final residual changes the logits exactly as the output head says
            Trace patched = model.run(ref.inputIds(), RunOptions.exact().withResidualHook(
                    (layer, residual, tokens, hidden) -> {
                        if (layer == layers) {
                            Arrays.fill(residual, 0, hidden, 1f);
                        }
                    }));
            int tokens = plain.tokens();
            int hidden = plain.hidden();
            float[] last = Arrays.copyOfRange(patched.residual(), layers * tokens * hidden, (layers + 1) * tokens * hidden);
            for (int i = 0; i < hidden; i++) {
                assertEquals(1f, last[i]);
            }
            assertArrayEquals(model.outputHead(last, tokens), patched.logits());
            assertFalse(Arrays.equals(plain.logits(), patched.logits()));
        }
    }

    @Test
    void progressAfterEachLayerAndCancellation() {
        Fixtures.Reference ref = Fixtures.reference("gemma2-tiny");
        try (Model model = Model.open(Fixtures.modelFolder("gemma2-tiny"))) {
            List<String> progress = new ArrayList<>();
            model.run(ref.inputIds(), RunOptions.exact().withProgress((done, total) -> progress.add(done + "/" + total)));
            assertEquals(List.of("1/4", "2/4", "3/4", "4/4"), progress);

            AtomicInteger layersDone = new AtomicInteger();
            RunOptions cancelAfterTwo = RunOptions.exact()
                    .withProgress((done, total) -> layersDone.set(done))
                    .withCancellation(() -> layersDone.get() >= 2);
            assertThrows(CancellationException.class, () -> model.run(ref.inputIds(), cancelAfterTwo));
            assertEquals(2, layersDone.get());
        }
    }

    @Test
    void compactAttentionIsHalfPrecisionOfTheExactMaps() {
        Fixtures.Reference ref = Fixtures.reference("phi3-tiny");
        try (Model model = Model.open(Fixtures.modelFolder("phi3-tiny"))) {
            Trace exact = model.run(ref.inputIds(), RunOptions.exact());
            Trace compact = model.run(ref.inputIds(), RunOptions.display());
            assertTrue(compact.attentions().isCompact());
            float[] e = exact.attentions().toFloats();
            float[] c = compact.attentions().toFloats();
            for (int i = 0; i < e.length; i++) {
                assertEquals(Float.float16ToFloat(Float.floatToFloat16(e[i])), c[i]);
            }
            assertArrayEquals(exact.logits(), compact.logits());
        }
    }

    @Test
    void tooLongPromptAndBadIdsAreRefused() {
        try (Model model = Model.open(Fixtures.modelFolder("gpt2-tiny"))) {
            int max = model.info().maxPositions();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.run(new int[max + 1], RunOptions.exact()));
            assertTrue(e.getMessage().contains(Integer.toString(max)), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> model.run(new int[]{model.info().vocab()},
                    RunOptions.exact()));
            assertThrows(IllegalArgumentException.class, () -> model.run(new int[0], RunOptions.exact()));
            model.run(new int[max], RunOptions.display()); // the longest accepted prompt runs
        }
    }

    /** Per-head projections sum to the output projection of the concatenated heads (minus its bias). */
    @Test
    void headProjectionsSumToTheOutputProjection() {
        for (String fixture : List.of("gpt2-tiny", "llama-tiny-bf16-sharded", "gpt-neox-tiny")) {
            Fixtures.Reference ref = Fixtures.reference(fixture);
            try (Model model = Model.open(Fixtures.modelFolder(fixture))) {
                int layer = 1;
                float[][] captured = new float[1][];
                model.run(ref.inputIds(), RunOptions.exact().withHeadHook((l, out, tokens, heads, headDim) -> {
                    if (l == layer) {
                        captured[0] = out.clone();
                    }
                }));
                ModelInfo info = model.info();
                int tokens = ref.inputIds().length;
                int hd = info.headDim();
                float[] sum = new float[tokens * info.hidden()];
                for (int h = 0; h < info.heads(); h++) {
                    float[] one = new float[tokens * hd];
                    for (int t = 0; t < tokens; t++) {
                        System.arraycopy(captured[0], (t * info.heads() + h) * hd, one, t * hd, hd);
                    }
                    float[] projected = model.projectHeadOutput(layer, h, one, tokens);
                    for (int i = 0; i < sum.length; i++) {
                        sum[i] += projected[i];
                    }
                }
                TensorPlacement o = model.tensorMap().stream()
                        .filter(p -> p.layer() == layer && p.component().equals("attn.o")).findFirst().orElseThrow();
                Matrix w = Matrix.of(model.weights().tensor(o.tensorName()));
                float[] full = new float[tokens * info.hidden()];
                boolean conv1d = o.headSlices().getFirst().axis() == TensorPlacement.Axis.ROWS;
                if (conv1d) {
                    Kernels.best().linearInOut(captured[0], tokens, w, null, full);
                } else {
                    Kernels.best().linear(captured[0], tokens, w, null, full);
                }
                assertTrue(Fixtures.maxAbsDiff(sum, full) < 1e-4f, fixture);
            }
        }
    }
}
