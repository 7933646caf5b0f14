package dev.headlight.analysis.circuits;

import dev.headlight.format.config.Family;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scores of hand-made factors whose answers are known. */
class HandMadeCircuitsTest {
    static final SplittableRandom RANDOM = new SplittableRandom(12);

    static float[] random(int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) RANDOM.nextGaussian();
        }
        return out;
    }

    /** [dh][d] rows of the identity (dh = d): W^T = I. */
    static float[] identity(int d, float sign) {
        float[] out = new float[d * d];
        for (int i = 0; i < d; i++) {
            out[i * d + i] = sign;
        }
        return out;
    }

    static float[] ones(int n) {
        float[] out = new float[n];
        java.util.Arrays.fill(out, 1f);
        return out;
    }

    static CircuitWeights tied(List<LayerFactors> layers, int vocab, int d) {
        float[] e = random(vocab * d);
        return new CircuitWeights(Family.GPT2, layers, vocab, d, e, e.clone(), true, ones(d), null, true);
    }

    @Test
    void identityOvCopiesAndNegatedIdentitySuppresses() {
        int d = 6;
        // head 0: W_V = W_O = I, so W_E W_OV W_U = E E^T (positive semi-definite); head 1: W_O = -I
        float[] v = identity(d, 1);
        float[] o = new float[2 * d * d];
        System.arraycopy(identity(d, 1), 0, o, 0, d * d);
        System.arraycopy(identity(d, -1), 0, o, d * d, d * d);
        LayerFactors layer = new LayerFactors(2, 1, d, d, random(2 * d * d), random(d * d), v, o);
        HeadCircuits c = new HeadCircuits(tied(List.of(layer), 20, d));
        assertEquals(1.0, c.copying(0, 0).score().orElseThrow(), 1e-6);
        assertEquals(-1.0, c.copying(0, 1).score().orElseThrow(), 1e-6);
    }

    @Test
    void aZeroHeadHasNullScores() {
        int d = 8;
        int dh = 2;
        LayerFactors first = new LayerFactors(2, 2, dh, d, random(2 * dh * d), random(2 * dh * d),
                new float[2 * dh * d], random(2 * dh * d)); // W_V = 0: W_OV = 0
        LayerFactors second = new LayerFactors(2, 2, dh, d, random(2 * dh * d), random(2 * dh * d),
                random(2 * dh * d), random(2 * dh * d));
        HeadCircuits c = new HeadCircuits(tied(List.of(first, second), 30, d));
        assertFalse(c.copying(0, 0).score().isPresent());
        assertTrue(c.copying(1, 0).score().isPresent());
        HeadCircuits.Composition s = c.compositionAll(null, null)[0][1][1][0];
        assertFalse(s.q().isPresent());
        assertFalse(s.k().isPresent());
        assertFalse(s.v().isPresent());
    }

    @Test
    void aHeadReadingAPreviousTokenHeadsOutputInItsKeysHasTheLargestKComposition() {
        int d = 48;
        int dh = 4;
        int heads = 3;
        int block = dh * d;
        // layer 0: random heads; head 1 plays the previous-token head
        LayerFactors layer0 = new LayerFactors(heads, heads, dh, d, random(heads * block), random(heads * block),
                random(heads * block), random(heads * block));
        // layer 1 head 2: W_K = W_OV(0.1)^T W_K', so the keys read what head 0.1 writes: W_OV W_QK^T = W_OV W_OV^T W_K' W_Q^T
        float[] k1 = random(heads * block);
        float[] q1 = random(heads * block);
        float[] ov = new float[d * d];      // W_OV of head 0.1 = W_V W_O  [d][d]
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double sum = 0;
                for (int r = 0; r < dh; r++) {
                    sum += layer0.v()[block + r * d + i] * layer0.o()[block + r * d + j];
                }
                ov[i * d + j] = (float) sum;
            }
        }
        float[] inner = random(dh * d);     // W_K' [d][dh] stored as rows [dh][d]
        for (int r = 0; r < dh; r++) {      // W_K = W_OV^T W_K', stored W_K^T = W_K'^T W_OV: row r = sum_j inner[r][j] ov[j][i]
            for (int i = 0; i < d; i++) {
                double sum = 0;
                for (int j = 0; j < d; j++) {
                    sum += inner[r * d + j] * ov[j * d + i];
                }
                k1[2 * block + r * d + i] = (float) sum;
            }
        }
        LayerFactors layer1 = new LayerFactors(heads, heads, dh, d, q1, k1, random(heads * block),
                random(heads * block));
        HeadCircuits c = new HeadCircuits(tied(List.of(layer0, layer1), 40, d));
        List<HeadCircuits.Composition> column = c.compositionOf(1, 2);
        HeadCircuits.Composition built = column.get(1);
        assertEquals(0, built.fromLayer());
        assertEquals(1, built.fromHead());
        double k = built.k().orElseThrow();
        for (HeadCircuits.Composition s : column) {
            assertTrue(s.q().orElseThrow() < k, "Q " + s);
            assertTrue(s.v().orElseThrow() < k, "V " + s);
            if (s != built) {
                assertTrue(s.k().orElseThrow() < k, "K " + s);
            }
        }
        assertTrue(k > 0.5, "K composition " + k);
    }

    @Test
    void factoredCompositionEqualsFullMatricesOnRandomGqaFactors() {
        int d = 20;
        int dh = 3;
        int heads = 4;
        int kv = 2;
        int block = dh * d;
        List<LayerFactors> layers = List.of(
                new LayerFactors(heads, kv, dh, d, random(heads * block), random(kv * block), random(kv * block),
                        random(heads * block)),
                new LayerFactors(heads, kv, dh, d, random(heads * block), random(kv * block), random(kv * block),
                        random(heads * block)));
        HeadCircuits c = new HeadCircuits(tied(layers, 25, d));
        HeadCircuits.Composition s = c.compositionAll(null, null)[0][3][1][2];
        double[][] a = ov(layers.get(0), 3);
        double[][] qk = qk(layers.get(1), 2);
        assertEquals(ratio(a, qk), s.q().orElseThrow(), 1e-6);
        assertEquals(ratio(a, transpose(qk)), s.k().orElseThrow(), 1e-6);
        assertEquals(ratio(a, ov(layers.get(1), 2)), s.v().orElseThrow(), 1e-6);
    }

    static double[][] ov(LayerFactors f, int h) {
        return product(f.v(), f.kvOffset(h), f.o(), f.queryOffset(h), f.dHead(), f.dModel(), false);
    }

    static double[][] qk(LayerFactors f, int h) {
        return product(f.q(), f.queryOffset(h), f.k(), f.kvOffset(h), f.dHead(), f.dModel(), true);
    }

    /** X^T Y for two [dh][d] blocks: a [d][d] matrix. */
    static double[][] product(float[] x, int xOff, float[] y, int yOff, int dh, int d, boolean unused) {
        double[][] out = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                for (int r = 0; r < dh; r++) {
                    out[i][j] += (double) x[xOff + r * d + i] * y[yOff + r * d + j];
                }
            }
        }
        return out;
    }

    static double[][] transpose(double[][] m) {
        double[][] out = new double[m.length][m.length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m.length; j++) {
                out[j][i] = m[i][j];
            }
        }
        return out;
    }

    static double ratio(double[][] a, double[][] b) {
        int n = a.length;
        double ab = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int k = 0; k < n; k++) {
                    sum += a[i][k] * b[k][j];
                }
                ab += sum * sum;
                na += a[i][j] * a[i][j];
                nb += b[i][j] * b[i][j];
            }
        }
        return Math.sqrt(ab) / Math.sqrt(na * nb);
    }
}
