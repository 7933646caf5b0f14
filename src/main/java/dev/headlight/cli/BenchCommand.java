package dev.headlight.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headlight.analysis.HeadScoring;
import dev.headlight.analysis.LogitLens;
import dev.headlight.analysis.circuits.HeadCircuits;
import dev.headlight.engine.Model;
import dev.headlight.engine.ModelInfo;
import dev.headlight.engine.RunOptions;
import dev.headlight.engine.TensorPlacement;
import dev.headlight.engine.Trace;
import dev.headlight.engine.kernel.Kernels;
import dev.headlight.format.safetensors.TensorInfo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/** Times the full-capture forward pass (attentions, residual, logits) and prints one JSON object. */
final class BenchCommand extends Command {
    /** The system property the kernels read for their thread count. */
    static final String THREADS_PROPERTY = "headlight.threads";
    /** The system property that picks the kernel implementation: scalar, vector or auto. */
    static final String KERNELS_PROPERTY = "headlight.kernels";

    BenchCommand() {
        super("bench",
                "time the forward pass with full capture and print one JSON object",
                "bench --model DIR [--tokens N] [--runs R] [--threads K] [--kernels scalar|vector|auto] "
                        + "[--prompt TEXT] [--seed S] [--lens] [--continue K] [--circuits [--head L.H] [--prepared]]",
                Stream.concat(Stream.of(Inputs.MODEL), Option.table("""
                        --tokens N     tokens per forward pass (default 128, at most the model's positions)
                        --runs R       timed runs after one warm-up run (default 5)
                        --threads K    threads for the kernels (default: all processors)
                        --kernels scalar|vector|auto  kernel implementation (default auto: vector when the Vector API is
                                       available)
                        --prompt TEXT  use this prompt's ids, repeated to N tokens, instead of random ids
                        --seed S       seed of the random ids (default 42)
                        --lens         also time the logit lens after each pass: the top-10 tokens, target rank and
                                       probability of every layer and position (blocked unembedding, no [L+1, T, V] array)
                        --continue K   time what a keystroke costs in the window instead: each run continues a cached pass of
                                       the first N-K tokens by the last K (with --lens, the lens continues the prefix's lens
                                       too), against whole passes of N tokens with the same options
                        --circuits     time the weight-based circuit scores instead of the forward pass: reading the factors,
                                       every copying score and every composition score (see 'circuits --help')
                        --head L.H     with --circuits: time that head's compositions (its row and column) instead of the
                                       whole table
                        --prepared     with --circuits: form the vocabulary product W_U W_E before the timed scores, as the
                                       window does in the background when a model opens (timed apart as
                                       vocabulary_product_ms)
                        """).stream()).toList(),
                """
                        Output keys: model, tokens, runs, threads, kernels, open_ms, first_forward_ms, forward_ms_median,
                        forward_ms_min, forward_ms_mean, flops_per_forward, gflops, peak_rss_mb, java; with --lens also
                        lens_ms_median, lens_ms_min and lens_to_forward (lens median / forward median). Each run captures
                        what the window shows (attention maps, residual stream, logits), exactly as analyze does.
                        With --continue K every run is what the window does after a keystroke at the end of the prompt:
                        the pass continues a cached pass of the first N-K tokens (float16 maps, keys and values kept),
                        then the head scores, then (with --lens) the lens continuing the prefix's lens. Output keys:
                        continue_tokens, reused_tokens, warm_up_ms (the kernels' warm-up, run first as the window does),
                        first_continue_ms, then for continue (the pass), scores, lens, keystroke (the three, per run) and
                        full_forward (whole passes of N tokens with the same options, interleaved) the keys _ms_median,
                        _ms_min and _cpu_ms_median (CPU time of all threads: on a shared machine the figure that load
                        stretches least), and continue_to_full; forward_ms_* and gflops are then the whole passes'.
                        FLOPs are estimated from the model's shape: 2 x (matrix parameters used per token, unembedding
                        included) x tokens + attention scores and mixing (4 x head_dim x query-key pairs per head and
                        layer); gflops = flops_per_forward / median time. open_ms is Model.open in this fresh JVM (the
                        tokenizer loads in the background and is not included); first_forward_ms the untimed warm-up
                        pass (JIT compilation, first touch of the memory-mapped weights). peak_rss_mb is the process's
                        peak resident memory, mapped weights included (VmHWM on Linux; elsewhere the JVM heap in use, a
                        lower bound).
                        With --circuits: read_ms (Model.open excluded: the factors read and folded from the mapped file),
                        copying_ms (every head's copying score, the vocabulary product W_U W_E included), and
                        composition_ms (every pair) or, with --head, head_compositions_ms (one head's row and column);
                        each the median of R runs after one warm-up run on fresh objects (nothing cached between runs);
                        the read and the copying scores start on a collected heap, the compositions follow the copying
                        scores as in the window;
                        copying_and_compositions_cpu_ms: the process's CPU time over copying and compositions (all
                        threads; on a busy machine wall time / CPU time shows the share of the cores it got). With
                        --prepared, "prepared": true and vocabulary_product_ms (W_U W_E, formed after the read and
                        before the timed scores), and copying_ms is the copying scores without it.""");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) {
        int runs = args.intValue("runs", 5, 1, 10_000);
        if (args.has("threads")) {
            int threads = args.intValue("threads", 1, 1, 4096);
            System.setProperty(THREADS_PROPERTY, Integer.toString(threads));
        }
        String kernelChoice = args.get("kernels");
        if (kernelChoice != null) {
            if (!List.of("scalar", "vector", "auto").contains(kernelChoice)) {
                throw new UsageException("--kernels must be scalar, vector or auto, got '" + kernelChoice + "'");
            }
            System.setProperty(KERNELS_PROPERTY, kernelChoice);
        }
        if (args.has("circuits")) {
            return benchCircuits(args, runs, out);
        }
        long seed = args.longValue("seed", 42);
        args.intValue("tokens", 1, 1, Integer.MAX_VALUE); // a malformed --tokens is a usage error before loading
        long openStart = System.nanoTime();
        try (Model model = Inputs.openModel(args)) {
            double openMillis = (System.nanoTime() - openStart) / 1e6;
            ModelInfo info = model.info();
            int tokens = args.intValue("tokens", Math.min(128, info.maxPositions()), 1, Integer.MAX_VALUE);
            int[] ids = ids(args, model, tokens, seed);
            Inputs.checkIds(ids, info);

            boolean lens = args.has("lens");
            if (args.has("continue")) {
                int fresh = args.intValue("continue", 1, 1, Math.max(1, tokens - 1));
                if (tokens < 2) {
                    throw new UsageException("--continue needs at least 2 --tokens (a prefix and a continuation)");
                }
                ObjectNode json = continuation(model, ids, fresh, runs, lens);
                json.put("peak_rss_mb", round(peakRssMegabytes()));
                json.put("cpus", Runtime.getRuntime().availableProcessors());
                json.put("java", Runtime.version().toString());
                out.println(Json.line(json));
                return Cli.OK;
            }
            long warmStart = System.nanoTime();
            Trace warm = model.run(ids, RunOptions.exact()); // warm-up: JIT, page-in of the mapped weights
            double firstMillis = (System.nanoTime() - warmStart) / 1e6;
            if (lens) {
                LogitLens.compute(model, warm, LogitLens.DEFAULT_K, null);
            }
            double[] millis = new double[runs];
            double[] lensMillis = new double[runs];
            for (int r = 0; r < runs; r++) {
                long start = System.nanoTime();
                Trace trace = model.run(ids, RunOptions.exact());
                millis[r] = (System.nanoTime() - start) / 1e6;
                if (lens) {
                    long lensStart = System.nanoTime();
                    LogitLens.compute(model, trace, LogitLens.DEFAULT_K, null);
                    lensMillis[r] = (System.nanoTime() - lensStart) / 1e6;
                }
            }
            double[] sorted = millis.clone();
            Arrays.sort(sorted);
            double median = median(sorted);
            long matrixParams = matrixParametersPerToken(model);
            double flops = forwardFlops(info, matrixParams, tokens);
            Kernels kernels = Kernels.best();
            if (args.has("threads") && kernels.threads() != Integer.parseInt(args.get("threads"))) {
                // the kernels are chosen once per JVM: only the first command of a process can set them
                err.println("headlight bench: note: the " + kernels.name() + " kernels ran with "
                        + kernels.threads() + " threads, not the " + args.get("threads") + " asked for");
            }

            ObjectNode json = Json.object();
            putRun(json, info, tokens, runs, kernels);
            json.put("parameters", info.parameters());
            json.put("open_ms", round(openMillis));
            json.put("first_forward_ms", round(firstMillis));
            json.put("forward_ms_median", round(median));
            json.put("forward_ms_min", round(sorted[0]));
            json.put("forward_ms_mean", round(Arrays.stream(millis).average().orElse(0)));
            json.put("forward_ms_max", round(sorted[runs - 1]));
            json.put("matrix_params_per_token", matrixParams);
            json.put("flops_per_forward", flops);
            json.put("gflops", round(flops / (median / 1e3) / 1e9));
            if (lens) {
                double[] lensSorted = lensMillis.clone();
                Arrays.sort(lensSorted);
                double lensMedian = median(lensSorted);
                json.put("lens_ms_median", round(lensMedian));
                json.put("lens_ms_min", round(lensSorted[0]));
                json.put("lens_to_forward", round(lensMedian / median));
            }
            json.put("peak_rss_mb", round(peakRssMegabytes()));
            json.put("cpus", Runtime.getRuntime().availableProcessors());
            json.put("java", Runtime.version().toString());
            out.println(Json.line(json));
        }
        return Cli.OK;
    }

