package dev.headlight.analysis.circuits;

import dev.headlight.analysis.Fixtures;
import dev.headlight.engine.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every family fixture: the factored scores equal the slow direct ones ({@link DirectCircuits}: tensors read by
 * their Hugging Face names, norms folded by hand, full [d_model, d_model] circuits in float64) within 1e-6.
 */
class CircuitsFixtureTest {
    static final double TOLERANCE = 1e-6;

    @ParameterizedTest
    @CsvSource({
            "gpt2-tiny, gpt2",                 // Conv1D, fused c_attn, tied, learned positions
            "llama-tiny, llama",               // GQA 4/2, untied
            "llama-tiny-bf16-sharded, llama",  // bf16 weights in shards
            "qwen2-tiny, qwen2",               // q/k/v biases (ignored), tied, GQA
            "qwen3-tiny, qwen3",               // q_norm / k_norm folded, head_dim != hidden / heads
            "gpt-neox-tiny, gpt_neox",         // fused qkv per head, untied embed_out
            "gemma2-tiny, gemma2",             // (1 + w) norms, post-attention norm into W_O
            "phi3-tiny, phi3",                 // fused qkv_proj rows
            "bert-tiny, bert"                  // nothing folded, no copying score
    })
    void factoredScoresEqualTheDirectDefinitions(String fixture, String family) {
        try (Model model = Model.open(Fixtures.model(fixture))) {
            var c = model.config();
            HeadCircuits circuits = HeadCircuits.of(model);
            try (DirectCircuits direct = new DirectCircuits(Fixtures.model(fixture), family, c.layers(), c.heads(),
                    c.kvHeads(), c.headDim(), c.hidden())) {
                HeadCircuits.Composition[][][][] all = circuits.compositionAll(null, null);
                // the K-only table (the training timeline's) on a fresh instance: nothing shared with the full one
                double[][][][] kOnly = HeadCircuits.of(model).kCompositionAll(null, null);
                int compared = 0;
                for (int l1 = 0; l1 < c.layers(); l1++) {
                    for (int h1 = 0; h1 < c.heads(); h1++) {
                        for (int l2 = l1 + 1; l2 < c.layers(); l2++) {
                            for (int h2 = 0; h2 < c.heads(); h2++) {
                                HeadCircuits.Composition s = all[l1][h1][l2][h2];
                                String at = fixture + " " + l1 + "." + h1 + " -> " + l2 + "." + h2;
                                assertEquals(direct.q(l1, h1, l2, h2), s.q().orElseThrow(), TOLERANCE, at + " Q");
                                assertEquals(direct.k(l1, h1, l2, h2), s.k().orElseThrow(), TOLERANCE, at + " K");
                                assertEquals(direct.v(l1, h1, l2, h2), s.v().orElseThrow(), TOLERANCE, at + " V");
                                assertEquals(s.k().orElseThrow(), kOnly[l1][h1][l2][h2], 1e-9, at + " K only");
                                compared++;
                            }
                        }
                    }
                }
                assertTrue(compared > 0);
                for (int l1 = 0; l1 < c.layers(); l1++) {
                    for (int l2 = 0; l2 <= l1; l2++) {
                        assertTrue(Double.isNaN(kOnly[l1][0][l2][0]), "no K score from a layer into itself or back");
                    }
                }
                HeadCircuits.Copying[][] copying = circuits.copyingAll(null, null);
                for (int l = 0; l < c.layers(); l++) {
                    for (int h = 0; h < c.heads(); h++) {
                        if (family.equals("bert")) {
                            assertFalse(copying[l][h].score().isPresent(), "BERT has no linear unembedding");
                        } else {
                            assertEquals(direct.copying(l, h), copying[l][h].score().orElseThrow(), TOLERANCE,
                                    fixture + " copying " + l + "." + h);
                        }
                    }
                }
                // one head's row and column (computed apart from the table) equal the direct definitions: a middle
                // layer's (row and column), then the last layer's (a column over every earlier layer, which reuses
                // the reader's rooted factors and their packed copy from one earlier layer to the next)
                for (int layer : new int[]{c.layers() > 2 ? 1 : 0, c.layers() - 1}) {
                    List<HeadCircuits.Composition> rowAndColumn = circuits.compositionOf(layer, 1);
                    assertEquals((c.layers() - 1) * c.heads(), rowAndColumn.size());
                    for (HeadCircuits.Composition s : rowAndColumn) {
                        assertTrue(s.fromLayer() == layer && s.fromHead() == 1
                                || s.toLayer() == layer && s.toHead() == 1);
                        int l1 = s.fromLayer();
                        int h1 = s.fromHead();
                        int l2 = s.toLayer();
                        int h2 = s.toHead();
                        String at = fixture + " row/column " + l1 + "." + h1 + " -> " + l2 + "." + h2;
                        assertEquals(direct.q(l1, h1, l2, h2), s.q().orElseThrow(), TOLERANCE, at + " Q");
                        assertEquals(direct.k(l1, h1, l2, h2), s.k().orElseThrow(), TOLERANCE, at + " K");
                        assertEquals(direct.v(l1, h1, l2, h2), s.v().orElseThrow(), TOLERANCE, at + " V");
                    }
                }
            }
        }
    }

