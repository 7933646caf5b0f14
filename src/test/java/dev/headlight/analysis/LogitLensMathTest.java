package dev.headlight.analysis;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LogitLensMathTest {

    @Test
    void topKOrdersByValueThenIndex() {
        float[] v = {0.1f, 0.5f, 0.2f, 0.5f, 0.05f, 0.9f};
        assertArrayEquals(new int[]{5, 1, 3}, LogitLens.topK(v, 0, v.length, 3));
        assertArrayEquals(new int[]{5, 1, 3, 2, 0, 4}, LogitLens.topK(v, 0, v.length, 6));
        assertArrayEquals(new int[]{4, 0}, LogitLens.topK(v, 1, 5, 2)); // relative to from
    }

    @Test
    void softmaxAndLogSoftmaxAgree() {
        float[] logits = {1000f, 1001f, 999f, -5f};
        float[] p = logits.clone();
        dev.headlight.engine.kernel.Kernels.best().softmax(p, 0, 4); // the softmax the lens uses
        float[] lp = new float[4];
        LogitLens.logSoftmax(logits, 0, 4, lp, 0);
        double sum = 0;
        for (int i = 0; i < 4; i++) {
            sum += p[i];
            assertEquals(Math.log(p[i] == 0 ? Double.MIN_VALUE : p[i]), lp[i], p[i] == 0 ? 1e3 : 1e-5);
        }
        assertEquals(1.0, sum, 1e-6);
        // e^1 / (1 + e^1 + e^-1) for the largest
        assertEquals(Math.E / (1 + Math.E + 1 / Math.E), p[1], 1e-6);
    }

    @Test
    void targetsAreNextTokensForCausalModelsAndTheTokenForEncoders() {
        assertArrayEquals(new int[]{7, 8, -1}, LogitLens.targets(new int[]{6, 7, 8}, true));
        assertArrayEquals(new int[]{6, 7, 8}, LogitLens.targets(new int[]{6, 7, 8}, false));
    }
}
