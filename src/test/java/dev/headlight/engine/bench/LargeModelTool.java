package dev.headlight.engine.bench;

import dev.headlight.engine.Model;
import dev.headlight.engine.RunOptions;
import dev.headlight.engine.Trace;
import dev.headlight.format.tokenizer.Tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Developer tool (not a test): the figures for a large model folder in one fresh JVM — the first Model.open (JIT
 * cold, files in the page cache), warm opens, Tokenizer.load on its own, the first full-capture pass (page-in of
 * the mapped weights and JIT) and timed passes of each token count, with the process's resident memory (VmRSS)
 * after each step and its peak (VmHWM). Make the folders with {@code headlight synth} (see its help for the
 * TinyLlama-1.1B and Qwen2-0.5B shapes); run one process per token count for the peak RSS of that count.
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
            System.err.println("usage: LargeModelTool MODEL_DIR [TOKENS ...] [--runs R]");
            System.exit(2);
        }
        Path folder = Path.of(args[0]);
        int runs = 3;
        int[] counts = new int[args.length];
        int n = 0;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--runs")) {
                runs = Integer.parseInt(args[++i]);
            } else {
                counts[n++] = Integer.parseInt(args[i]);
            }
        }
        counts = n == 0 ? new int[] {64} : Arrays.copyOf(counts, n);
        report("start", 0);

        long t0 = System.nanoTime();
        Model model = Model.open(folder);
        report("first Model.open", System.nanoTime() - t0);
        System.out.println("  " + model.info().summary() + ", " + model.info().weightsBytes() / 1_000_000 + " MB");
        model.close();
        long[] opens = new long[5];
        for (int i = 0; i < opens.length; i++) {
            long s = System.nanoTime();
            Model.open(folder).close();
            opens[i] = System.nanoTime() - s;
        }
        Arrays.sort(opens);
        report("warm Model.open (median of 5)", opens[2]);

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
            report("Tokenizer.load first", loads[0]);
            Arrays.sort(loads);
            report("Tokenizer.load best of 3", loads[0]);
        }

        try (Model m = Model.open(folder)) {
            long s = System.nanoTime();
            int[] encoded = m.tokenizer().encode("The quick brown fox jumps over the lazy dog.").ids();
            report("first tokenize after open (" + encoded.length + " ids)", System.nanoTime() - s);
            Random random = new Random(42);
            for (int tokens : counts) {
                int[] ids = random.ints(tokens, 0, m.info().vocab()).toArray();
                Trace first = m.run(ids, RunOptions.exact());
                report("first pass, " + tokens + " tokens", first.elapsedNanos());
                long[] times = new long[runs];
                for (int r = 0; r < runs; r++) {
                    times[r] = m.run(ids, RunOptions.exact()).elapsedNanos();
                }
                Arrays.sort(times);
                report(tokens + " tokens, median of " + runs + " (min " + ms(times[0]) + ")", times[runs / 2]);
            }
        }
        System.out.printf(Locale.ROOT, "peak RSS (VmHWM) %s MB, heap max %d MB%n", status("VmHWM"),
                Runtime.getRuntime().maxMemory() >> 20);
    }

    private static void report(String what, long nanos) {
        System.out.printf(Locale.ROOT, "%-48s %10s   RSS %6s MB%n", what, nanos == 0 ? "" : ms(nanos),
                status("VmRSS"));
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
