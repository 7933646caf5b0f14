package dev.headlight.analysis.circuits;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The tiled dot products equal a float64 triple loop, at sizes that fill no whole tile or vector. */
class RowDotsTest {

    @ParameterizedTest
    @CsvSource({
            "64, 64, 2048, false", "64, 64, 2048, true", "7, 5, 37, false", "6, 6, 37, true", "13, 13, 3, true",
            "1, 9, 16, false", "9, 9, 100, true"
    })
    void equalsTheTripleLoop(int m, int n, int k, boolean symmetric) {
        Random random = new Random(m * 1000L + n * 10L + k);
        int aStride = k + 3;
        int bStride = k + 5;
        float[] a = new float[2 + m * aStride];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextFloat() * 2 - 1;
        }
        float[] b = symmetric ? a : new float[1 + n * bStride];
        for (int i = 0; i < b.length && !symmetric; i++) {
            b[i] = random.nextFloat() * 2 - 1;
        }
        int bOff = symmetric ? 2 : 1;
        int stride = symmetric ? aStride : bStride;
        float[] out = new float[m * n];
        RowDots.products(a, 2, aStride, m, b, bOff, stride, n, k, out, symmetric);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double expected = 0;
                for (int p = 0; p < k; p++) {
                    expected += (double) a[2 + i * aStride + p] * b[bOff + j * stride + p];
                }
                // float32 sums of k products of numbers in [-1, 1]: within 1e-5 sqrt(k) of the float64 sum
                assertEquals(expected, out[i * n + j], 1e-5 * Math.sqrt(k), i + "," + j);
            }
        }
    }
}
