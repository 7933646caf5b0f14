package dev.headlight.engine.kernel.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

import java.util.Collection;
import java.util.Locale;

/**
 * Runs the JMH benchmarks and adds a GFLOP/s column. Arguments are JMH's own (e.g. a benchmark regex,
 * {@code -p threads=2}, {@code -p dtype=BF16}, {@code -f 1 -wi 3 -i 5}); see the README of this package:
 * <pre>
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *      -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) \
 *      dev.headlight.engine.kernel.bench.BenchMain MatmulBenchmark -p threads=2
 * </pre>
 * Add {@code -jvmArgsAppend -Dheadlight.vector.bits=256} to measure 256-bit vectors.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        Collection<RunResult> results = new Runner(new CommandLineOptions(args)).run();
        System.out.println();
        System.out.println("GFLOP/s (best iteration, and mean):");
        for (RunResult r : results) {
            var params = r.getParams();
            String shape = params.getParam("shape");
            if (shape == null) {
                continue;
            }
            int tokens = Integer.parseInt(params.getParam("tokens"));
            double flops = MatmulBenchmark.flops(shape, tokens);
            double meanMs = r.getPrimaryResult().getScore();
            double bestMs = r.getPrimaryResult().getStatistics().getMin();
            System.out.printf(Locale.ROOT, "%-7s %-5s threads=%s %-16s tokens=%d  %8.2f ms  best %6.1f  mean %6.1f%n",
                    params.getParam("kernels"), params.getParam("dtype"), params.getParam("threads"), shape, tokens,
                    bestMs, flops / bestMs / 1e6, flops / meanMs / 1e6);
        }
    }
}
