package dev.headlight.engine.kernel.bench;

import dev.headlight.engine.kernel.Kernels;
import dev.headlight.engine.kernel.Matrix;
import dev.headlight.engine.kernel.ScalarKernels;
import dev.headlight.engine.kernel.VectorKernels;
import dev.headlight.format.safetensors.DType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;

/**
 * The GPT-2-small matmuls at 128 tokens. {@code shape} is "in x out / layout": {@code inout} = W stored
 * [in][out] (Conv1D: c_attn 768x2304, c_fc 768x3072, c_proj 3072x768), {@code outin} = [out][in] (Linear;
 * 768x50257 is the tied unembedding). Score: milliseconds per call; {@link BenchMain} prints GFLOP/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Xmx2g"})
public class MatmulBenchmark {
    @Param({"768x2304/inout", "768x3072/inout", "3072x768/inout", "768x2304/outin", "768x3072/outin",
            "3072x768/outin", "768x50257/outin"})
    public String shape;

    @Param({"F32", "BF16"})
    public String dtype;

    @Param({"1", "2"})
    public int threads;

    @Param({"vector"})
    public String kernels;

    @Param({"128"})
    public int tokens;

    private Arena arena;
    private Kernels k;
    private Matrix w;
    private boolean inOut;
    private float[] x;
    private float[] bias;
    private float[] out;

    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = shape.split("[x/]");
        int in = Integer.parseInt(parts[0]);
        int outDim = Integer.parseInt(parts[1]);
        inOut = parts[2].equals("inout");
        arena = Arena.ofShared();
        DType type = DType.valueOf(dtype);
        w = inOut ? KernelSpeed.weights(arena, type, in, outDim) : KernelSpeed.weights(arena, type, outDim, in);
        k = kernels.equals("scalar") ? new ScalarKernels(threads) : new VectorKernels(threads);
        x = new float[tokens * in];
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        bias = new float[outDim];
        out = new float[tokens * outDim];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public float[] matmul() {
        if (inOut) {
            k.linearInOut(x, tokens, w, bias, out);
        } else {
            k.linear(x, tokens, w, bias, out);
        }
        return out;
    }

    /** Floating-point operations of one call (2 per multiply-add). */
    static double flops(String shape, int tokens) {
        String[] parts = shape.split("[x/]");
        return 2.0 * tokens * Long.parseLong(parts[0]) * Long.parseLong(parts[1]);
    }
}
