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

    /** x[i] += y[i]. */
    static void addInPlace(float[] x, float[] y) {
        for (int i = 0; i < x.length; i++) {
            x[i] += y[i];
        }
    }

    /** The MLP activation named as in HF's ACT2FN, in place. */
    static void activate(String activation, float[] x, int from, int to) {
        switch (activation) {
            case "gelu" -> {
                for (int i = from; i < to; i++) {
                    x[i] = geluErf(x[i]);
                }
            }
            case "gelu_new", "gelu_pytorch_tanh" -> {
                for (int i = from; i < to; i++) {
                    x[i] = geluTanh(x[i]);
                }
            }
            case "gelu_fast" -> {
                for (int i = from; i < to; i++) {
                    double v = x[i];
                    x[i] = (float) (0.5 * v * (1.0 + Math.tanh(v * 0.7978845608 * (1.0 + 0.044715 * v * v))));
                }
            }
            case "silu" -> {
                for (int i = from; i < to; i++) {
                    x[i] = silu(x[i]);
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

    static void activate(String activation, float[] x) {
        activate(activation, x, 0, x.length);
    }

    static float silu(float x) {
        return (float) (x / (1.0 + Math.exp(-x)));
    }

    /** GELU with the tanh approximation (gelu_new, gelu_pytorch_tanh). */
    static float geluTanh(float x) {
        double v = x;
        return (float) (0.5 * v * (1.0 + Math.tanh(Math.sqrt(2.0 / Math.PI) * (v + 0.044715 * v * v * v))));
    }

    /** Exact GELU: 0.5 x (1 + erf(x / sqrt 2)). */
    static float geluErf(float x) {
        double v = x;
        return (float) (0.5 * v * (1.0 + erf(v / Math.sqrt(2.0))));
    }

    /**
     * erf in double precision: Maclaurin series for |x| < 2.5 (terms stay below ~500, so ~1e-13 absolute
     * error) and the continued fraction of erfc beyond.
     */
    static double erf(double x) {
        double a = Math.abs(x);
        double result;
        if (a < 2.5) {
            // erf(x) = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1))
            double term = a;
            double sum = a;
            double x2 = a * a;
            for (int n = 1; n < 200; n++) {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
                    break;
                }
            }
            result = 2.0 / Math.sqrt(Math.PI) * sum;
        } else if (a > 6.5) {
            result = 1.0;
        } else {
            // erfc(a) = exp(-a^2)/sqrt(pi) * 1/(a + (1/2)/(a + 1/(a + (3/2)/(a + 2/(a + ...))))), evaluated backwards
            double f = a;
            for (int k = 120; k >= 1; k--) {
                f = a + (k / 2.0) / f;
            }
            result = 1.0 - Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
        }
        return x < 0 ? -result : result;
    }

    /** Softmax of one row in place (masked entries already excluded by the caller): exp(x - max) / sum. */
    static void softmax(float[] row, int from, int to) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) {
            max = Math.max(max, row[i]);
        }
        double sum = 0;
        for (int i = from; i < to; i++) {
            float e = (float) Math.exp(row[i] - max);
            row[i] = e;
            sum += e;
        }
        float total = (float) sum;
        for (int i = from; i < to; i++) {
            row[i] /= total;
        }
    }

    /** tanh(x / cap) * cap in float32, as Gemma 2's soft-capping. */
    static float softcap(float x, float cap) {
        return (float) Math.tanh(x / cap) * cap;
    }
}
