package dev.headlight.engine.arch;

import dev.headlight.format.config.ConfigReader;
import dev.headlight.format.config.ModelConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpsAndRopeTest {

    /** Reference values of erf from Abramowitz & Stegun table 7.1 (and its symmetry). */
    @Test
    void erfMatchesTabulatedValues() {
        double[][] table = {{0.0, 0.0}, {0.1, 0.1124629160182849}, {0.5, 0.5204998778130465},
                {1.0, 0.8427007929497149}, {1.5, 0.9661051464753108}, {2.0, 0.9953222650189527},
                {2.5, 0.9995930479825550}, {3.0, 0.9999779095030014}, {4.0, 0.9999999845827421}};
        for (double[] row : table) {
            double erfc = 1 - row[1];
            assertEquals(erfc, Ops.erfc(row[0]), 1.2e-7 * erfc, "erfc(" + row[0] + ")");
            assertEquals(1 + row[1], Ops.erfc(-row[0]), 1.2e-7 * (1 + row[1]), "erfc(" + -row[0] + ")");
        }
    }

    /** GELU variants against their definitions evaluated with the tabulated erf and Math.tanh. */
    @Test
    void geluVariants() {
        // gelu(x) = 0.5 x (1 + erf(x / sqrt 2)); x = sqrt 2 * 1.0 uses erf(1)
        float x = (float) Math.sqrt(2.0);
        assertEquals(0.5 * x * (1 + 0.8427007929497149), Ops.geluErf(x), 2e-7 * x);
        assertEquals(0.5 * -x * (1 - 0.8427007929497149), Ops.geluErf(-x), 2e-7 * x);
        // gelu_new / gelu_pytorch_tanh run through the kernels the engine uses
        float[] values = {-6f, -2.5f, -0.3f, 0f, 0.7f, 3f, 9f};
        float[] gelu = values.clone();
        dev.headlight.engine.kernel.Kernels.best().geluTanh(gelu, 0, gelu.length);
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            double u = Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v);
            assertEquals(0.5 * v * (1 + Math.tanh(u)), gelu[i], 1e-6 * Math.max(1, Math.abs(v)));
        }
    }

    @Test
    void softmaxRowSumsToOne() {
        float[] row = {1f, 2f, 3f, 1000f, -5f};
        new dev.headlight.engine.kernel.ScalarKernels(1).softmax(row, 0, 3); // the softmax attention uses
        assertEquals(1.0, row[0] + row[1] + row[2], 1e-6);
        assertEquals(1000f, row[3]); // outside the range: untouched
    }

    private static ModelConfig llama(Path dir, String rope) throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, """
                {"model_type": "llama", "hidden_size": 512, "num_hidden_layers": 1, "num_attention_heads": 4,
                 "intermediate_size": 128, "vocab_size": 10, "max_position_embeddings": 131072,
                 "rope_theta": 500000.0, "rope_scaling": %s}""".formatted(rope));
        return ConfigReader.read(file);
    }

    /** Position 0 is the identity and rotation keeps each (i, i + dim/2) pair's length. */
    @Test
    void ropeRotatesPairs(@TempDir Path dir) throws IOException {
        ModelConfig config = llama(dir, "null");
        Rope rope = new Rope(config);
        int hd = config.headDim();
        float[] x = new float[3 * hd];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i * 0.37) + 0.1f;
        }
        float[] rotated = x.clone();
        rope.apply(rotated, 3, 1, rope.tables(3));
        for (int i = 0; i < hd; i++) {
            assertEquals(x[i], rotated[i]);
        }
        for (int t = 1; t < 3; t++) {
            for (int i = 0; i < hd / 2; i++) {
                double before = Math.hypot(x[t * hd + i], x[t * hd + i + hd / 2]);
                double after = Math.hypot(rotated[t * hd + i], rotated[t * hd + i + hd / 2]);
                assertEquals(before, after, 1e-5);
            }
        }
    }

    /**
     * Llama 3 scaling keeps high frequencies (wavelength below original_max / high_freq_factor), divides low
     * frequencies (wavelength above original_max / low_freq_factor) by the factor, and interpolates between.
     */
    @Test
    void llama3ScalingBands(@TempDir Path dir) throws IOException {
        Rope plain = new Rope(llama(dir, "null"));
        Rope scaled = new Rope(llama(dir, """
                {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                 "original_max_position_embeddings": 8192, "rope_type": "llama3"}"""));
        float[] a = plain.tables(2)[1]; // sin(1 * inv_freq) at position 1
        float[] b = scaled.tables(2)[1];
        int half = a.length / 2;
        int high = 0;
        int low = 0;
        for (int i = 0; i < half; i++) {
            double invFreq = Math.asin(a[half + i]);
            double wavelen = 2 * Math.PI / invFreq;
            double scaledFreq = Math.asin(b[half + i]);
            if (wavelen < 8192 / 4.0 * 0.99) {
                assertEquals(invFreq, scaledFreq, 1e-6 * invFreq);
                high++;
            } else if (wavelen > 8192 * 1.01) {
                assertEquals(invFreq / 32, scaledFreq, 1e-4 * invFreq);
                low++;
            } else {
                assertTrue(scaledFreq <= invFreq * 1.000001 && scaledFreq >= invFreq / 32 * 0.99999);
            }
        }
        assertTrue(high > 0 && low > 0);
    }

    @Test
    void linearScalingDividesFrequencies(@TempDir Path dir) throws IOException {
        Rope plain = new Rope(llama(dir, "null"));
        Rope linear = new Rope(llama(dir, "{\"type\": \"linear\", \"factor\": 4.0}"));
        float[] a = plain.tables(5)[1];
        float[] b = linear.tables(5)[1];
        int half = a.length / 5;
        for (int i = 0; i < half; i++) {
            double f = Math.asin(a[half + i]);
            if (f < 1.0) {
                assertEquals(f / 4, Math.asin(b[half + i]), 1e-6);
            }
        }
    }
}
