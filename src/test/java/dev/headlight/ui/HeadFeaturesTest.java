package dev.headlight.ui;

import dev.headlight.engine.AttentionMaps;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HeadFeaturesTest {
    static final int T = 6;

    /** A causal map whose row q puts all weight on key pick(q). */
    static float[] oneHot(java.util.function.IntUnaryOperator pick) {
        float[] map = new float[T * T];
        for (int q = 0; q < T; q++) {
            map[q * T + pick.applyAsInt(q)] = 1;
        }
        return map;
    }

    static float[] uniformCausal() {
        float[] map = new float[T * T];
        for (int q = 0; q < T; q++) {
            for (int k = 0; k <= q; k++) {
                map[q * T + k] = 1f / (q + 1);
            }
        }
        return map;
    }

    @Test
    void scoredHeadsGetTheAnalysisKindsAndScores() {
        AttentionMaps maps = new AttentionMaps(1, 4, T, false);
        float[][] heads = {oneHot(q -> Math.max(0, q - 1)), oneHot(q -> 0), oneHot(q -> q), uniformCausal()};
        for (int h = 0; h < 4; h++) {
            for (int q = 0; q < T; q++) {
                maps.putRow(0, h, q, heads[h], q * T);
            }
        }
        int[] ids = {1, 2, 3, 4, 5, 6}; // no repeats: induction and duplicate-token scores are absent
        HeadFeatures f = ScoredHeads.compute(maps, ids, true);
        assertEquals("previous-token", f.kind(0, 0));
        assertEquals("sink", f.kind(0, 1));
        assertEquals("self", f.kind(0, 2));
        // the spread head: whatever the analysis rules call it
        assertEquals(dev.headlight.analysis.HeadKind.classify(dev.headlight.analysis.HeadScoring.score(heads[3], ids,
                true)).key(), f.kind(0, 3));
        assertEquals(ScoredHeads.FEATURE_NAMES.length, f.features()[0].length);
        assertEquals(1.0, f.features()[0][0], 1e-9, "previous-token score of the previous-token head");
        assertEquals(4, f.positions().length);
    }
}