    static final java.nio.file.Path INDUCTION = java.nio.file.Path.of("sample-models/induction-2l");

    @Test
    void copyingEqualsTheFullVocabularyCircuitsEigenvalues() {
        try (Model model = Model.open(INDUCTION)) {
            var c = model.config();
            HeadCircuits circuits = HeadCircuits.of(model);
            try (DirectCircuits direct = new DirectCircuits(INDUCTION, "gpt2", c.layers(), c.heads(), c.kvHeads(),
                    c.headDim(), c.hidden())) {
                for (int l = 0; l < c.layers(); l++) {
                    for (int h = 0; h < c.heads(); h++) {
                        // the [vocab, vocab] = [63, 63] matrix W_E W_OV W_U, eigenvalues by EJML
                        assertEquals(direct.copyingFullVocab(l, h), circuits.copying(l, h).score().orElseThrow(),
                                TOLERANCE, l + "." + h);
                    }
                }
            }
        }
    }

    @Test
    void ovSingularValuesAreThoseOfTheFullCircuit() {
        try (Model model = Model.open(INDUCTION)) {
            var c = model.config();
            HeadCircuits circuits = HeadCircuits.of(model);
            try (DirectCircuits direct = new DirectCircuits(INDUCTION, "gpt2", c.layers(), c.heads(), c.kvHeads(),
                    c.headDim(), c.hidden())) {
                var full = DirectCircuits.mult(DirectCircuits.mult(direct.embed, direct.ov(1, 1)), direct.unembed);
                var svd = org.ejml.dense.row.factory.DecompositionFactory_DDRM.svd(full.numRows, full.numCols,
                        true, true, true);
                assertTrue(svd.decompose(full.copy()));
                double[] expected = svd.getSingularValues().clone();
                java.util.Arrays.sort(expected);
                double[] actual = circuits.ovSingularValues(1, 1);
                for (int i = 0; i < 4; i++) {
                    double e = expected[expected.length - 1 - i];
                    assertEquals(e, actual[i], 1e-5 * e, "sigma " + i);
                }
                // the top direction's tokens are the extremes of the full circuit's singular vectors
                List<HeadCircuits.SingularDirection> top = circuits.ovTop(1, 1, 2, 5);
                assertEquals(2, top.size());
                assertEquals(5, top.getFirst().in().size());
                assertEquals(actual[0], top.getFirst().sigma(), 1e-12);
                var u = svd.getU(null, false);
                var v = svd.getV(null, false);
                int best = 0;
                for (int i = 1; i < svd.getSingularValues().length; i++) {
                    if (svd.getSingularValues()[i] > svd.getSingularValues()[best]) {
                        best = i;
                    }
                }
                double[] uCol = new double[u.numRows];
                double[] vCol = new double[v.numRows];
                int argmax = 0;
                for (int r = 0; r < u.numRows; r++) {
                    uCol[r] = u.get(r, best);
                    vCol[r] = v.get(r, best);
                    if (Math.abs(uCol[r]) > Math.abs(uCol[argmax])) {
                        argmax = r;
                    }
                }
                double sign = Math.signum(uCol[argmax]);
                assertEquals(argmax, top.getFirst().in().getFirst().token());
                int outArgmax = 0;
                for (int r = 1; r < vCol.length; r++) {
                    if (sign * vCol[r] > sign * vCol[outArgmax]) {
                        outArgmax = r;
                    }
                }
                assertEquals(outArgmax, top.getFirst().out().getFirst().token());
            }
        }
    }

