package dev.headlight.ui;

import dev.headlight.engine.AttentionMaps;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
        // kinds as the probe gives them (here: from these maps' scores, and one positional head)
        var verdicts = new dev.headlight.analysis.HeadKind.Verdict[1][4];
        for (int h = 0; h < 3; h++) {
            verdicts[0][h] = new dev.headlight.analysis.HeadKind.Verdict(dev.headlight.analysis.HeadKind.classify(
                    dev.headlight.analysis.HeadScoring.score(heads[h], ids, true)), java.util.OptionalInt.empty());
        }
        verdicts[0][3] = new dev.headlight.analysis.HeadKind.Verdict(dev.headlight.analysis.HeadKind.POSITIONAL,
                java.util.OptionalInt.of(3));
        HeadFeatures f = ScoredHeads.compute(maps, ids, true, verdicts);
        assertEquals("previous-token", f.kind(0, 0));
        assertEquals("sink", f.kind(0, 1));
        assertEquals("self", f.kind(0, 2));
        assertEquals("positional (offset 3)", f.kind(0, 3));
        assertEquals(ScoredHeads.FEATURE_NAMES.length, f.features()[0].length);
        assertEquals(1.0, f.features()[0][0], 1e-9, "previous-token score of the previous-token head");
        assertEquals(4, f.positions().length);
    }

    @Test
    void pcaFindsTheDirectionOfLargestSpread() {
        // points spread along (1, 1, 0, 0) with a little noise along (0, 0, 1, 0)
        double[][] rows = new double[20][];
        for (int i = 0; i < rows.length; i++) {
            double t = i - 9.5;
            rows[i] = new double[]{t, t, 0.01 * (i % 2 == 0 ? 1 : -1), 0};
        }
        double[][] axes = HeadFeatures.leadingEigenvectors(covariance(rows), 2);
        assertEquals(Math.sqrt(0.5), Math.abs(axes[0][0]), 1e-6);
        assertEquals(Math.sqrt(0.5), Math.abs(axes[0][1]), 1e-6);
        assertEquals(1.0, Math.abs(axes[1][2]), 1e-6);
        double[][] projected = HeadFeatures.project2d(rows);
        // distances along the first axis are preserved: t * sqrt(2)
        assertEquals(Math.abs(rows[0][0] - rows[19][0]) * Math.sqrt(2),
                Math.abs(projected[0][0] - projected[19][0]), 1e-4);
    }

    private static double[][] covariance(double[][] rows) {
        int d = rows[0].length;
        double[] mean = new double[d];
        for (double[] r : rows) {
            for (int j = 0; j < d; j++) {
                mean[j] += r[j] / rows.length;
            }
        }
        double[][] c = new double[d][d];
        for (double[] r : rows) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    c[i][j] += (r[i] - mean[i]) * (r[j] - mean[j]) / (rows.length - 1);
                }
            }
        }
        return c;
    }
}
