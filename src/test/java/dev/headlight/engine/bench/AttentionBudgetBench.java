package dev.headlight.engine.bench;

import dev.headlight.engine.AttentionMaps;
import dev.headlight.engine.Model;
import dev.headlight.engine.RunOptions;
import dev.headlight.engine.Trace;
import dev.headlight.engine.synth.SyntheticModel;
import dev.headlight.engine.synth.SyntheticModel.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * What the attention memory budget costs on a GPT-2-small-sized model (124M, fp32, random weights), not a unit
 * test: the maps' memory with every layer kept and under a small budget, the pass time of both, and the time to
 * recompute one layer that was not kept (what a view waits for when it shows that layer):
 * <pre>
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *      -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) \
 *      dev.headlight.engine.bench.AttentionBudgetBench [/tmp/gpt2small] [tokens] [budget MiB] [runs]
 * </pre>
 * Defaults: 1,024 tokens, a 64 MiB budget, 5 runs (medians printed).
 */
public final class AttentionBudgetBench {
    private AttentionBudgetBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/gpt2small");
        int tokens = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
        long budget = (args.length > 2 ? Long.parseLong(args[2]) : 64) << 20;
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            SyntheticModel.write(dir, Spec.gpt2Small());
        }
        try (Model model = Model.open(dir)) {
            int[] ids = new Random(tokens).ints(tokens, 0, model.info().vocab()).toArray();
            RunOptions all = RunOptions.display().withAttentionBudget(AttentionMaps.UNBOUNDED);
            RunOptions budgeted = RunOptions.display().withAttentionBudget(budget);
            for (int i = 0; i < 2; i++) { // warm-up: JIT
                model.run(ids, all);
                model.run(ids, budgeted).attentions().head(model.info().layers() - 1, 0);
            }
            double[] allMs = new double[runs];
            double[] budgetMs = new double[runs];
            double[] recomputeMs = new double[runs];
            Trace kept = null;
            Trace some = null;
            for (int r = 0; r < runs; r++) {
                kept = null;
                some = null;
                long t0 = System.nanoTime();
                kept = model.run(ids, all);
                allMs[r] = (System.nanoTime() - t0) / 1e6;
                kept = null;
                t0 = System.nanoTime();
                some = model.run(ids, budgeted);
                budgetMs[r] = (System.nanoTime() - t0) / 1e6;
                t0 = System.nanoTime();
                some.attentions().head(model.info().layers() - 1, 0); // recomputes the last layer
                recomputeMs[r] = (System.nanoTime() - t0) / 1e6;
            }
            kept = model.run(ids, all);
            AttentionMaps k = kept.attentions();
            AttentionMaps s = some.attentions();
            System.out.printf(Locale.ROOT, "%s, %d tokens, float16 maps, %s per layer%n", model.info().summary(),
                    tokens, AttentionMaps.mib(AttentionMaps.bytesPerLayer(k.heads(), tokens, true)));
            System.out.printf(Locale.ROOT, "all kept:        maps %s, pass median %.0f ms%n",
                    AttentionMaps.mib(k.maxBytes()), median(allMs));
            System.out.printf(Locale.ROOT, "budget %s: %d layers kept + %d recomputed slot(s), maps at most %s, "
                            + "pass median %.0f ms; recomputing one layer median %.0f ms (%s)%n",
                    AttentionMaps.mib(budget), s.keptLayers(), s.recomputedSlots(), AttentionMaps.mib(s.maxBytes()),
                    median(budgetMs), median(recomputeMs),
                    Arrays.toString(Arrays.stream(recomputeMs).mapToLong(Math::round).toArray()));
            System.out.printf(Locale.ROOT, "residual stream [L+1][T][D] float32: %s%n",
                    AttentionMaps.mib((long) kept.residual().length * Float.BYTES));
        }
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
