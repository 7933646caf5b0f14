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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/** {@code headlight train}: trains a small GPT-2 and writes Hugging Face checkpoints with a progress bar on stderr. */
final class TrainCommand extends Command {

    /** Direct entry point, for scripts that regenerate the sample models: same arguments as "headlight train". */
    public static void main(String[] args) {
        String[] words = new String[args.length + 1];
        words[0] = "train";
        System.arraycopy(args, 0, words, 1, args.length);
        System.exit(Cli.run(words, System.out, System.err));
    }

    /** Polled between steps; null: Ctrl+C (a shutdown hook) stops the run. */
    private final BooleanSupplier stopRequested;

    TrainCommand() {
        this(null);
    }

    /** With {@code stopRequested} polled between steps instead of Ctrl+C (for tests). */
    TrainCommand(BooleanSupplier stopRequested) {
        super("train",
                "train a small GPT-2 (induction task, a text file or the bundled grammar) and write Hugging Face "
                        + "checkpoints",
                "train --task induction|text|grammar [--corpus FILE] --out DIR [--layers N] [--heads N] "
                        + "[--d-model N] [--context N] [--steps N] [--checkpoint-every N] [--seed N] [--lr X] [--batch N] "
                        + "[--warmup N] [--threads N] [--vocab N] [--init fast|gpt2] [--attn-std X] [--lines N] "
                        + "[--record-every N] [--replace]",
                Option.table("""
                        --task induction|text|grammar  induction: synthetic repeated segments; text: a plain-text --corpus
                                              with a byte-level BPE trained on it; grammar: the bundled templated English
                                              corpus
                        --corpus FILE         plain-text training file (task text)
                        --out DIR             output folder: step-NNNNNN/ checkpoints, the final model, training.json; must be
                                              new or empty (a folder holding a run is refused unless --replace)
                        --replace             delete the run in --out (its checkpoints, final model and training.json) before
                                              training
                        --layers N            transformer blocks (default 2)
                        --heads N             attention heads (default 2)
                        --d-model N           hidden size, a multiple of --heads (default 32)
                        --context N           tokens per training sequence = n_positions (default 48)
                        --steps N             optimiser steps (default 800)
                        --checkpoint-every N  steps between checkpoints (default steps / 10)
                        --seed N              random seed (default 1)
                        --lr X                peak learning rate (default 0.003; 0.001 for --d-model 64 and wider)
                        --batch N             sequences per step (default 64)
                        --warmup N            warm-up steps (default 100)
                        --threads N           worker threads (default: cores, at most 4)
                        --vocab N             BPE vocabulary size for text and grammar (default 512)
                        --init fast|gpt2      fast (default): position embeddings start as sinusoids and q/k/v weights with
                                              std 0.1, which shortens the plateau before induction heads form; gpt2: GPT-2's
                                              normal(0, 0.02) everywhere
                        --attn-std X          std of the initial q/k/v weights (default: 0.1 with --init fast, 0.02 with gpt2)
                        --lines N             sentences of the grammar corpus (default 20000)
                        --record-every N      steps between gradient/update-norm records in training.json (default 1 up to
                                              1,000 steps, else about 1,000 records)
                        """),
                """
                        Trains a GPT-2 (Hugging Face GPT2LMHeadModel layout) on the CPU and writes a checkpoint folder
                        every --checkpoint-every steps; each opens in Headlight and in transformers.
                        training.json holds the loss per step, the probe scores per checkpoint and, every --record-every
                        steps, per tensor and per head slice (q, k, v, o of each head) the gradient norm ||G||_F (before
                        clipping) and the update norm ||W_after - W_before||_F (README: "training.json").
                        Ctrl+C stops the run after its current step; it still writes that step's checkpoint and says what
                        it kept.""");
        this.stopRequested = stopRequested;
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws IOException {
        String taskName = args.require("task", "induction|text|grammar");
        Path outDir = args.requirePath("out", "DIR");
        TrainOptions options = options(args);
        int vocab = args.intValue("vocab", 512);
        TrainingTask task = switch (taskName) {
            case "induction" -> new InductionTask();
            case "text" -> {
                Path corpus = args.requirePath("corpus", "FILE");
                if (!Files.isRegularFile(corpus)) {
                    throw new FormatException(corpus, "no such file");
                }
                err.println("training a byte-level BPE tokenizer on " + corpus + " ...");
                yield TextTask.fromFile(corpus, vocab);
            }
            case "grammar" -> {
                err.println("generating the grammar corpus and training its tokenizer ...");
                yield TextTask.fromText("grammar", "bundled templated English corpus (names, places, objects)",
                        GrammarCorpus.generate(args.intValue("lines", 20000), 7), vocab);
            }
            default -> throw new UsageException("--task must be induction, text or grammar, not '" + taskName + "'");
        };
        try {
            RunFolder.prepare(outDir, args.has("replace"));
        } catch (RunFolder.RunFolderException e) {
            err.println("headlight train: " + e.getMessage() + (e.holdsRun()
                    ? "; choose another --out, or add --replace to delete it first" : ""));
            return Cli.FAILED;
        }
        Trainer trainer = new Trainer(task, options,
                args.intValue("record-every", Math.max(1, (options.steps() + 999) / 1000)));
        err.printf(Locale.ROOT, "%s: %d layers, %d heads, d_model %d, context %d, vocab %d, %,d parameters; "
                        + "%d steps of %d sequences, lr %.4g, %d threads%n", task.name(), options.layers(),
                options.heads(), options.dModel(), options.context(), task.vocab(), trainer.model().layout().total(),
                options.steps(), options.batch(), options.lr(), options.threads());
        ProgressBar bar = new ProgressBar(err);
        // Ctrl+C asks the trainer to stop; the hook waits until the run has written its last checkpoint and said
        // what it kept
        AtomicBoolean interrupted = new AtomicBoolean();
        CountDownLatch said = new CountDownLatch(1);
        Thread hook = stopRequested != null ? null : new Thread(() -> {
            interrupted.set(true);
            try {
                said.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "headlight-train-interrupt");
        if (hook != null) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
        Trainer.Result result;
        try {
            result = trainer.run(outDir, bar, stopRequested != null ? stopRequested : interrupted::get);
            bar.finish();
            if (result.stepsDone() < options.steps()) {
                err.println("headlight train: cancelled at step " + result.stepsDone() + " of " + options.steps()
                        + "; " + RunFolder.kept(result, outDir.toAbsolutePath()));
            }
        } finally {
            said.countDown();
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // Ctrl+C: the hook is running and returns now
                }
            }
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
        return Cli.OK;
    }

    /** The shape, schedule and initialisation; a shape TrainOptions refuses is a usage error. */
    private static TrainOptions options(Args args) {
        TrainOptions d = TrainOptions.defaults();
        int steps = args.intValue("steps", d.steps());
        String init = args.get("init", "fast");
        boolean sinusoidal = switch (init) {
            case "fast" -> true;
            case "gpt2" -> false;
            default -> throw new UsageException("--init must be fast or gpt2, not '" + init + "'");
        };
        float attentionStd = args.floatValue("attn-std", sinusoidal ? 0.1f : 0.02f);
        try {
            return d.withShape(args.intValue("layers", d.layers()), args.intValue("heads", d.heads()),
                            args.intValue("d-model", d.dModel()), args.intValue("context", d.context()))
                    .withSchedule(steps, args.intValue("checkpoint-every", Math.max(1, steps / 10)),
                            args.floatValue("lr", d.lr()), args.intValue("batch", d.batch()),
                            args.intValue("warmup", d.warmup()))
                    .withSeed(args.intValue("seed", 1))
                    .withThreads(args.intValue("threads", d.threads()))
                    .withInit(sinusoidal, attentionStd);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
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
