package dev.headlight.engine.bench;

import dev.headlight.engine.Model;
import dev.headlight.engine.RunOptions;
import dev.headlight.engine.Trace;
import dev.headlight.engine.kernel.Kernels;
import dev.headlight.format.tokenizer.Tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * Developer tool (not a test): the figures for a large model folder in one fresh JVM, as the app uses it — the
 * first Model.open (JIT cold, files in the page cache), the first tokenizer() (it loads in the background), the
 * first full-capture pass (page-in of the mapped weights, JIT) and timed passes of each token count, with the
 * process's resident memory (VmRSS) after each step and its peak (VmHWM). {@code --warm-up} starts the kernel
 * warm-up first, as the window does; {@code --opens} measures warm opens and Tokenizer.load instead of passes.
 * Make the folders with {@code headlight synth} (see its help for the TinyLlama-1.1B and Qwen2-0.5B shapes); run
 * one process per token count for the peak RSS of that count.
 * <pre>
 *   mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt
 *   java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *       -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) \
 *       dev.headlight.engine.bench.LargeModelTool /tmp/tinyllama 64 [256 ...] [--runs 3]
 * </pre>
 */
public final class LargeModelTool {
    private LargeModelTool() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: LargeModelTool MODEL_DIR [TOKENS ...] [--runs R] [--warm-up] [--opens]");
            System.exit(2);
        }
        Path folder = Path.of(args[0]);
        int runs = 3;
        boolean warmUp = false;
        boolean opens = false;
        int[] counts = new int[args.length];
        int n = 0;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--warm-up" -> warmUp = true;
                case "--opens" -> opens = true;
                default -> counts[n++] = Integer.parseInt(args[i]);
            }
        }
        counts = n == 0 ? new int[] {64} : Arrays.copyOf(counts, n);
        report("start", 0);
        CompletableFuture<Void> warm = warmUp ? Kernels.best().warmUpInBackground() : null;

        long t0 = System.nanoTime();
        Model model = Model.open(folder);
        report("first Model.open", System.nanoTime() - t0);
        System.out.println("  " + model.info().summary() + ", " + model.info().weightsBytes() / 1_000_000 + " MB");
        long s0 = System.nanoTime();
        int[] encoded = model.tokenizer().encode("The quick brown fox jumps over the lazy dog.").ids();
        report("first tokenizer() + encode (" + encoded.length + " ids)", System.nanoTime() - s0);
        if (opens) {
            model.close();
            long[] times = new long[5];
            for (int i = 0; i < times.length; i++) {
                long s = System.nanoTime();
                try (Model m = Model.open(folder)) {
                    times[i] = System.nanoTime() - s;
                    m.tokenizer(); // not timed: one background load at a time
                }
            }
            Arrays.sort(times);
            report("warm Model.open (median of 5)", times[2]);
            Path tokenizerJson = folder.resolve("tokenizer.json");
            if (Files.isRegularFile(tokenizerJson)) {
                long[] loads = new long[3];
                for (int i = 0; i < loads.length; i++) {
                    long s = System.nanoTime();
                    Tokenizer tokenizer = Tokenizer.load(tokenizerJson);
                    loads[i] = System.nanoTime() - s;
                    if (i == 0) {
                        System.out.println("  tokenizer vocab " + tokenizer.vocabSize() + ", "
                                + Files.size(tokenizerJson) / 1000 + " kB");
                    }
                }
                Arrays.sort(loads);
                report("warm Tokenizer.load (best of 3)", loads[0]);
            }
            System.out.printf(Locale.ROOT, "peak RSS (VmHWM) %s MB%n", status("VmHWM"));
            return;
        }
        if (warm != null) {
            long s = System.nanoTime();
            warm.join();
            report("waited for the kernel warm-up", System.nanoTime() - s);
        }
        Random random = new Random(42);
        for (int tokens : counts) {
            int[] ids = random.ints(tokens, 0, model.info().vocab()).toArray();
            Trace first = model.run(ids, RunOptions.exact());
            report("first pass, " + tokens + " tokens", first.elapsedNanos());
            long[] times = new long[runs];
            long allocated = allocatedBytes();
            long cpu = processCpuNanos();
            for (int r = 0; r < runs; r++) {
                times[r] = model.run(ids, RunOptions.exact()).elapsedNanos();
            }
            cpu = processCpuNanos() - cpu;
            allocated = allocatedBytes() - allocated;
            Arrays.sort(times);
            report(tokens + " tokens, median of " + runs + " (min " + ms(times[0]) + ")", times[runs / 2]);
            System.out.printf(Locale.ROOT, "  allocated per pass: %.0f MB (all threads); process CPU per pass: %s "
                    + "(less sensitive to other jobs on the machine than wall time)%n", allocated / 1e6 / runs,
                    ms(cpu / runs));
        }
        model.close();
        System.out.printf(Locale.ROOT, "peak RSS (VmHWM) %s MB, heap max %d MB%n", status("VmHWM"),
                Runtime.getRuntime().maxMemory() >> 20);
    }

    private static void report(String what, long nanos) {
        System.out.printf(Locale.ROOT, "%-48s %10s   RSS %6s MB%n", what, nanos == 0 ? "" : ms(nanos),
                status("VmRSS"));
    }

    /** Bytes allocated so far by all live threads (the kernels' pool threads included). */
    private static long allocatedBytes() {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        return threads.getTotalThreadAllocatedBytes();
    }

    /** CPU time used by this process so far (all threads, JIT and GC included). */
    private static long processCpuNanos() {
        var os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os.getProcessCpuTime();
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    /** A memory line of /proc/self/status in MB, or "?" off Linux. */
    private static String status(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key + ":")) {
                    return Long.toString(Long.parseLong(line.substring(key.length() + 1).trim().split("\\s+")[0])
                            / 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "?";
    }
}
