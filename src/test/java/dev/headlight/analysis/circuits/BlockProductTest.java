package dev.headlight.analysis.circuits;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
