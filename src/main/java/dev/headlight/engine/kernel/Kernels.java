package dev.headlight.engine.kernel;

/**
 * The dense numeric work of a forward pass. Implementations: {@link ScalarKernels} (plain Java, the reference in
 * tests and the fallback) and a Vector API one chosen at run time by {@link #best()}.
 * All activations are row-major float arrays; weights are read through {@link Matrix}.
 * Implementations are thread-safe: calls may come from several threads at once. Call {@link #warmUp()} once
 * before timing-sensitive work: until the JIT has compiled them the kernels run ~50x slower.
 */
public interface Kernels {

    /** out[t][o] = sum_i x[t][i] * w[o][i] + bias[o]; w stored [out][in] as torch.nn.Linear. bias may be null. */
    void linear(float[] x, int tokens, Matrix w, float[] bias, float[] out);

    /** out[t][o] = sum_i x[t][i] * w[i][o] + bias[o]; w stored [in][out] as GPT-2's Conv1D. bias may be null. */
    void linearInOut(float[] x, int tokens, Matrix w, float[] bias, float[] out);

    /**
     * A times B transposed, for activations at any row stride: c[cOff + i*cStride + j] = alpha * sum_p
     * a[aOff + i*aStride + p] * b[bOff + j*bStride + p] for i &lt; m, j &lt; n, p &lt; k. For example the
     * attention scores Q.K^T / sqrt(d) of one head read straight from a [tokens][3*d] qkv buffer (m = n = tokens,
     * k = head dim); a causal caller can ask for row blocks with n = last row + 1.
     */
    default void gemmTransposed(int m, int n, int k, float alpha, float[] a, int aOff, int aStride,
                                float[] b, int bOff, int bStride, float[] c, int cOff, int cStride) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                c[cOff + i * cStride + j] = alpha * dot(a, aOff + i * aStride, b, bOff + j * bStride, k);
            }
        }
    }

    /**
     * A times B: c[cOff + i*cStride + j] = sum_p a[aOff + i*aStride + p] * b[bOff + p*bStride + j] for
     * i &lt; m, j &lt; n, p &lt; k (c is overwritten). For example the attention output P.V of one head (m = tokens,
     * k = keys, n = head dim) with V read from the qkv buffer.
     */
    default void gemm(int m, int n, int k, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                      float[] c, int cOff, int cStride) {
        for (int i = 0; i < m; i++) {
            java.util.Arrays.fill(c, cOff + i * cStride, cOff + i * cStride + n, 0f);
            for (int p = 0; p < k; p++) {
                axpy(a[aOff + i * aStride + p], b, bOff + p * bStride, c, cOff + i * cStride, n);
            }
        }
    }

    /**
     * GELU with the tanh approximation (HF gelu_new, gelu_pytorch_tanh) in place on x[from, to):
     * 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). Vectorized it is ~20x faster than Math.tanh per element.
     */
    default void geluTanh(float[] x, int from, int to) {
        for (int i = from; i < to; i++) {
            double v = x[i];
            x[i] = (float) (0.5 * v * (1.0 + Math.tanh(Math.sqrt(2.0 / Math.PI) * (v + 0.044715 * v * v * v))));
        }
    }

    /** SiLU (swish) in place on x[from, to): x / (1 + exp(-x)). */
    default void silu(float[] x, int from, int to) {
        for (int i = from; i < to; i++) {
            x[i] = (float) (x[i] / (1.0 + Math.exp(-x[i])));
        }
    }

    /**
     * Softmax in place on x[from, to): exp(x - max) / sum. Entries of -infinity (masked) become 0; a row that
     * is all -infinity becomes NaN, as in torch.
     */
    default void softmax(float[] x, int from, int to) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) {
            max = Math.max(max, x[i]);
        }
        double sum = 0;
        for (int i = from; i < to; i++) {
            float e = (float) Math.exp(x[i] - max);
            x[i] = e;
            sum += e;
        }
        float total = (float) sum;
        for (int i = from; i < to; i++) {
            x[i] /= total;
        }
    }

    /** sum_i a[aOff + i] * b[bOff + i] for i in [0, n). */
    float dot(float[] a, int aOff, float[] b, int bOff, int n);

    /** y[yOff + i] += alpha * x[xOff + i] for i in [0, n). */
    void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n);

    /** Threads the kernels split work across. */
    int threads();

    /** A short name for logs and bench output, e.g. "vector-512" or "scalar". */
    String name();

    /**
     * Runs every path a few times on small data so that the JIT compiles the kernels before a real forward pass
     * (interpreted they run ~45x slower). Takes a fraction of a second; call it once, e.g. while a model opens.
     */
    default void warmUp() {
        WarmUp.run(this);
    }

    /**
     * {@link #warmUp()} on a new daemon thread, e.g. started with the application so the kernels are compiled by
     * the time a model has opened. The future completes when it is done (exceptionally if it failed).
     */
    default java.util.concurrent.CompletableFuture<Void> warmUpInBackground() {
        // waits while real work runs: beside a real pass it took half the cores (TinyLlama's next pass: 6.6 s
        // instead of 1.2 s), whoever makes the pass (explorer, interventions, a recompute)
        return warmUpInBackground(() -> System.nanoTime() - lastRealWorkNanos() < WarmUp.QUIET_NANOS);
    }

    /**
     * System.nanoTime() of the latest call large enough to be split across cores that the warm-up did not make;
     * far in the past when there was none (or this implementation does not track it).
     */
    default long lastRealWorkNanos() {
        return Long.MIN_VALUE / 2;
    }

    /** {@link #warmUpInBackground()} that waits between its rounds while {@code paused} is true. */
    default java.util.concurrent.CompletableFuture<Void> warmUpInBackground(java.util.function.BooleanSupplier paused) {
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        Thread.ofPlatform().daemon().name("headlight-kernel-warm-up").start(() -> {
            try {
                WarmUp.run(this, WarmUp.CAP_NANOS, paused);
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /**
     * The fastest implementation this JVM supports, created once: see {@link KernelSelector} for the system
     * properties {@code headlight.kernels} (scalar|vector|auto) and {@code headlight.threads}.
     */
    static Kernels best() {
        return KernelSelector.best();
    }
}
