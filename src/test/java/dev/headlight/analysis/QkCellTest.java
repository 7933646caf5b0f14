package dev.headlight.analysis;

import dev.headlight.engine.AttentionMaps;
import dev.headlight.engine.Model;
import dev.headlight.engine.RunOptions;
import dev.headlight.engine.TensorPlacement;
import dev.headlight.engine.Trace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The q·k view's numbers: q · k, scale, soft-cap and the row's softmax give the attention probability the engine
 * stored for that cell (1e-5, exact float32 maps) and Hugging Face's reference (1e-4, the parity tolerance), on
 * every family: learned positions (GPT-2, BERT), rotary (Llama, Qwen, NeoX partial, Phi-3 fused qkv), grouped-query
 * attention (Llama, Qwen2/3, Gemma 2, Phi-3), Qwen3's q/k norms, Gemma 2's own scale and soft-cap, bf16 weights.
 */
class QkCellTest {
    static final double ENGINE_TOLERANCE = 1e-5;
    static final double REFERENCE_TOLERANCE = 1e-4;

    @ParameterizedTest
    @ValueSource(strings = {"gpt2-tiny", "llama-tiny", "llama-tiny-bf16-sharded", "qwen2-tiny", "qwen3-tiny",
            "gpt-neox-tiny", "gemma2-tiny", "phi3-tiny", "bert-tiny"})
    void theStepsGiveTheEnginesProbability(String name) {
        int[] ids = Fixtures.referenceIds(name);
        AttentionMaps reference = Fixtures.referenceAttentions(name);
        try (Model model = Model.open(Fixtures.model(name))) {
            Trace trace = model.run(ids, RunOptions.exact());
            int t = ids.length;
            int[][] cells = {{t - 1, 0}, {t - 1, t - 1}, {t / 2, t / 3}, {t - 1, t - 2}, {1, 0}};
            int explained = 0;
            int masked = 0;
            for (int layer = 0; layer < trace.layers(); layer++) {
                for (int head = 0; head < trace.heads(); head++) {
                    for (int[] c : cells) {
                        String where = name + " " + layer + "." + head + " (" + c[0] + ", " + c[1] + ")";
                        QkCell cell;
                        try {
                            cell = QkCell.explain(model, trace, layer, head, c[0], c[1]);
                        } catch (IllegalArgumentException outsideWindow) {
                            // a sliding-window layer (Gemma 2, Phi-3) masks far keys: the engine stored exactly 0
                            assertTrue(outsideWindow.getMessage().contains("sliding window"), where);
                            assertEquals(0f, trace.attentions().get(layer, head, c[0], c[1]), where);
                            masked++;
                            continue;
                        }
                        explained++;
                        double sum = 0;
                        for (int e = 0; e < cell.headDim(); e++) {
                            assertEquals((double) cell.q()[e] * cell.k()[e], cell.products()[e], 0, where);
                            sum += cell.products()[e];
                        }
                        assertEquals(sum, cell.dot(), 1e-12 * (1 + Math.abs(sum)), where);
                        assertEquals(cell.dot() * cell.scale(), cell.scaled(), 1e-12, where);
                        double engine = trace.attentions().get(layer, head, c[0], c[1]);
                        assertEquals(engine, cell.probability(), ENGINE_TOLERANCE, where);
                        assertEquals(engine, cell.engineProbability(), 0, where);
                        assertEquals(reference.get(layer, head, c[0], c[1]), cell.probability(),
                                REFERENCE_TOLERANCE, where);
                        assertEquals(cell.logit(), cell.rowLogits()[c[1]], 0, where);
                    }
                }
            }
            assertTrue(explained >= 4 * trace.layers() * trace.heads() && masked <= trace.layers() * trace.heads(),
                    name + ": " + explained + " cells explained, " + masked + " masked");
        }
    }

    @Test
    void groupedQueryHeadsReadTheirGroupsKeySlice() {
        // llama-tiny: 4 query heads, 2 kv-heads; heads 2 and 3 read kv-head 1's rows 16-31 of k_proj
        try (Model model = Model.open(Fixtures.model("llama-tiny"))) {
            Trace trace = model.run(Fixtures.referenceIds("llama-tiny"), RunOptions.exact());
            QkCell cell = QkCell.explain(model, trace, 1, 3, 5, 2);
            assertEquals(1, cell.kvHead());
            assertEquals("model.layers.1.self_attn.k_proj.weight", cell.keyRows().tensor());
            assertEquals(TensorPlacement.Axis.ROWS, cell.keyRows().axis());
            assertEquals(16, cell.keyRows().from());
            assertEquals(32, cell.keyRows().to());
            assertEquals(48, cell.queryRows().from());
            QkCell sameGroup = QkCell.explain(model, trace, 1, 2, 5, 2);
            assertEquals(java.util.Arrays.toString(cell.k()), java.util.Arrays.toString(sameGroup.k()));
            // rotary pairs element e with e ± 8 (rotate_half over 16 dims), and the rows say so
            assertEquals(16, cell.rotaryDims());
            assertEquals(11, cell.rotaryPartner(3));
            assertEquals(3, cell.rotaryPartner(11));
            QkCell.Contribution top = cell.topContributions(1).getFirst();
            assertTrue(top.queryRow().startsWith("rows " + (48 + top.element()) + " and "), top.queryRow());
        }
    }

    @Test
    void gpt2ReadsColumnsOfTheFusedConv1D() {
        try (Model model = Model.open(Fixtures.model("gpt2-tiny"))) {
            Trace trace = model.run(Fixtures.referenceIds("gpt2-tiny"), RunOptions.exact());
            QkCell cell = QkCell.explain(model, trace, 0, 1, 4, 4);
            assertEquals("h.0.attn.c_attn.weight", cell.queryRows().tensor().replaceFirst("^transformer\\.", ""));
            assertEquals(TensorPlacement.Axis.COLUMNS, cell.queryRows().axis());
            assertEquals(16, cell.queryRows().from());      // head 1 of 4 x 16 in the q third
            assertEquals(64 + 16, cell.keyRows().from());   // the k third starts after d_model = 64
            assertEquals(0, cell.rotaryDims());
            assertEquals(-1, cell.rotaryPartner(0));
            assertEquals("1/√d_head = 1/√16", cell.scaleSource());
            List<QkCell.Contribution> top = cell.topContributions(4);
            assertEquals(4, top.size());
            for (int i = 1; i < top.size(); i++) {
                assertTrue(Math.abs(top.get(i - 1).product()) >= Math.abs(top.get(i).product()));
            }
            assertNotNull(top.getFirst().keyRow());
        }
    }

    @Test
    void aMaskedCellIsRefused() {
        try (Model model = Model.open(Fixtures.model("gpt2-tiny"))) {
            Trace trace = model.run(Fixtures.referenceIds("gpt2-tiny"), RunOptions.exact());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> QkCell.explain(model, trace, 0, 0, 2, 5));
            assertTrue(e.getMessage().contains("causal"), e.getMessage());
        }
    }
}
