package dev.headlight.engine.kernel.bench;

import dev.headlight.engine.kernel.Kernels;
import dev.headlight.engine.kernel.Matrix;
import dev.headlight.format.safetensors.DType;

import java.lang.foreign.Arena;

/** How long {@link Kernels#warmUp()} takes and how fast the first real-sized calls run after it (argument "cold": without it). */
public final class WarmUpSpeed {
    private WarmUpSpeed() {
    }

    public static void main(String[] args) {
        Kernels k = Kernels.best();
        boolean cold = args.length > 0 && args[0].equals("cold");
        long t0 = System.nanoTime();
        if (!cold) {
            k.warmUp();
        }
        System.out.printf("%s warm-up %.0f ms%n", k.name(), (System.nanoTime() - t0) / 1e6);
        try (Arena arena = Arena.ofShared()) {
            for (DType dtype : new DType[] {DType.F32, DType.BF16}) {
                Matrix w = KernelSpeed.weights(arena, dtype, 2304, 768);
                Matrix wt = KernelSpeed.weights(arena, dtype, 768, 2304);
                float[] x = new float[128 * 768];
                java.util.Arrays.fill(x, 0.5f);
                float[] y = new float[128 * 2304];
                for (int i = 0; i < 4; i++) {
                    long a = System.nanoTime();
                    k.linear(x, 128, w, null, y);
                    long b = System.nanoTime();
                    k.linearInOut(x, 128, wt, null, y);
                    long c = System.nanoTime();
                    System.out.printf("%s call %d: linear %.2f ms, linearInOut %.2f ms (128 x 768 -> 2304)%n",
                            dtype, i + 1, (b - a) / 1e6, (c - b) / 1e6);
                }
            }
        }
    }
}
