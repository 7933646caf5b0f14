package dev.headlight.engine.kernel;


/** Plain-Java kernels: the numeric reference for the vectorized ones and the fallback where the Vector API is absent. */
public final class ScalarKernels implements Kernels {
    private final int threads;

    public ScalarKernels(int threads) {
        this.threads = Math.max(1, threads);
    }

    @Override
    public void linear(float[] x, int tokens, Matrix w, float[] bias, float[] out) {
        int in = w.cols();
        int outDim = w.rows();
        float[] row = new float[in];
        for (int o = 0; o < outDim; o++) {
            w.copyRow(o, row, 0);
            float b = bias == null ? 0f : bias[o];
            for (int t = 0; t < tokens; t++) {
                out[t * outDim + o] = dot(x, t * in, row, 0, in) + b;
            }
        }
    }

    @Override
    public void linearInOut(float[] x, int tokens, Matrix w, float[] bias, float[] out) {
        int in = w.rows();
        int outDim = w.cols();
        float[] row = new float[outDim];
        for (int t = 0; t < tokens; t++) {
            if (bias == null) {
                java.util.Arrays.fill(out, t * outDim, (t + 1) * outDim, 0f);
            } else {
                System.arraycopy(bias, 0, out, t * outDim, outDim);
            }
        }
        for (int i = 0; i < in; i++) {
            w.copyRow(i, row, 0);
            for (int t = 0; t < tokens; t++) {
                axpy(x[t * in + i], row, 0, out, t * outDim, outDim);
            }
        }
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public int threads() {
        return threads;
    }

    @Override
    public String name() {
        return "scalar";
    }
}
