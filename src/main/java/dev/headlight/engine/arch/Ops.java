package dev.headlight.engine.arch;

/**
 * Element-wise and per-row operations of the forward pass, written to round like PyTorch's float32 kernels:
 * reductions are accumulated in double and rounded once, element-wise results are float32.
 * All activations are row-major: {@code x // [rows][width]}.
 */
final class Ops {
    private Ops() {
    }

    /** torch.nn.LayerNorm: (x - mean) / sqrt(var + eps) * w + b, per row, in place into {@code out}. */
    static void layerNorm(float[] x, int rows, int width, float[] w, float[] b, double eps, float[] out) {
        for (int r = 0; r < rows; r++) {
            int o = r * width;
            double sum = 0;
            for (int i = 0; i < width; i++) {
                sum += x[o + i];
            }
            double mean = sum / width;
            double sq = 0;
            for (int i = 0; i < width; i++) {
                double d = x[o + i] - mean;
                sq += d * d;
            }
            float rstd = (float) (1.0 / Math.sqrt(sq / width + eps));
            float m = (float) mean;
            for (int i = 0; i < width; i++) {
                out[o + i] = (x[o + i] - m) * rstd * w[i] + (b == null ? 0f : b[i]);
            }
        }
    }

    /**
     * Llama's RMSNorm: w * (x * rsqrt(mean(x^2) + eps)), per row. With {@code gemma} the scale is (1 + w)
     * applied after normalizing, as Gemma's RMSNorm does.
     */
    static void rmsNorm(float[] x, int offset, int rows, int width, float[] w, double eps, boolean gemma,
                        float[] out) {
        for (int r = 0; r < rows; r++) {
            int o = offset + r * width;
            double sq = 0;
            for (int i = 0; i < width; i++) {
                sq += (double) x[o + i] * x[o + i];
            }
            float variance = (float) (sq / width);
            float rstd = (float) (1.0 / Math.sqrt(variance + (float) eps));
            for (int i = 0; i < width; i++) {
                float normed = x[o + i] * rstd;
                out[o + i] = gemma ? normed * (1f + w[i]) : w[i] * normed;
            }
        }
    }

    static void rmsNorm(float[] x, int rows, int width, float[] w, double eps, boolean gemma, float[] out) {
        rmsNorm(x, 0, rows, width, w, eps, gemma, out);
    }

    /** x[i] += y[i] for i &lt; n. */
    static void addInPlace(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            x[i] += y[i];
        }
    }

    /** x[i] += y[i]. */
    static void addInPlace(float[] x, float[] y) {
        for (int i = 0; i < x.length; i++) {
            x[i] += y[i];
        }
    }

    /** The MLP activations the kernels do not vectorize, named as in HF's ACT2FN, in place. */
    private static void activateScalar(String activation, float[] x, int from, int to) {
        switch (activation) {
            case "gelu" -> {
                for (int i = from; i < to; i++) {
                    x[i] = geluErf(x[i]);
                }
            }
            case "gelu_fast" -> {
                for (int i = from; i < to; i++) {
                    double v = x[i];
                    x[i] = (float) (0.5 * v * (1.0 + Math.tanh(v * 0.7978845608 * (1.0 + 0.044715 * v * v))));
                }
            }
            case "relu" -> {
                for (int i = from; i < to; i++) {
                    x[i] = Math.max(0f, x[i]);
                }
            }
            default -> throw new IllegalStateException("activation " + activation);
        }
    }

    /**
     * The MLP activation named as in HF's ACT2FN, in place, with the vectorized kernels where they exist (gelu_new /
     * gelu_pytorch_tanh and silu, ~20x faster than a Math.tanh / Math.exp loop; within a float32 ulp or two).
     */
    static void activate(dev.headlight.engine.kernel.Kernels kernels, String activation, float[] x) {
        activate(kernels, activation, x, x.length);
    }

    /** The same on x[0, n). */
    static void activate(dev.headlight.engine.kernel.Kernels kernels, String activation, float[] x, int n) {
        switch (activation) {
            case "gelu_new", "gelu_pytorch_tanh" -> kernels.geluTanh(x, 0, n);
            case "silu" -> kernels.silu(x, 0, n);
            default -> activateScalar(activation, x, 0, n);
        }
    }

    /** Exact GELU: 0.5 x (1 + erf(x / sqrt 2)) = 0.5 x erfc(-x / sqrt 2). */
    static float geluErf(float x) {
        double v = x;
        return (float) (0.5 * v * erfc(-v / Math.sqrt(2.0)));
    }

    static double erf(double x) {
        return 1.0 - erfc(x);
    }

    /**
     * The complementary error function with fractional error below 1.2e-7 everywhere (Numerical Recipes'
     * Chebyshev fit erfcc), so GELU stays within about one float32 ulp on both tails.
     */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double ans = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? ans : 2.0 - ans;
    }

    /** tanh(x / cap) * cap in float32, as Gemma 2's soft-capping. */
    static float softcap(float x, float cap) {
        return (float) Math.tanh(x / cap) * cap;
    }
}
