package dev.headlight.analysis.circuits;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packed product equals a float64 triple loop on every layout, at edges that fill no whole tile or block. */
class BlockProductTest {

    @ParameterizedTest
    @CsvSource({
            "1, 1, 1, false, false",
            "7, 65, 3, true, true",
            "13, 70, 300, false, true",
            "400, 300, 513, true, false",
            "385, 257, 257, false, false",
            "64, 64, 2048, true, true",
            "30, 40, 9000, true, true"
    })
    void equalsTheTripleLoop(int m, int n, int k, boolean aDepthMajor, boolean bDepthMajor) {
        Random random = new Random(m * 31L + n * 7L + k);
        int pad = 3;  // offsets and strides wider than the matrix
        float[] a = random(random, pad + (aDepthMajor ? k * (m + pad) : m * (k + pad)));
        float[] b = random(random, pad + (bDepthMajor ? k * (n + pad) : n * (k + pad)));
        BlockProduct.Side sa = aDepthMajor ? BlockProduct.Side.depthMajor(a, pad, m + pad)
                : BlockProduct.Side.rows(a, pad, k + pad);
        BlockProduct.Side sb = bDepthMajor ? BlockProduct.Side.depthMajor(b, pad, n + pad)
                : BlockProduct.Side.rows(b, pad, k + pad);
        int ldc = n + 2;
        float[] c = new float[m * ldc];
        c[0] = 1;  // accumulates into C
        BlockProduct.multiply(m, n, k, sa, sb, c, 0, ldc, false);
        double[] accurate = new double[m * n];
        BlockProduct.multiplyAccurately(m, n, k, sa, sb, accurate, false);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double expected = i == 0 && j == 0 ? 1 : 0;
                for (int p = 0; p < k; p++) {
                    double x = aDepthMajor ? a[pad + p * (m + pad) + i] : a[pad + i * (k + pad) + p];
                    double y = bDepthMajor ? b[pad + p * (n + pad) + j] : b[pad + j * (k + pad) + p];
                    expected += x * y;
                }
                // float32 sums of k products of numbers in [-1, 1]: within 1e-5 sqrt(k) of the float64 sum
                assertEquals(expected, c[i * ldc + j], 1e-5 * Math.sqrt(k), i + "," + j);
                assertEquals(expected - (i == 0 && j == 0 ? 1 : 0), accurate[i * n + j], 1e-5 * Math.sqrt(k));
            }
        }
    }

    /**
     * Buffers keep the last packed B side: a series against one B (G W_V for every layer) packs it once. Every
     * product of a mixed series must equal the same product on fresh buffers, bit for bit: the same B again, the
     * same array at another offset, another shape, another array, and a larger product that outgrows the buffer.
     */
    @Test
    void buffersReusePackedBOnlyForTheSameView() {
        Random random = new Random(5);
        float[] b = random(random, 300 * 90);
        float[] other = b.clone();
        other[7] += 1;  // the same values but one: a different array must be packed afresh
        record Product(int m, int n, int k, BlockProduct.Side a, BlockProduct.Side b) {
        }
        float[] a = random(random, 200 * 300);
        BlockProduct.Side sb = BlockProduct.Side.depthMajor(b, 0, 90);
        Product[] series = {
                new Product(50, 90, 300, BlockProduct.Side.rows(a, 0, 300), sb),
                new Product(60, 90, 300, BlockProduct.Side.rows(a, 300, 300), sb),
                new Product(60, 80, 300, BlockProduct.Side.rows(a, 0, 300), BlockProduct.Side.depthMajor(b, 10, 90)),
                new Product(60, 80, 200, BlockProduct.Side.rows(a, 0, 300), BlockProduct.Side.depthMajor(b, 10, 90)),
                new Product(60, 90, 300, BlockProduct.Side.rows(a, 0, 300), BlockProduct.Side.depthMajor(other, 0, 90)),
                new Product(60, 90, 300, BlockProduct.Side.rows(a, 0, 300), sb),
                new Product(200, 90, 300, BlockProduct.Side.depthMajor(a, 0, 200), sb),
        };
        BlockProduct.Buffers kept = new BlockProduct.Buffers();
        for (int i = 0; i < series.length; i++) {
            Product p = series[i];
            float[] reused = new float[p.m() * p.n()];
            float[] fresh = new float[p.m() * p.n()];
            BlockProduct.multiply(p.m(), p.n(), p.k(), p.a(), p.b(), reused, 0, p.n(), false, kept);
            BlockProduct.multiply(p.m(), p.n(), p.k(), p.a(), p.b(), fresh, 0, p.n(), false,
                    new BlockProduct.Buffers());
            assertArrayEquals(fresh, reused, "product " + i);
            assertTrue(kept.holdsB(p.b(), p.n(), p.k()), "product " + i + "'s B is kept for the next");
        }
        assertFalse(kept.holdsB(BlockProduct.Side.depthMajor(b.clone(), 0, 90), 90, 300), "an equal copy is not it");
    }

    @ParameterizedTest
    @CsvSource({"500, 300", "30, 5"})
    void upperOnlyComputesEveryEntryOnAndAboveTheDiagonal(int n, int k) {
        Random random = new Random(n);
        float[] e = random(random, k * n);   // [k][n]
        float[] full = new float[n * n];
        float[] upper = new float[n * n];
        BlockProduct.Side side = BlockProduct.Side.depthMajor(e, 0, n);
        BlockProduct.multiply(n, n, k, side, side, full, 0, n, false);
        BlockProduct.multiply(n, n, k, side, side, upper, 0, n, true);
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                assertEquals(full[i * n + j], upper[i * n + j], 0.0, i + "," + j);
            }
        }
    }

    private static float[] random(Random random, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = random.nextFloat() * 2 - 1;
        }
        return out;
    }
}
