package dev.headlight.analysis;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeadGeometryTest {

    @Test
    void fastLogIsAccurate() {
        Random r = new Random(1);
        for (int k = 0; k < 100_000; k++) {
            float x = (float) Math.exp(-40 * r.nextDouble());
            assertEquals(Math.log(x), HeadDistances.fastLn(x), 2e-6 * Math.max(1, Math.abs(Math.log(x))));
        }
    }

    @Test
    void vectorAndScalarKernelsMatchTheExactSum() {
        Random r = new Random(11);
        float[] a = new float[64 * 20];
        float[] b = new float[a.length];
        double exact = 0;
        for (int i = 0; i < a.length; i++) {
            a[i] = i % 7 == 0 ? 0f : (float) Math.exp(-12 * r.nextDouble());
            b[i] = i % 5 == 0 ? 0f : (float) Math.exp(-12 * r.nextDouble());
            double m = ((double) a[i] + b[i]) / 2;
            exact += m > 0 ? m * Math.log(m) : 0;
        }
        assertEquals(exact, HeadDistances.mixedPlogpSum(a, b), 1e-5 * Math.abs(exact));
        assertEquals(exact, HeadDistances.mixedPlogpSumScalar(a, b), 1e-5 * Math.abs(exact));
    }

    @Test
    void longPromptsAreThinnedToEveryStrideRowWithinTheBudget() {
        HeadDistances.View longView = new HeadDistances.View(new dev.headlight.engine.AttentionMaps(1, 1, 200, true),
                true);
        HeadDistances.View probe = new HeadDistances.View(new dev.headlight.engine.AttentionMaps(1, 1, 41, true),
                true);
        // everything fits: rows 1..199 and 1..40
        int[][] all = HeadDistances.chooseQueries(List.of(probe, longView), 1_000_000);
        assertEquals(40, all[0].length);
        assertEquals(199, all[1].length);
        // 4096 floats, where causal row i holds i + 1 keys: all rows need 860 + 20099; the chosen stride s is the
        // smallest whose rows fit, so the same rows at stride s - 1 must not fit.
        int[][] thin = HeadDistances.chooseQueries(List.of(probe, longView), 4096);
        int stride = thin[1][1] - thin[1][0];
        assertEquals(1, thin[1][0]);
        assertEquals(stride, thin[0][1] - thin[0][0]);
        assertTrue(keysOf(thin) <= 4096);
        assertTrue(stride > 1);
        int[][] denser = new int[2][];
        int[] lengths = {41, 200};
        for (int v = 0; v < 2; v++) {
            int count = (lengths[v] - 1 + stride - 2) / (stride - 1);
            denser[v] = new int[count];
            for (int k = 0; k < count; k++) {
                denser[v][k] = 1 + k * (stride - 1);
            }
        }
        assertTrue(keysOf(denser) > 4096);
    }

    private static long keysOf(int[][] queries) {
        long total = 0;
        for (int[] view : queries) {
            for (int i : view) {
                total += i + 1;
            }
        }
        return total;
    }

    @Test
    void jensenShannonDistancesOfKnownRows() {
        // two heads, two tokens, bidirectional rows. Head 0 rows: [1,0], [1,0]; head 1: [0,1], [0.5,0.5].
        // row 0: disjoint -> JSD 1 bit; row 1: p=[1,0], q=[.5,.5], m=[.75,.25]:
        //   H(m) - (H(p) + H(q))/2 = H(.75,.25) - 0.5 ln 2  (nats) -> / ln 2 bits
        double[][][][] maps = {{
                {{1, 0}, {1, 0}},
                {{0, 1}, {0.5, 0.5}}}};
        double[][] d = HeadDistances.compute(List.of(new HeadDistances.View(TestMaps.of(maps), false)));
        double hm = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25));
        double row1 = (hm - 0.5 * Math.log(2)) / Math.log(2);
        assertEquals((1 + row1) / 2, d[0][1], 1e-6);
        assertEquals(d[0][1], d[1][0]);
        assertEquals(0, d[0][0]);
    }

    @Test
    void identicalHeadsAreAtDistanceZeroAndClusterTogether() {
        Random r = new Random(7);
        int t = 6;
        double[][][][] maps = new double[2][3][][];
        for (int l = 0; l < 2; l++) {
            for (int h = 0; h < 3; h++) {
                maps[l][h] = randomCausal(r, t);
            }
        }
        maps[1][2] = maps[0][1]; // head (1,2) copies head (0,1)
        double[][] d = HeadDistances.compute(List.of(new HeadDistances.View(TestMaps.of(maps), true)));
        assertEquals(6, d.length);
        assertEquals(0.0, d[1][5]);
        for (int a = 0; a < 6; a++) {
            for (int b = 0; b < 6; b++) {
                if (a != b && !(a == 1 && b == 5) && !(a == 5 && b == 1)) {
                    assertTrue(d[a][b] > 0, "distinct random heads are apart");
                }
            }
        }
        AverageLinkage tree = AverageLinkage.cluster(d);
        assertEquals(0.0, tree.merges().getFirst().height());
        assertEquals(List.of(1, 5), List.of(tree.merges().getFirst().left(), tree.merges().getFirst().right()));
        int[] five = tree.cut(5);
        assertEquals(five[1], five[5]);
    }

    @Test
    void aOneTokenPromptGivesAnEmptyButValidAnalysis() {
        double[][][][] maps = {{{{1}}, {{1}}}, {{{1}}, {{1}}}};
        HeadAnalysisResult r = HeadAnalysis.analyze(TestMaps.of(maps), new int[]{42}, null, null, true, 0);
        assertEquals(4, r.reports().size());
        for (HeadReport h : r.reports()) {
            assertEquals(0.0, h.x());
            assertEquals(0.0, h.y());
            assertTrue(h.prompt().induction().isEmpty());
            assertEquals(1.0, h.prompt().self().getAsDouble());
            assertEquals(HeadKind.SELF, h.kind());
        }
        assertEquals(3, r.dendrogram().size());
    }

    @Test
    void averageLinkageMergesAtMeanDistances() {
        // d(0,1) = 1, d(0,2) = 4, d(1,2) = 6, d(3,*) = 10: {0,1} at 1, then with 2 at (4 + 6) / 2 = 5,
        // then with 3 at 10.
        double[][] d = {
                {0, 1, 4, 10},
                {1, 0, 6, 10},
                {4, 6, 0, 10},
                {10, 10, 10, 0}};
        AverageLinkage tree = AverageLinkage.cluster(d);
        List<AverageLinkage.Merge> m = tree.merges();
        assertEquals(new AverageLinkage.Merge(0, 1, 1, 2), m.get(0));
        assertEquals(new AverageLinkage.Merge(2, 4, 5, 3), m.get(1));
        assertEquals(new AverageLinkage.Merge(3, 5, 10, 4), m.get(2));
        assertEquals(List.of(0, 0, 1, 2), toList(tree.cut(3)));
        assertEquals(List.of(0, 0, 0, 1), toList(tree.cut(2)));
        assertEquals(List.of(0, 0, 0, 0), toList(tree.cut(1)));
    }

    @Test
    void mdsReproducesDistancesOfAPlanarConfiguration() {
        for (int n : new int[]{2, 5, 40, 300}) {
            Random r = new Random(n);
            double[][] p = new double[n][2];
            for (double[] point : p) {
                point[0] = 3 * r.nextGaussian();
                point[1] = r.nextGaussian();
            }
            double[][] d = euclidean(p);
            double[][] xy = ClassicalMds.embed2d(d);
            double[][] back = euclidean(xy);
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    assertEquals(d[a][b], back[a][b], 1e-8, "n=" + n + " pair " + a + "," + b);
                }
            }
        }
    }

    @Test
    void mdsKeepsTheTwoLargestAxesOfAThreeDimensionalCloud() {
        // points with spreads 5, 2, 0.1 along three axes: the map keeps the first two, so distances are reproduced
        // up to the third axis' contribution
        Random r = new Random(3);
        int n = 500;
        double[][] p = new double[n][3];
        for (double[] point : p) {
            point[0] = 5 * r.nextGaussian();
            point[1] = 2 * r.nextGaussian();
            point[2] = 0.1 * r.nextGaussian();
        }
        double[][] xy = ClassicalMds.embed2d(euclidean(p));
        double[][] flat = new double[n][];
        for (int i = 0; i < n; i++) {
            flat[i] = new double[]{p[i][0], p[i][1]};
        }
        double[][] expected = euclidean(flat);
        double[][] got = euclidean(xy);
        double worst = 0;
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                worst = Math.max(worst, Math.abs(expected[a][b] - got[a][b]));
            }
        }
        assertTrue(worst < 0.5, "worst distance error " + worst);
        assertNotEquals(0.0, xy[0][1]);
    }

    private static double[][] euclidean(double[][] p) {
        int n = p.length;
        double[][] d = new double[n][n];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                double s = 0;
                for (int k = 0; k < p[a].length; k++) {
                    s += (p[a][k] - p[b][k]) * (p[a][k] - p[b][k]);
                }
                d[a][b] = Math.sqrt(s);
            }
        }
        return d;
    }

    static double[][] randomCausal(Random r, int t) {
        double[][] a = new double[t][t];
        for (int i = 0; i < t; i++) {
            double sum = 0;
            for (int j = 0; j <= i; j++) {
                a[i][j] = r.nextDouble() + 0.01;
                sum += a[i][j];
            }
            for (int j = 0; j <= i; j++) {
                a[i][j] /= sum;
            }
        }
        return a;
    }

    private static List<Integer> toList(int[] a) {
        return java.util.Arrays.stream(a).boxed().toList();
    }
}
