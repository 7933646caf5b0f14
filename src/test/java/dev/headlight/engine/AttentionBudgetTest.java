package dev.headlight.engine;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bookkeeping of {@link AttentionMaps} under a memory budget, with a hand-made layer source. */
class AttentionBudgetTest {
    static final int HEADS = 3;
    static final int TOKENS = 5;
    static final long LAYER_HALF = AttentionMaps.bytesPerLayer(HEADS, TOKENS, true); // 150 bytes

    /** A distinct, exactly representable value per (layer, head, query, key). */
    static float value(int layer, int head, int query, int key) {
        return layer + head / 8f + query / 64f + key / 512f;
    }

    /** Fills the rows a pass would store, and answers recomputes with the same values (counting them). */
    static AttentionMaps filled(int layers, boolean compact, long budget, AtomicInteger recomputes,
                                List<Integer> order) {
        AttentionMaps maps = new AttentionMaps(layers, HEADS, TOKENS, compact, budget);
        float[] row = new float[TOKENS];
        for (int l = 0; l < layers; l++) {
            for (int h = 0; h < HEADS; h++) {
                for (int q = 0; q < TOKENS; q++) {
                    for (int k = 0; k < TOKENS; k++) {
                        row[k] = value(l, h, q, k);
                    }
                    maps.putRow(l, h, q, row, 0);
                }
            }
        }
        maps.recomputeWith((layer, sink) -> {
            recomputes.incrementAndGet();
            order.add(layer);
            float[] r = new float[TOKENS + 2];
            for (int h = 0; h < HEADS; h++) {
                for (int q = 0; q < TOKENS; q++) {
                    for (int k = 0; k < TOKENS; k++) {
                        r[2 + k] = value(layer, h, q, k);
                    }
                    sink.putRow(h, q, r, 2);
                }
            }
        });
        return maps;
    }

    @Test
    void bytesPerLayerAreTwoPerProbabilityCompactAndFourExact() {
        assertEquals(3L * 5 * 5 * 2, AttentionMaps.bytesPerLayer(3, 5, true));
        assertEquals(3L * 5 * 5 * 4, AttentionMaps.bytesPerLayer(3, 5, false));
        // GPT-2 small at 1,024 tokens: 12 heads × 1,024² × 2 bytes = 24 MiB per layer, 288 MiB for 12 layers
        assertEquals(24L << 20, AttentionMaps.bytesPerLayer(12, 1024, true));
    }

    @Test
    void everyLayerIsKeptWhenTheBudgetHoldsThemAll() {
        AtomicInteger recomputes = new AtomicInteger();
        AttentionMaps maps = filled(4, true, 4 * LAYER_HALF, recomputes, new ArrayList<>());
        assertEquals(4, maps.keptLayers());
        assertEquals(0, maps.recomputedSlots());
        assertFalse(maps.recomputes());
        assertEquals(4 * LAYER_HALF, maps.maxBytes());
        for (int l = 0; l < 4; l++) {
            assertTrue(maps.isKept(l));
            assertTrue(maps.isReady(l));
            assertEquals(value(l, 2, 4, 1), maps.get(l, 2, 4, 1));
        }
        assertEquals(0, recomputes.get());
    }

    @Test
    void layersPastTheBudgetAreNotStoredAndComeBackOnDemand() {
        AtomicInteger recomputes = new AtomicInteger();
        List<Integer> order = new ArrayList<>();
        // room for 5 layers of 8: 3 kept and 2 slots for recomputed layers
        AttentionMaps maps = filled(8, true, 5 * LAYER_HALF + LAYER_HALF / 2, recomputes, order);
        assertEquals(3, maps.keptLayers());
        assertEquals(2, maps.recomputedSlots());
        assertTrue(maps.recomputes());
        assertTrue(maps.maxBytes() <= maps.budgetBytes());
        assertTrue(maps.isKept(2));
        assertFalse(maps.isKept(3));
        assertFalse(maps.isReady(3));
        assertEquals(0, recomputes.get(), "rows of layers past the budget are not stored, not computed");

        assertEquals(value(5, 1, 3, 2), maps.get(5, 1, 3, 2));
        assertTrue(maps.isReady(5));
        assertEquals(value(5, 0, 0, 0), maps.get(5, 0, 0, 0)); // cached: no second recompute
        assertEquals(1, recomputes.get());
        maps.head(6, 0);
        assertTrue(maps.isReady(5) && maps.isReady(6));
        maps.head(7, 0); // evicts 5, the least recently used
        assertFalse(maps.isReady(5));
        assertTrue(maps.isReady(6) && maps.isReady(7));
        assertEquals(List.of(5, 6, 7), order);
        maps.head(6, 1); // touch 6, then 3 evicts 7
        maps.head(3, 0);
        assertTrue(maps.isReady(6) && maps.isReady(3));
        assertFalse(maps.isReady(7));
    }

    @Test
    void ifReadyReadsNeverRecompute() {
        AtomicInteger recomputes = new AtomicInteger();
        AttentionMaps maps = filled(4, true, 2 * LAYER_HALF, recomputes, new ArrayList<>());
        assertEquals(1, maps.keptLayers());
        assertArrayEquals(maps.head(0, 1), maps.headIfReady(0, 1));
        assertEquals(null, maps.headIfReady(2, 1));
        assertEquals(null, maps.layerMeanIfReady(2));
        assertEquals(0, recomputes.get());
        float[] mean = maps.layerMean(2);
        assertEquals(1, recomputes.get());
        assertArrayEquals(mean, maps.layerMeanIfReady(2));
        assertArrayEquals(maps.head(2, 0), maps.headIfReady(2, 0));
        assertEquals(1, recomputes.get());
    }

