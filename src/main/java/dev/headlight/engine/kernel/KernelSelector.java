package dev.headlight.engine.kernel;

/**
 * Picks the kernel implementation once per JVM: {@link VectorKernels} when the jdk.incubator.vector module is
 * present (the launcher and tests pass {@code --add-modules jdk.incubator.vector}), else {@link ScalarKernels}.
 * System properties: {@code headlight.kernels=scalar|vector|auto} forces a choice; {@code headlight.threads}
 * sets the thread count (default: all available processors).
 */
final class KernelSelector {
    static final String KERNELS_PROPERTY = "headlight.kernels";
    static final String THREADS_PROPERTY = "headlight.threads";

    private static volatile Kernels best;

    private KernelSelector() {
    }

    static Kernels best() {
        Kernels k = best;
        if (k == null) {
            synchronized (KernelSelector.class) {
                if (best == null) {
                    best = create(System.getProperty(KERNELS_PROPERTY, "auto"), threads());
                }
                k = best;
            }
        }
        return k;
    }

    /** Threads from {@code headlight.threads}, default all available processors. */
    static int threads() {
        String value = System.getProperty(THREADS_PROPERTY);
        int cores = Runtime.getRuntime().availableProcessors();
        if (value == null || value.isBlank()) {
            return cores;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(THREADS_PROPERTY + " must be a positive integer, not '" + value + "'");
        }
    }

    /** The kernels for a {@code headlight.kernels} value: scalar, vector (fails without the module) or auto. */
    static Kernels create(String choice, int threads) {
        return switch (choice.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "scalar" -> new ScalarKernels(threads);
            case "vector" -> {
                Kernels v = vectorOrNull(threads);
                if (v == null) {
                    throw new IllegalStateException(KERNELS_PROPERTY + "=vector but the Vector API is not usable: "
                            + "run the JVM with --add-modules jdk.incubator.vector");
                }
                yield v;
            }
            case "auto", "" -> {
                Kernels v = vectorOrNull(threads);
                yield v != null ? v : new ScalarKernels(threads);
            }
            default -> throw new IllegalArgumentException(KERNELS_PROPERTY + " must be scalar, vector or auto, not '"
                    + choice + "'");
        };
    }

    /** True if jdk.incubator.vector is in the boot layer (only then can VectorKernels load). */
    static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    private static Kernels vectorOrNull(int threads) {
        if (!vectorModulePresent()) {
            return null;
        }
        try {
            return VectorKernels.usable() ? new VectorKernels(threads) : null;
        } catch (LinkageError e) {
            // the module is present but its classes cannot be linked here: fall back to plain Java
            return null;
        }
    }
}
