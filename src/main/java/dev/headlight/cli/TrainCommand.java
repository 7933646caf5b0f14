package dev.headlight.cli;

import dev.headlight.format.FormatException;
import dev.headlight.train.GrammarCorpus;
import dev.headlight.train.InductionTask;
import dev.headlight.train.ProbeScores;
import dev.headlight.train.RunFolder;
import dev.headlight.train.TextTask;
import dev.headlight.train.TrainOptions;
import dev.headlight.train.Trainer;
import dev.headlight.train.TrainingTask;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * {@code headlight train}: trains a small GPT-2 and writes Hugging Face checkpoints with a progress bar on stderr.
 * Registered in the command list with
 * {@code SelfParsingCommand.of(TrainCommand.NAME, TrainCommand.SUMMARY, TrainCommand.USAGE, TrainCommand::run)}.
 */
public final class TrainCommand {
    public static final String NAME = "train";
    public static final String SUMMARY = "train a small GPT-2 (induction task, a text file or the bundled grammar) "
            + "and write Hugging Face checkpoints";
    public static final String USAGE = "train --task induction|text|grammar [--corpus FILE] --out DIR [--layers N] [--heads N] "
            + "[--d-model N] [--context N] [--steps N] [--checkpoint-every N] [--seed N] [--lr X] [--batch N] "
            + "[--warmup N] [--threads N] [--vocab N] [--init fast|gpt2] [--replace]";

    static final List<String[]> OPTIONS = List.of(
            new String[] {"task", "induction|text|grammar", "induction: synthetic repeated segments; text: a plain-text "
                    + "--corpus with a byte-level BPE trained on it; grammar: the bundled templated English corpus"},
            new String[] {"corpus", "FILE", "plain-text training file (task text)"},
            new String[] {"out", "DIR", "output folder: step-NNNNNN/ checkpoints, the final model, training.json; "
                    + "must be new or empty (a folder holding a run is refused unless --replace)"},
            new String[] {"layers", "N", "transformer blocks (default 2)"},
            new String[] {"heads", "N", "attention heads (default 2)"},
            new String[] {"d-model", "N", "hidden size, a multiple of --heads (default 32)"},
            new String[] {"context", "N", "tokens per training sequence = n_positions (default 48)"},
            new String[] {"steps", "N", "optimiser steps (default 800)"},
            new String[] {"checkpoint-every", "N", "steps between checkpoints (default steps / 10)"},
            new String[] {"seed", "N", "random seed (default 1)"},
            new String[] {"lr", "X", "peak learning rate (default 0.003; 0.001 for --d-model 64 and wider)"},
            new String[] {"batch", "N", "sequences per step (default 64)"},
            new String[] {"warmup", "N", "warm-up steps (default 100)"},
            new String[] {"threads", "N", "worker threads (default: cores, at most 4)"},
            new String[] {"vocab", "N", "BPE vocabulary size for text and grammar (default 512)"},
            new String[] {"init", "fast|gpt2", "fast (default): position embeddings start as sinusoids and q/k/v "
                    + "weights with std 0.1, which shortens the plateau before induction heads form; gpt2: GPT-2's "
                    + "normal(0, 0.02) everywhere"},
            new String[] {"attn-std", "X", "std of the initial q/k/v weights (default: 0.1 with --init fast, 0.02 with gpt2)"},
            new String[] {"lines", "N", "sentences of the grammar corpus (default 20000)"});

    /** The flag (no value) that lets --out name a folder holding a run: it is deleted whole first. */
    static final String REPLACE = "replace";

    private TrainCommand() {
    }

    /** Direct entry point, for scripts that regenerate the sample models: same arguments as "headlight train". */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static String help() {
        StringBuilder sb = new StringBuilder("usage: headlight ").append(USAGE).append("\n\n")
                .append("Trains a GPT-2 (Hugging Face GPT2LMHeadModel layout) on the CPU and writes a checkpoint folder\n")
                .append("every --checkpoint-every steps; each opens in Headlight and in transformers.\n\noptions:\n");
        for (String[] o : OPTIONS) {
            sb.append(String.format(Locale.ROOT, "  --%-18s %s%n", o[0] + " " + o[1], o[2]));
        }
        sb.append(String.format(Locale.ROOT, "  --%-18s %s%n", REPLACE, "delete the run in --out (its checkpoints, "
                + "final model and training.json) before training"));
        sb.append("\nCtrl+C stops the run after its current step; it still writes that step's checkpoint and says "
                + "what it kept.\n");
        return sb.toString();
    }

