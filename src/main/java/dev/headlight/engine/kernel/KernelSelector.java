package dev.headlight.engine.kernel;

/** Picks the kernel implementation once per JVM. */
final class KernelSelector {
    private static volatile Kernels best;

    private KernelSelector() {
    }

    static Kernels best() {
        Kernels k = best;
        if (k == null) {
            synchronized (KernelSelector.class) {
                if (best == null) {
                    best = new ScalarKernels(Runtime.getRuntime().availableProcessors());
                }
                k = best;
            }
        }
        return k;
    }
}
