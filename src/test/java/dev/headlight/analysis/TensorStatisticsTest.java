package dev.headlight.analysis;

import dev.headlight.format.safetensors.Tensor;
import dev.headlight.format.safetensors.TensorStore;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TensorStatisticsTest {

    @Test
    void statisticsOfAFixtureTensorAndOfAColumnSlice() {
        try (TensorStore store = TensorStore.open(Path.of("src/test/resources/fixtures/gpt2-tiny/model"))) {
            Tensor t = store.tensor("transformer.h.0.attn.c_attn.weight"); // [64, 192]
            float[] all = t.toFloats();
            check(all, TensorStatistics.of(t, TensorStatistics.Region.all(t), 20, null));
            // columns 16..31: head 1's query columns of the fused projection
            float[] slice = new float[64 * 16];
            for (int r = 0; r < 64; r++) {
                System.arraycopy(all, r * 192 + 16, slice, r * 16, 16);
            }
            check(slice, TensorStatistics.of(t, new TensorStatistics.Region(0, 64, 16, 32), 20, null));
        }
    }

    private static void check(float[] values, TensorStatistics s) {
        double mean = 0;
        for (float v : values) {
            mean += v;
        }
        mean /= values.length;
        double var = 0;
        for (float v : values) {
            var += (v - mean) * (v - mean);
        }
        var /= values.length;
        float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(values.length, s.count());
        assertEquals(min, s.min(), 0);
        assertEquals(max, s.max(), 0);
        assertEquals(mean, s.mean(), 1e-9);
        assertEquals(Math.sqrt(var), s.std(), 1e-9);
        assertEquals(values.length, Arrays.stream(s.bins()).sum());
        assertEquals(1, s.bins()[s.bins().length - 1] > 0 ? 1 : 0, "the maximum falls in the last bin");
    }
}
