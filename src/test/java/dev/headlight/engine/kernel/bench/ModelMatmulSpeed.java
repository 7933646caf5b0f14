package dev.headlight.engine.kernel.bench;

import dev.headlight.engine.kernel.Kernels;
import dev.headlight.engine.kernel.Matrix;
import dev.headlight.engine.kernel.VectorKernels;
import dev.headlight.format.safetensors.TensorStore;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The matmuls of a real GPT-2 forward pass on the model's memory-mapped weights (page-cache pages, as in the
 * app, unlike {@link KernelSpeed}'s native arrays): the 48 Conv1D matmuls of the 12 layers, then the
 * unembedding. Median of several sweeps, in wall time and in the CPU time of all threads, which other processes on the
 * shared cores do not inflate. Arguments: MODEL_DIR [threads] [tokens] [sweeps].
 */
public final class ModelMatmulSpeed {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private ModelMatmulSpeed() {
    }

    /** CPU time of all the JVM's threads (the kernel pool's too): on several threads, what the work cost. */
    private static long processCpu() {
        long sum = 0;
        for (long id : CPU.getAllThreadIds()) {
            long t = CPU.getThreadCpuTime(id);
            if (t > 0) {
                sum += t;
            }
        }
        return sum;
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int tokens = args.length > 2 ? Integer.parseInt(args[2]) : 128;
        int sweeps = args.length > 3 ? Integer.parseInt(args[3]) : 7;
        Kernels k = new VectorKernels(threads);
        try (TensorStore store = TensorStore.open(dir)) {
            List<Matrix> inOut = new ArrayList<>();
            for (int layer = 0; store.contains("transformer.h." + layer + ".attn.c_attn.weight"); layer++) {
                for (String name : new String[] {"attn.c_attn", "attn.c_proj", "mlp.c_fc", "mlp.c_proj"}) {
                    inOut.add(Matrix.of(store.tensor("transformer.h." + layer + "." + name + ".weight")));
                }
            }
            Matrix wte = Matrix.of(store.tensor("transformer.wte.weight"));
            float[] x = new float[tokens * 3072];
            SplittableRandom r = new SplittableRandom(1);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
            }
            float[] y = new float[tokens * 3072];
            float[] logits = new float[tokens * wte.rows()];
            double inOutFlops = 0;
            for (Matrix w : inOut) {
                inOutFlops += 2.0 * tokens * w.rows() * w.cols();
            }
            double unembedFlops = 2.0 * tokens * wte.rows() * wte.cols();
            long[][] times = new long[4][sweeps];   // [inOut wall, inOut cpu, unembed wall, unembed cpu][sweep]
            for (int s = -2; s < sweeps; s++) {
                long c0 = processCpu();
                long t0 = System.nanoTime();
                for (Matrix w : inOut) {
                    k.linearInOut(x, tokens, w, null, y);
                }
                long c1 = processCpu();
                long t1 = System.nanoTime();
                k.linear(x, tokens, wte, null, logits);
                long c2 = processCpu();
                long t2 = System.nanoTime();
                if (s >= 0) {
                    times[0][s] = t1 - t0;
                    times[1][s] = c1 - c0;
                    times[2][s] = t2 - t1;
                    times[3][s] = c2 - c1;
                }
            }
            for (long[] t : times) {
                Arrays.sort(t);
            }
            System.out.printf("%s threads=%d tokens=%d  Conv1D x%d: %.1f ms wall %.1f GFLOP/s, cpu %.1f GFLOP/s"
                            + " | unembed: %.1f ms wall %.1f GFLOP/s, cpu %.1f GFLOP/s%n",
                    k.name(), threads, tokens, inOut.size(), times[0][sweeps / 2] / 1e6,
                    inOutFlops / times[0][sweeps / 2], inOutFlops / times[1][sweeps / 2], times[2][sweeps / 2] / 1e6,
                    unembedFlops / times[2][sweeps / 2], unembedFlops / times[3][sweeps / 2]);
        }
    }
}
