package dev.headlight.analysis;

import dev.headlight.engine.AttentionMaps;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Cost of the whole head analysis from attention maps (scores, JSD matrix, MDS, clustering) for 12x12 and 32x32
 * heads over a 41-token probe plus a 24-token prompt. Run:
 * {@code java --add-modules jdk.incubator.vector -cp target/test-classes:target/classes:$(cat cp.txt)
 * org.openjdk.jmh.Main HeadMapBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class HeadMapBenchmark {
    @Param({"12", "32"})
    public int size;

    private AttentionMaps prompt;
    private int[] promptIds;
    private AttentionMaps probe;
    private int[] probeIds;

    @Setup
    public void setUp() {
        Random r = new Random(5);
        promptIds = r.ints(24, 0, 1000).toArray();
        probeIds = new int[41];
        for (int i = 1; i <= 20; i++) {
            probeIds[i] = 1000 + i;
            probeIds[i + 20] = 1000 + i;
        }
        prompt = random(r, size, promptIds.length);
        probe = random(r, size, probeIds.length);
    }

    static AttentionMaps random(Random r, int size, int t) {
        AttentionMaps maps = new AttentionMaps(size, size, t, false);
        float[] row = new float[t];
        for (int l = 0; l < size; l++) {
            for (int h = 0; h < size; h++) {
                double sharpness = 0.5 + 4 * r.nextDouble();
                for (int i = 0; i < t; i++) {
                    java.util.Arrays.fill(row, 0f);
                    double sum = 0;
                    for (int j = 0; j <= i; j++) {
                        row[j] = (float) Math.exp(sharpness * r.nextGaussian());
                        sum += row[j];
                    }
                    for (int j = 0; j <= i; j++) {
                        row[j] /= (float) sum;
                    }
                    maps.putRow(l, h, i, row, 0);
                }
            }
        }
        return maps;
    }

    @Benchmark
    public HeadAnalysisResult analyze() {
        return HeadAnalysis.analyze(prompt, promptIds, probe, probeIds, true, 0);
    }

    /** Quick manual timing without JMH. */
    public static void main(String[] args) {
        for (int size : new int[]{12, 32}) {
            HeadMapBenchmark b = new HeadMapBenchmark();
            b.size = size;
            b.setUp();
            for (int k = 0; k < 4; k++) {
                long t0 = System.nanoTime();
                long d0 = System.nanoTime();
                b.analyze();
                System.out.printf("%dx%d heads: %.1f ms%n", size, size, (System.nanoTime() - t0) / 1e6);
            }
        }
    }
}
