package dev.headlight.engine.kernel.bench;

import dev.headlight.engine.kernel.Kernels;
import dev.headlight.engine.kernel.Matrix;
import dev.headlight.engine.kernel.ScalarKernels;
import dev.headlight.engine.kernel.VectorKernels;
import dev.headlight.format.safetensors.DType;
import dev.headlight.format.safetensors.SafetensorsWriter;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * A quick GFLOP/s table without JMH's forks (minutes less per run; JMH in {@link MatmulBenchmark} is the
 * careful measurement). Best of several timed repetitions after a warm-up, because other processes share the
 * cores. Arguments: [threads...] (default 1 2) [scalar]; -Dheadlight.vector.bits=256 to compare species,
 * -Ddtype=BF16, -Dshape=REGEX (e.g. "768x.*inout"), -Dtokens=N, -Dcopies=N (cycle through N weight copies so
 * they come from memory rather than cache, as in a real forward pass).
 */
public final class KernelSpeed {
    /** GPT-2-small matmuls at 128 tokens: {in, out, layout} with 1 = [in][out] (Conv1D), 0 = [out][in]. */
    static final int[][] SHAPES = {
            {768, 2304, 1}, {768, 768, 1}, {768, 3072, 1}, {3072, 768, 1},
            {768, 2304, 0}, {768, 3072, 0}, {3072, 768, 0}, {768, 50257, 0},
    };

    private static final java.lang.management.ThreadMXBean CPU =
            java.lang.management.ManagementFactory.getThreadMXBean();

    private KernelSpeed() {
    }

    public static void main(String[] args) {
        int[] threadCounts = args.length == 0 ? new int[] {1, 2} : java.util.Arrays.stream(args)
                .filter(a -> a.matches("\\d+")).mapToInt(Integer::parseInt).toArray();
        boolean scalar = java.util.Arrays.asList(args).contains("scalar");
        int tokens = Integer.getInteger("tokens", 128);
        try (Arena arena = Arena.ofShared()) {
            DType[] dtypes = System.getProperty("dtype") == null ? new DType[] {DType.F32, DType.BF16}
                    : new DType[] {DType.valueOf(System.getProperty("dtype"))};
            for (DType dtype : dtypes) {
                for (int threads : threadCounts) {
                    Kernels k = scalar ? new ScalarKernels(threads) : new VectorKernels(threads);
                    for (int[] s : SHAPES) {
                        if (System.getProperty("shape") != null
                                && !(s[0] + "x" + s[1] + "/" + (s[2] == 1 ? "inout" : "outin"))
                                .matches(System.getProperty("shape"))) {
                            continue;
                        }
                        int in = s[0];
                        int out = s[1];
                        boolean inOut = s[2] == 1;
                        // several copies used in turn: weights come from memory, not cache, as in a forward pass
                        int copies = Integer.getInteger("copies", 1);
                        Matrix[] ws = new Matrix[copies];
                        for (int c = 0; c < copies; c++) {
                            ws[c] = inOut ? weights(arena, dtype, in, out) : weights(arena, dtype, out, in);
                        }
                        float[] x = new float[tokens * in];
                        SplittableRandom r = new SplittableRandom(1);
                        for (int i = 0; i < x.length; i++) {
                            x[i] = (float) r.nextGaussian();
                        }
                        float[] y = new float[tokens * out];
                        float[] bias = new float[out];
                        double flops = 2.0 * tokens * in * out;
                        int reps = (int) Math.max(3, Math.min(40, 3e9 / flops));
                        for (int i = 0; i < reps; i++) {
                            run(k, inOut, x, tokens, ws[i % copies], bias, y);
                        }
                        long best = Long.MAX_VALUE;
                        long bestCpu = Long.MAX_VALUE;
                        for (int i = 0; i < reps; i++) {
                            long c0 = CPU.getCurrentThreadCpuTime();
                            long t0 = System.nanoTime();
                            run(k, inOut, x, tokens, ws[i % copies], bias, y);
                            best = Math.min(best, System.nanoTime() - t0);
                            bestCpu = Math.min(bestCpu, CPU.getCurrentThreadCpuTime() - c0);
                        }
                        // on one thread, CPU time leaves out the slices other processes took from this core
                        String cpu = threads == 1 ? String.format("  (CPU time: %6.1f GFLOP/s)", flops / bestCpu) : "";
                        System.out.printf("%-10s %-4s threads=%d %s %4d x %5d -> %5d  %7.2f ms  %6.1f GFLOP/s%s%n",
                                k.name(), dtype, threads, inOut ? "linearInOut" : "linear     ", tokens, in, out,
                                best / 1e6, flops / best, cpu);
                    }
                }
            }
        }
    }

    private static void run(Kernels k, boolean inOut, float[] x, int tokens, Matrix w, float[] bias, float[] y) {
        if (inOut) {
            k.linearInOut(x, tokens, w, bias, y);
        } else {
            k.linear(x, tokens, w, bias, y);
        }
    }

    /** Random normal(0, 0.02) weights in native memory, one byte off alignment like a real safetensors file may be. */
    static Matrix weights(Arena arena, DType dtype, int rows, int cols) {
        long n = (long) rows * cols;
        MemorySegment seg = arena.allocate(n * dtype.byteSize() + 64, 64).asSlice(8, n * dtype.byteSize());
        SplittableRandom r = new SplittableRandom(rows * 31L + cols);
        ValueLayout.OfFloat f32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        ValueLayout.OfShort i16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < n; i++) {
            float v = (float) (r.nextGaussian() * 0.02);
            if (dtype == DType.F32) {
                seg.setAtIndex(f32, i, v);
            } else if (dtype == DType.BF16) {
                seg.setAtIndex(i16, i, SafetensorsWriter.toBFloat16(v));
            } else {
                seg.setAtIndex(i16, i, Float.floatToFloat16(v));
            }
        }
        return new Matrix(dtype + "[" + rows + "x" + cols + "]", dtype, rows, cols, seg);
    }
}