    @Test
    void learnedPositionsHaveAPositionalProfileRotaryModelsDoNot() {
        try (Model gpt2 = Model.open(Fixtures.model("gpt2-tiny"));
             Model llama = Model.open(Fixtures.model("llama-tiny"))) {
            dev.headlight.analysis.OffsetProfile p = HeadCircuits.of(gpt2).positionalProfile(0, 0);
            assertNotNull(p);
            assertEquals(0, p.firstOffset());
            assertEquals(gpt2.info().maxPositions(), p.mean().length);
            assertNull(HeadCircuits.of(llama).positionalProfile(0, 0));
        }
    }

    /**
     * The vocabulary product prepared ahead (as the window does when a model opens) gives the same copying scores;
     * a cancelled preparation keeps nothing.
     */
    @Test
    void preparedVocabularyProductGivesTheSameCopyingScores() {
        for (String fixture : List.of("gpt2-tiny", "llama-tiny", "bert-tiny")) {
            try (Model model = Model.open(Fixtures.model(fixture))) {
                HeadCircuits prepared = HeadCircuits.of(model);
                boolean linear = prepared.hasUnembedding();
                assertEquals(!linear, prepared.vocabularyProductReady(), fixture);
                if (linear) {
                    assertThrows(java.util.concurrent.CancellationException.class,
                            () -> prepared.prepareVocabularyProduct(() -> true), fixture);
                    assertFalse(prepared.vocabularyProductReady(), fixture + ": a cancelled product was kept");
                }
                prepared.prepareVocabularyProduct(null);
                assertTrue(prepared.vocabularyProductReady(), fixture);
                double[][] expected = HeadCircuits.Copying.scores(HeadCircuits.of(model).copyingAll(null, null));
                double[][] actual = HeadCircuits.Copying.scores(prepared.copyingAll(() -> false, null));
                for (int l = 0; l < expected.length; l++) {
                    org.junit.jupiter.api.Assertions.assertArrayEquals(expected[l], actual[l], 0, fixture + " " + l);
                }
            }
        }
    }

    /** Cancelling stops the vocabulary product W_U W_E itself, before the first layer's copying scores finish. */
    @Test
    void cancellingCopyingStopsInsideTheVocabularyProduct() {
        for (String fixture : List.of("gpt2-tiny", "llama-tiny")) {
            try (Model model = Model.open(Fixtures.model(fixture))) {
                int[] checks = {0};
                java.util.List<Double> progress = new java.util.ArrayList<>();
                // the first check (before layer 0) says go on; the next one, inside the product, says stop
                assertThrows(java.util.concurrent.CancellationException.class,
                        () -> HeadCircuits.of(model).copyingAll(() -> ++checks[0] > 1, progress::add), fixture);
                assertTrue(progress.isEmpty(), fixture + ": layer 0 finished before the cancel was seen");
                assertEquals(2, checks[0], fixture);
            }
        }
    }
}