    /** The options the window's passes use: float16 maps, keys and values kept, a cancellation poll. */
    private static RunOptions windowOptions(Trace continueFrom) {
        return RunOptions.display().withContinuation(continueFrom).withCancellation(() -> false);
    }

    /**
     * Runs as the window does after a keystroke at the end of the prompt: a pass continuing the cached pass of
     * the first N - fresh tokens, the head scores, and the lens continuing the prefix's lens; against whole
     * passes of the N tokens with the same options, interleaved run by run.
     */
    private static ObjectNode continuation(Model model, int[] ids, int fresh, int runs, boolean lens) {
        ModelInfo info = model.info();
        Kernels kernels = Kernels.best();
        long warmStart = System.nanoTime();
        kernels.warmUp(); // the window compiles the kernels in the background after its first prompt
        double warmUpMillis = (System.nanoTime() - warmStart) / 1e6;
        int[] prefix = Arrays.copyOf(ids, ids.length - fresh);
        Trace prefixTrace = model.run(prefix, windowOptions(null));
        LogitLens prefixLens = lens ? LogitLens.compute(model, prefixTrace, LogitLens.DEFAULT_K, null) : null;
        LogitLens.Earlier earlier = lens ? new LogitLens.Earlier(model, prefixTrace, prefixLens) : null;
        long firstStart = System.nanoTime();
        Trace first = model.run(ids, windowOptions(prefixTrace));
        HeadScoring.scoreAll(first.attentions(), ids, info.causal());
        if (lens) {
            LogitLens.compute(model, first, LogitLens.DEFAULT_K, null, earlier);
        }
        double firstMillis = (System.nanoTime() - firstStart) / 1e6;
        model.run(ids, windowOptions(null));
        // [pass, scores, lens, keystroke, whole pass][run]: wall and CPU time of all threads (CPU time is what the
        // work cost: other processes on the cores stretch wall times, not it)
        double[][] wall = new double[5][runs];
        double[][] cpu = new double[5][runs];
        int reused = 0;
        for (int r = 0; r < runs; r++) {
            long[] t = new long[4];
            long[] c = new long[4];
            t[0] = System.nanoTime();
            c[0] = threadCpuNanos();
            Trace trace = model.run(ids, windowOptions(prefixTrace));
            t[1] = System.nanoTime();
            c[1] = threadCpuNanos();
            HeadScoring.scoreAll(trace.attentions(), ids, info.causal());
            t[2] = System.nanoTime();
            c[2] = threadCpuNanos();
            if (lens) {
                LogitLens.compute(model, trace, LogitLens.DEFAULT_K, null, earlier);
            }
            t[3] = System.nanoTime();
            c[3] = threadCpuNanos();
            reused = trace.reusedTokens();
            for (int phase = 0; phase < 3; phase++) {
                wall[phase][r] = (t[phase + 1] - t[phase]) / 1e6;
                cpu[phase][r] = (c[phase + 1] - c[phase]) / 1e6;
            }
            wall[3][r] = (t[3] - t[0]) / 1e6;
            cpu[3][r] = (c[3] - c[0]) / 1e6;
            long fullStart = System.nanoTime();
            long fullCpu = threadCpuNanos();
            model.run(ids, windowOptions(null));
            wall[4][r] = (System.nanoTime() - fullStart) / 1e6;
            cpu[4][r] = (threadCpuNanos() - fullCpu) / 1e6;
        }
        double flops = forwardFlops(info, matrixParametersPerToken(model), ids.length);
        ObjectNode json = Json.object();
        putRun(json, info, ids.length, runs, kernels);
        json.put("continue_tokens", fresh);
        json.put("reused_tokens", reused);
        json.put("warm_up_ms", round(warmUpMillis));
        json.put("first_continue_ms", round(firstMillis));
        String[] phases = {"continue", "scores", "lens", "keystroke", "full_forward"};
        for (int phase = 0; phase < phases.length; phase++) {
            if (phase == 2 && !lens) {
                continue;
            }
            double[] w = sorted(wall[phase]);
            json.put(phases[phase] + "_ms_median", round(median(w)));
            json.put(phases[phase] + "_ms_min", round(w[0]));
            json.put(phases[phase] + "_cpu_ms_median", round(median(sorted(cpu[phase]))));
        }
        double full = median(sorted(wall[4]));
        json.put("continue_to_full", round(median(sorted(wall[0])) / full));
        json.put("forward_ms_median", round(full));
        json.put("forward_ms_min", round(sorted(wall[4])[0]));
        json.put("flops_per_forward", flops);
        json.put("gflops", round(flops / (full / 1e3) / 1e9));
        return json;
    }

