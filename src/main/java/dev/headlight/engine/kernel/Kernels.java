package dev.headlight.engine.kernel;

/**
 * The dense numeric work of a forward pass. Implementations: {@link ScalarKernels} (plain Java, the reference in
 * tests and the fallback) and a Vector API one chosen at run time by {@link #best()}.
 * All activations are row-major float arrays; weights are read in place through {@link Matrix}.
 */
public interface Kernels {

    /** out[t][o] = sum_i x[t][i] * w[o][i] + bias[o]; w stored [out][in] as torch.nn.Linear. bias may be null. */
    void linear(float[] x, int tokens, Matrix w, float[] bias, float[] out);

    /** out[t][o] = sum_i x[t][i] * w[i][o] + bias[o]; w stored [in][out] as GPT-2's Conv1D. bias may be null. */
    void linearInOut(float[] x, int tokens, Matrix w, float[] bias, float[] out);

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
     * The fastest implementation this JVM supports, created once: see {@link KernelSelector} for the system
     * properties {@code headlight.kernels} (scalar|vector|auto) and {@code headlight.threads}.
     */
    static Kernels best() {
        return KernelSelector.best();
    }
}
