package dev.headlight.engine.bench;

import dev.headlight.engine.Model;
import dev.headlight.engine.RunOptions;
import dev.headlight.engine.synth.SyntheticModel;
import dev.headlight.engine.synth.SyntheticModel.Spec;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Times full-capture forward passes of a GPT-2-small-sized model (124M, fp32, random weights), not a unit test:
 * <pre>
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *      -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) \
 *      dev.headlight.engine.bench.ForwardBench [/tmp/gpt2small] [runs]
 * </pre>
 * Writes the model folder first when it does not exist (~500 MB). Also prints how long the first pass right
 * after opening takes (kernels still compiling). Prints best and median of {@code runs}
 * (default 5) after warm-up for 128 tokens with {@link RunOptions#exact()} and 32 tokens with
 * {@link RunOptions#display()}, with the process CPU time and GC time per run. On a shared machine wall time
 * swings 2x with other load; to compare two builds run them alternately a few times, e.g. single-core with
 * {@code -XX:ActiveProcessorCount=1} where the CPU time and the wall time should agree.
 */
public final class ForwardBench {
    private ForwardBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/gpt2small");
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            SyntheticModel.write(dir, Spec.gpt2Small());
        }
        long open0 = System.nanoTime();
        try (Model model = Model.open(dir)) {
            long first0 = System.nanoTime();
            model.run(new Random(1).ints(32, 0, model.info().vocab()).toArray(), RunOptions.display());
            System.out.printf(Locale.ROOT, "open %.0f ms, first 32-token display pass right after %.0f ms%n",
                    (first0 - open0) / 1e6, (System.nanoTime() - first0) / 1e6);
            time(model, 128, RunOptions.exact(), "128 tokens exact  ", runs);
            time(model, 32, RunOptions.display(), " 32 tokens display", runs);
        }
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(b -> Math.max(0, b.getCollectionTime()))
                .sum();
    }

    private static void time(Model model, int tokens, RunOptions options, String label, int runs) {
        int[] ids = new Random(tokens).ints(tokens, 0, model.info().vocab()).toArray();
        for (int i = 0; i < 3; i++) {
            model.run(ids, options); // warm-up: JIT
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double[] ms = new double[runs];
        double[] cpu = new double[runs]; // process CPU time: less sensitive than wall time to other load
        long gc0 = gcMillis();
        for (int i = 0; i < runs; i++) {
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            model.run(ids, options);
            ms[i] = (System.nanoTime() - t0) / 1e6;
            cpu[i] = (os.getProcessCpuTime() - c0) / 1e6;
        }
        double gcPerRun = (gcMillis() - gc0) / (double) runs;
        Arrays.sort(ms);
        Arrays.sort(cpu);
        System.out.printf(Locale.ROOT, "%s best %7.1f ms  median %7.1f ms  CPU median %7.1f ms  GC %.1f ms/run  (%s)%n",
                label, ms[0], ms[runs / 2], cpu[runs / 2], gcPerRun,
                Arrays.toString(Arrays.stream(ms).mapToLong(Math::round).toArray()));
    }
}