    /** CPU time of all the JVM's threads (the kernels' pool and the parallel streams' too). */
    private static long threadCpuNanos() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long id : threads.getAllThreadIds()) {
            long nanos = threads.getThreadCpuTime(id);
            if (nanos > 0) {
                sum += nanos;
            }
        }
        return sum;
    }

    private static double[] sorted(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s;
    }

    private static int[] ids(Args args, Model model, int tokens, long seed) {
        String prompt = args.get("prompt");
        int[] ids = new int[tokens];
        if (prompt != null) {
            int[] promptIds = model.tokenizer().encode(prompt).ids();
            if (promptIds.length == 0) {
                throw new CliFailure("the prompt gives no tokens; give a non-empty --prompt");
            }
            for (int i = 0; i < tokens; i++) {
                ids[i] = promptIds[i % promptIds.length];
            }
        } else {
            Random random = new Random(seed);
            for (int i = 0; i < tokens; i++) {
                ids[i] = random.nextInt(model.info().vocab());
            }
        }
        return ids;
    }

    /**
     * Parameters of the matrices every token is multiplied with: all stored matrices except embedding tables
     * (looked up, not multiplied), plus the tied unembedding when the model has no separate one.
     */
    static long matrixParametersPerToken(Model model) {
        long total = 0;
        boolean unembedStored = false;
        for (TensorPlacement p : model.tensorMap()) {
            TensorInfo t = model.weights().info(p.tensorName());
            if (p.component().equals("unembed")) {
                unembedStored = true;
            }
            if (t.rank() >= 2 && !p.component().startsWith("embed") && !p.component().equals("buffer")) {
                total += t.elementCount();
            }
        }
        ModelInfo info = model.info();
        return unembedStored ? total : total + (long) info.vocab() * info.hidden();
    }

    /** 2 FLOPs per multiply-add: matrices for every token, plus QK^T and attention x V per head. */
    static double forwardFlops(ModelInfo info, long matrixParams, int tokens) {
        double pairs = info.causal() ? tokens * (tokens + 1.0) / 2 : (double) tokens * tokens;
        double attention = 4.0 * info.layers() * info.heads() * info.headDim() * pairs;
        return 2.0 * matrixParams * tokens + attention;
    }

    /** Peak resident memory: VmHWM from /proc/self/status, else the JVM's committed heap. */
    static double peakRssMegabytes() {
        Path status = Path.of("/proc/self/status");
        if (Files.isReadable(status)) {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmHWM:")) {
                        String kb = line.substring(6).trim().split("\\s+")[0];
                        return Long.parseLong(kb) / 1024.0;
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // fall back below
            }
        }
        return Runtime.getRuntime().totalMemory() / (1024.0 * 1024.0);
    }

    /** --circuits: median times of the circuit scores on fresh {@link HeadCircuits} each run. */
    private static int benchCircuits(Args args, int runs, PrintStream out) {
        int[] head = null;
        if (args.has("head")) {
            String[] parts = args.get("head").split("\\.");
            if (parts.length != 2) {
                throw new UsageException("--head must be LAYER.HEAD, e.g. --head 5.1, got '" + args.get("head") + "'");
            }
            try {
                head = new int[]{Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
            } catch (NumberFormatException e) {
                throw new UsageException("--head must be LAYER.HEAD, e.g. --head 5.1, got '" + args.get("head") + "'");
            }
        }
        try (Model model = Inputs.openModel(args)) {
            ModelInfo info = model.info();
            if (head != null && (head[0] < 0 || head[0] >= info.layers() || head[1] < 0 || head[1] >= info.heads())) {
                throw new UsageException("--head " + args.get("head") + " is outside " + info.layers() + " layers x "
                        + info.heads() + " heads");
            }
            Kernels.best().warmUp();
            double[] read = new double[runs];
            double[] copying = new double[runs];
            double[] composition = new double[runs];
            double[] cpu = new double[runs];
            double[] vocabulary = new double[runs];
            boolean prepared = args.has("prepared");
            for (int r = -1; r < runs; r++) { // run -1: warm-up
                // each span starts on a collected heap: without it the collector of one run's garbage (a 1B
                // model's ~1.3 GB of factors) ran during the next run's scores on the same two cores
                System.gc();
                long t0 = System.nanoTime();
                HeadCircuits circuits = HeadCircuits.of(model);
                long tRead = System.nanoTime();
                if (prepared) {
                    circuits.prepareVocabularyProduct(null);
                }
                long tPrepared = System.nanoTime();
                System.gc();
                long t1 = System.nanoTime();
                long cpu1 = processCpuNanos();
                circuits.copyingAll(null, null);
                long t2 = System.nanoTime();
                if (head != null) {
                    circuits.compositionOf(head[0], head[1]);
                } else {
                    circuits.compositionAll(null, null);
                }
                long t3 = System.nanoTime();
                long cpu3 = processCpuNanos();
                if (r >= 0) {
                    cpu[r] = (cpu3 - cpu1) / 1e6;
                    read[r] = (tRead - t0) / 1e6;
                    vocabulary[r] = (tPrepared - tRead) / 1e6;
                    copying[r] = (t2 - t1) / 1e6;
                    composition[r] = (t3 - t2) / 1e6;
                }
            }
            ObjectNode json = Json.object();
            json.put("model", info.folder().toString());
            json.put("layers", info.layers());
            json.put("heads", info.heads());
            json.put("kv_heads", info.kvHeads());
            json.put("d_model", info.hidden());
            json.put("vocab", info.vocab());
            json.put("dtype", info.weightsDType());
            json.put("runs", runs);
            json.put("threads", Kernels.best().threads());
            json.put("kernels", Kernels.best().name());
            json.put("read_ms_median", round(median(sorted(read))));
            if (prepared) {
                json.put("prepared", true);
                json.put("vocabulary_product_ms_median", round(median(sorted(vocabulary))));
            }
            json.put("copying_ms_median", round(median(sorted(copying))));
            json.put(head != null ? "head_compositions_ms_median" : "composition_ms_median",
                    round(median(sorted(composition))));
            if (head != null) {
                json.put("head", head[0] + "." + head[1]);
            }
            json.put("copying_and_compositions_ms_median", round(median(sorted(sum(copying, composition)))));
            // CPU time of the whole process over the same span: on a busy machine, what the work costs the cores
            json.put("copying_and_compositions_cpu_ms_median", round(median(sorted(cpu))));
            json.put("peak_rss_mb", round(peakRssMegabytes()));
            json.put("java", Runtime.version().toString());
            out.println(Json.line(json));
        }
        return Cli.OK;
    }

    /** CPU time of this process (all threads), or 0 where the JVM does not say. */
    private static long processCpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(0, os.getProcessCpuTime());
        }
        return 0;
    }

    private static double[] sum(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + b[i];
        }
        return out;
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    /** The keys that say what was timed (model, tokens, runs, kernels), first in both forward-pass outputs. */
    private static void putRun(ObjectNode json, ModelInfo info, int tokens, int runs, Kernels kernels) {
        json.put("model", Inputs.label(info.folder()));
        json.put("model_path", String.valueOf(info.folder()));
        json.put("architecture", info.architecture());
        json.put("weights_dtype", info.weightsDType());
        json.put("tokens", tokens);
        json.put("runs", runs);
        json.put("threads", kernels.threads());
        json.put("kernels", kernels.name());
    }
}
