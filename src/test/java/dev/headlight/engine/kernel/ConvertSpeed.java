package dev.headlight.engine.kernel;

import dev.headlight.format.safetensors.DType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Speed of weight conversion (VectorKernels.convert) into float arrays, by chunk size; CPU time of this thread. */
public final class ConvertSpeed {
    public static void main(String[] args) {
        var cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        try (Arena arena = Arena.ofShared()) {
            int n = 768 * 2304;
            for (DType dtype : new DType[] {DType.F32, DType.BF16, DType.F16}) {
                MemorySegment seg = arena.allocate((long) n * dtype.byteSize() + 16, 64).asSlice(8, (long) n * dtype.byteSize());
                float[] dst = new float[768 * 64];
                short[] raw = VectorKernels.rawBuffer(dtype, 768);
                for (int chunk : new int[] {64, 768}) {
                    double best = 0;
                    for (int rep = 0; rep < 30; rep++) {
                        long t0 = cpu.getCurrentThreadCpuTime();
                        for (int i = 0; i + chunk <= n; i += chunk) {
                            VectorKernels.convert(seg, dtype, i, dst, (i / chunk % 700) * 64 % (dst.length - chunk), chunk,
                                    raw);
                        }
                        long dt = cpu.getCurrentThreadCpuTime() - t0;
                        best = Math.max(best, n / (double) dt);
                    }
                    System.out.printf("%s chunk %d: %.2f Gelem/s%n", dtype, chunk, best);
                }
            }
        }
    }
}