    /** Runs the command; returns the exit status (0 ok, 1 failure, 2 usage). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        // Ctrl+C: stop after the current step, let the run write its last checkpoint and say what it kept
        AtomicBoolean interrupted = new AtomicBoolean();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            interrupted.set(true);
            try {
                stopped.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "headlight-train-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return run(args, out, err, interrupted::get);
        } finally {
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it returns now that the run has stopped
            }
        }
    }

    /** {@link #run(String[], PrintStream, PrintStream)} with the cancel check polled between steps. */
    static int run(String[] args, PrintStream out, PrintStream err, BooleanSupplier cancelled) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                out.print(help());
                return 0;
            }
            if (i == 0 && a.equals("train")) {
                continue;
            }
            if (a.equals("--" + REPLACE)) {
                values.put(REPLACE, "true");
                continue;
            }
            if (!a.startsWith("--") || OPTIONS.stream().noneMatch(o -> o[0].equals(a.substring(2)))) {
                err.println("headlight train: unknown argument '" + a + "'; see 'headlight train --help'");
                return 2;
            }
            if (i + 1 >= args.length) {
                err.println("headlight train: " + a + " needs a value; see 'headlight train --help'");
                return 2;
            }
            values.put(a.substring(2), args[++i]);
        }
        try {
            return train(values, out, err, cancelled);
        } catch (UsageError e) {
            err.println("headlight train: " + e.getMessage() + "; see 'headlight train --help'");
            return 2;
        } catch (RunFolder.RunFolderException e) {
            err.println("headlight train: " + e.getMessage() + (e.holdsRun()
                    ? "; choose another --out, or add --" + REPLACE + " to delete it first" : ""));
            return 1;
        } catch (FormatException e) {
            err.println("headlight train: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("headlight train: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("headlight train: " + e.getMessage());
            return 2;
        }
    }

    private static final class UsageError extends RuntimeException {
        UsageError(String message) {
            super(message);
        }
    }

    private static int intValue(Map<String, String> v, String key, int fallback) {
        String s = v.get(key);
        if (s == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(s.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new UsageError("--" + key + " needs a whole number, not '" + s + "'");
        }
    }

    private static int train(Map<String, String> v, PrintStream out, PrintStream err, BooleanSupplier cancelled)
            throws IOException {
        String taskName = v.get("task");
        if (taskName == null) {
            throw new UsageError("--task is required");
        }
        if (!v.containsKey("out")) {
            throw new UsageError("--out is required");
        }
        Path outDir = Path.of(v.get("out"));
        TrainOptions d = TrainOptions.defaults();
        int steps = intValue(v, "steps", d.steps());
        int every = intValue(v, "checkpoint-every", Math.max(1, steps / 10));
        float lr;
        try {
            lr = v.containsKey("lr") ? Float.parseFloat(v.get("lr")) : d.lr();
        } catch (NumberFormatException e) {
            throw new UsageError("--lr needs a number, not '" + v.get("lr") + "'");
        }
        TrainOptions options = d.withShape(intValue(v, "layers", d.layers()), intValue(v, "heads", d.heads()),
                        intValue(v, "d-model", d.dModel()), intValue(v, "context", d.context()))
                .withSchedule(steps, every, lr, intValue(v, "batch", d.batch()), intValue(v, "warmup", d.warmup()))
                .withSeed(intValue(v, "seed", 1))
                .withThreads(intValue(v, "threads", d.threads()));
        String init = v.getOrDefault("init", "fast");
        switch (init) {
            case "fast" -> options = options.withInit(true, 0.1f);
            case "gpt2" -> options = options.withInit(false, 0.02f);
            default -> throw new UsageError("--init must be fast or gpt2, not '" + init + "'");
        }
        if (v.containsKey("attn-std")) {
            try {
                options = options.withInit(options.sinusoidalPositions(), Float.parseFloat(v.get("attn-std")));
            } catch (NumberFormatException e) {
                throw new UsageError("--attn-std needs a number, not '" + v.get("attn-std") + "'");
            }
        }
        int vocab = intValue(v, "vocab", 512);
        TrainingTask task = switch (taskName) {
            case "induction" -> new InductionTask();
            case "text" -> {
                if (!v.containsKey("corpus")) {
                    throw new UsageError("--task text needs --corpus FILE");
                }
                Path corpus = Path.of(v.get("corpus"));
                if (!Files.isRegularFile(corpus)) {
                    throw new FormatException(corpus, "no such file");
                }
                err.println("training a byte-level BPE tokenizer on " + corpus + " ...");
                yield TextTask.fromFile(corpus, vocab);
            }
            case "grammar" -> {
                err.println("generating the grammar corpus and training its tokenizer ...");
                yield TextTask.fromText("grammar", "bundled templated English corpus (names, places, objects)",
                        GrammarCorpus.generate(intValue(v, "lines", 20000), 7), vocab);
            }
            default -> throw new UsageError("--task must be induction, text or grammar, not '" + taskName + "'");
        };
        // before the corpus and tokenizer work: a refused folder is said at once
        RunFolder.prepare(outDir, v.containsKey(REPLACE));
        Trainer trainer = new Trainer(task, options);
        err.printf(Locale.ROOT, "%s: %d layers, %d heads, d_model %d, context %d, vocab %d, %,d parameters; "
                        + "%d steps of %d sequences, lr %.4g, %d threads%n", task.name(), options.layers(),
                options.heads(), options.dModel(), options.context(), task.vocab(), trainer.model().layout().total(),
                options.steps(), options.batch(), options.lr(), options.threads());
        ProgressBar bar = new ProgressBar(err);
        Trainer.Result result = trainer.run(outDir, bar, cancelled);
        bar.finish();
        if (result.stepsDone() < options.steps()) {
            err.println("headlight train: cancelled at step " + result.stepsDone() + " of " + options.steps() + "; "
                    + RunFolder.kept(result, outDir.toAbsolutePath()));
        }
        out.printf(Locale.ROOT, "trained %d steps in %.1f s (%.2f steps/s); loss %.4f, in-context loss %.4f%n",
                result.stepsDone(), result.seconds(), result.stepsPerSecond(), result.finalLoss(),
                result.finalInContextLoss());
        Trainer.Checkpoint last = result.checkpoints().getLast();
        for (int l = 0; l < options.layers(); l++) {
            out.printf(Locale.ROOT, "layer %d: best previous-token %.3f, best induction %.3f%n", l,
                    last.scores().maxPreviousToken(l), last.scores().maxInduction(l));
        }
        out.println("wrote " + outDir.toAbsolutePath() + " (" + result.checkpoints().size() + " checkpoints)");
        return 0;
    }

    /** A one-line progress bar redrawn with carriage returns. */
    private static final class ProgressBar implements Trainer.Listener {
        private final PrintStream err;
        private final long start = System.nanoTime();
        private long lastDraw;
        private double smoothLoss = Double.NaN;
        private double smoothIc = Double.NaN;
        private String lastProbe = "";

        ProgressBar(PrintStream err) {
            this.err = err;
        }

        @Override
        public void onStep(int step, int steps, double loss, double inContextLoss, float lr) {
            smoothLoss = Double.isNaN(smoothLoss) ? loss : 0.95 * smoothLoss + 0.05 * loss;
            if (!Double.isNaN(inContextLoss)) {
                smoothIc = Double.isNaN(smoothIc) ? inContextLoss : 0.95 * smoothIc + 0.05 * inContextLoss;
            }
            long now = System.nanoTime();
            if (now - lastDraw < 200_000_000L && step != steps) {
                return;
            }
            lastDraw = now;
            double seconds = (now - start) / 1e9;
            double rate = step / Math.max(1e-9, seconds);
            long eta = Math.round((steps - step) / Math.max(1e-9, rate));
            int width = 30;
            int filled = (int) Math.round(width * (double) step / steps);
            String bar = "#".repeat(filled) + ".".repeat(width - filled);
            String ic = Double.isNaN(smoothIc) ? "" : String.format(Locale.ROOT, " in-ctx %.3f", smoothIc);
            err.printf(Locale.ROOT, "\r[%s] %d/%d loss %.3f%s lr %.2e %.1f it/s eta %d:%02d%s   ", bar, step, steps,
                    smoothLoss, ic, lr, rate, eta / 60, eta % 60, lastProbe);
            err.flush();
        }

        @Override
        public void onCheckpoint(int step, Path folder, ProbeScores.Scores scores) {
            StringBuilder sb = new StringBuilder(" | ind");
            for (int l = 0; l < scores.induction().length; l++) {
                sb.append(String.format(Locale.ROOT, " L%d %.2f", l, scores.maxInduction(l)));
            }
            lastProbe = sb.toString();
        }

        void finish() {
            err.println();
        }
    }
}