    @Test
    void recomputedLayersReadLikeStoredOnes() {
        AttentionMaps all = filled(6, true, AttentionMaps.UNBOUNDED, new AtomicInteger(), new ArrayList<>());
        AttentionMaps budgeted = filled(6, true, 2 * LAYER_HALF, new AtomicInteger(), new ArrayList<>());
        assertEquals(1, budgeted.keptLayers());
        assertArrayEquals(all.toFloats(), budgeted.toFloats());
        for (int l = 0; l < 6; l++) {
            assertArrayEquals(all.layerMean(l), budgeted.layerMean(l));
            for (int h = 0; h < HEADS; h++) {
                assertArrayEquals(all.head(l, h), budgeted.head(l, h));
            }
        }
    }

    @Test
    void exactStorageIsFourBytesAndKeepsFloat32() {
        AtomicInteger recomputes = new AtomicInteger();
        long layerExact = AttentionMaps.bytesPerLayer(HEADS, TOKENS, false);
        AttentionMaps maps = filled(3, false, layerExact, recomputes, new ArrayList<>());
        assertEquals(0, maps.keptLayers());
        assertEquals(1, maps.recomputedSlots());
        float tiny = value(2, 1, 1, 1) + 1e-6f; // not representable in float16: must survive as float32
        maps.recomputeWith((layer, sink) -> {
            float[] r = new float[TOKENS];
            for (int h = 0; h < HEADS; h++) {
                for (int q = 0; q < TOKENS; q++) {
                    java.util.Arrays.fill(r, tiny);
                    sink.putRow(h, q, r, 0);
                }
            }
        });
        assertEquals(tiny, maps.get(2, 1, 1, 1));
    }

    @Test
    void aPromptWhoseOneLayerExceedsTheBudgetIsRefusedWithTheNumbers() {
        AttentionMaps.TooLongException e = assertThrows(AttentionMaps.TooLongException.class,
                () -> new AttentionMaps(32, 32, 3000, true, 512L << 20));
        assertEquals(3000, e.tokens());
        assertEquals(32L * 3000 * 3000 * 2, e.bytesPerLayer());
        assertEquals(512L << 20, e.budgetBytes());
        assertTrue(e.getMessage().contains("3,000 tokens"), e.getMessage());
        assertTrue(e.getMessage().contains("549 MiB"), e.getMessage());
        assertTrue(e.getMessage().contains("512 MiB"), e.getMessage());
        assertTrue(e.getMessage().contains(RunOptions.BUDGET_PROPERTY), e.getMessage());
        assertTrue(e instanceof IllegalArgumentException, "the window shows it as a one-line message");
    }

    @Test
    void aZeroBudgetStoresNothingAndRefusesNothing() {
        AtomicInteger recomputes = new AtomicInteger();
        AttentionMaps maps = filled(3, true, 0, recomputes, new ArrayList<>());
        assertEquals(0, maps.keptLayers());
        assertEquals(1, maps.recomputedSlots());
        assertEquals(0, recomputes.get());
        assertEquals(value(2, 1, 1, 0), maps.get(2, 1, 1, 0));
        assertEquals(1, recomputes.get());
        assertTrue(maps.describe().contains("not kept"), maps.describe());
        // a prompt whose maps would be 32 GiB a layer: nothing is allocated, so nothing to refuse
        AttentionMaps huge = new AttentionMaps(32, 32, 32_768, true, 0);
        assertEquals(0, huge.keptLayers());
    }

    @Test
    void aLayerNotKeptWithoutSourceSaysSo() {
        AttentionMaps maps = new AttentionMaps(4, HEADS, TOKENS, true, 2 * LAYER_HALF);
        assertThrows(IllegalStateException.class, () -> maps.head(3, 0));
    }

    @Test
    void describeNamesTheRecomputedLayersAndTheBudget() {
        AttentionMaps maps = filled(32, true, 10 * LAYER_HALF, new AtomicInteger(), new ArrayList<>());
        assertEquals(8, maps.keptLayers());
        assertTrue(maps.describe().contains("layers 8–31"), maps.describe());
        assertEquals("512 MiB", AttentionMaps.mib(512L << 20));
        assertEquals("1.5 GiB", AttentionMaps.mib(3L << 29));
        assertEquals("12 GiB", AttentionMaps.mib(12L << 30));
        assertEquals("2.5 KiB", AttentionMaps.mib(2560));
        assertEquals("300 bytes", AttentionMaps.mib(300));
    }

    @Test
    void budgetComesFromTheSystemPropertyInMib() {
        String before = System.getProperty(RunOptions.BUDGET_PROPERTY);
        try {
            System.setProperty(RunOptions.BUDGET_PROPERTY, "3");
            assertEquals(3L << 20, RunOptions.display().attentionBudget());
            assertEquals(3L << 20, RunOptions.exact().attentionBudget());
            System.setProperty(RunOptions.BUDGET_PROPERTY, "0.5");
            assertEquals(1L << 19, RunOptions.display().attentionBudget());
            System.clearProperty(RunOptions.BUDGET_PROPERTY);
            long expected = Math.min(RunOptions.DEFAULT_BUDGET_MIB << 20, Runtime.getRuntime().maxMemory() / 4);
            assertEquals(expected, RunOptions.display().attentionBudget());
            assertEquals(1234, RunOptions.display().withAttentionBudget(1234).withProgress(null).attentionBudget());
            assertThrows(IllegalArgumentException.class, () -> RunOptions.display().withAttentionBudget(-1));
            assertEquals(0, RunOptions.display().withoutAttentionMaps().attentionBudget());
        } finally {
            if (before == null) {
                System.clearProperty(RunOptions.BUDGET_PROPERTY);
            } else {
                System.setProperty(RunOptions.BUDGET_PROPERTY, before);
            }
        }
    }
}
