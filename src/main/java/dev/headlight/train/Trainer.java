package dev.headlight.train;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * Trains a GPT-2 model on a task: AdamW, warm-up then cosine decay, global-norm clipping, each batch split across
 * worker threads. Writes OUT/step-NNNNNN/ checkpoints (the first is the initialisation, the last the final step),
 * the final model at OUT's top level, and OUT/training.json (settings, loss per step, probe scores per checkpoint,
 * and the gradient and update norms per tensor and head slice of {@link WeightRecords}), rewritten at every
 * checkpoint so a running job can be watched.
 */
public final class Trainer {

    /** Told about progress; called on the training thread. */
    public interface Listener {
        void onStep(int step, int steps, double loss, double inContextLoss, float lr);

        default void onCheckpoint(int step, Path folder, ProbeScores.Scores scores) {
        }

        /** A step's gradient and update norms ({@link WeightRecords}); {@code records} holds every one so far. */
        default void onWeightRecord(WeightRecords records, WeightRecords.Record record) {
        }
    }

    /** One checkpoint as logged. */
    public record Checkpoint(int step, String folder, double loss, ProbeScores.Scores scores) {
    }

    /** What a finished (or cancelled) run did. */
    public record Result(int stepsDone, double finalLoss, double finalInContextLoss, double seconds,
                         List<Checkpoint> checkpoints, float[] params) {
        public double stepsPerSecond() {
            return seconds > 0 ? stepsDone / seconds : 0;
        }
    }

    private final TrainingTask task;
    private final TrainOptions options;
    private final GptConfig config;
    private final GptModel model;
    private final WeightRecords weightRecords;

    /** Records gradient and update norms every step for runs up to 1,000 steps, else about 1,000 times. */
    public Trainer(TrainingTask task, TrainOptions options) {
        this(task, options, Math.max(1, (options.steps() + 999) / 1000));
    }

    /** As {@link #Trainer(TrainingTask, TrainOptions)} with a {@link WeightRecords} record every {@code recordEvery} steps. */
    public Trainer(TrainingTask task, TrainOptions options, int recordEvery) {
        if (recordEvery < 1) {
            throw new IllegalArgumentException("record-every must be at least 1");
        }
        this.task = task;
        this.options = options;
        this.config = new GptConfig(task.vocab(), options.context(), options.dModel(), options.heads(),
                options.layers(), task.bosId(), task.eosId());
        this.model = new GptModel(config);
        this.weightRecords = WeightRecords.forLayout(model.layout(), recordEvery);
    }

    /** The gradient and update norms recorded so far. */
    public WeightRecords weightRecords() {
        return weightRecords;
    }

    public GptConfig config() {
        return config;
    }

    public GptModel model() {
        return model;
    }

    public static String stepFolderName(int step) {
        return String.format(Locale.ROOT, "step-%06d", step);
    }

    /**
     * Trains; {@code out} may be null (no files). {@code cancelled} (may be null) is polled between steps; a cancelled
     * run still writes its last checkpoint and the log. {@code out} must be absent or empty
     * ({@link RunFolder#prepare}): a second run written over a first would leave the first's checkpoints beside it.
     */
    public Result run(Path out, Listener listener, BooleanSupplier cancelled) throws IOException {
        if (out != null) {
            RunFolder.prepare(out, false);
        }
        int steps = options.steps();
        int t = options.context();
        int batch = options.batch();
        int threads = Math.min(options.threads(), batch);
        float[] params = GptWeights.initialise(config, options.seed(), options.sinusoidalPositions(),
                options.attentionInitStd());
        AdamW adam = new AdamW(model.layout(), 0.9f, 0.98f, 1e-8f, options.weightDecay());
        SplittableRandom data = dataRandom(options.seed());
        int[][] seqs = new int[batch][t + 1];        // [example][token + 1]
        float[][] weights = new float[batch][t];     // [example][token]
        float[][] grads = new float[threads][params.length]; // [worker][param]
        GptModel.Workspace[] spaces = new GptModel.Workspace[threads];
        for (int w = 0; w < threads; w++) {
            spaces[w] = model.newWorkspace();
        }
        double[] lossLog = new double[steps];
        double[] icLog = new double[steps];
        float[] before = new float[params.length];  // [param] weights before a recorded step
        float[] scratch = new float[params.length]; // [param]
        List<Checkpoint> checkpoints = new ArrayList<>();
        long start = System.nanoTime();
        int done = 0;
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread th = new Thread(r, "headlight-train");
            th.setDaemon(true);
            return th;
        });
        try {
            for (int step = 0; step < steps; step++) {
                if (cancelled != null && cancelled.getAsBoolean()) {
                    break;
                }
                if (isCheckpointStep(step) && out != null) {
                    checkpoints.add(checkpoint(out, step, params, lossLog, done, listener));
                    writeLog(out, lossLog, icLog, done, checkpoints, start);
                }
                for (int b = 0; b < batch; b++) {
                    task.sample(data, seqs[b], weights[b], t);
                }
                float scale = 1f / batch;
                List<Future<double[]>> parts = new ArrayList<>();
                for (int w = 0; w < threads; w++) {
                    final int worker = w;
                    parts.add(pool.submit(() -> work(worker, threads, params, seqs, weights, grads[worker],
                            spaces[worker], scale)));
                }
                double lossSum = 0;
                double icSum = 0;
                double icCount = 0;
                double weightSum = 0;
                for (Future<double[]> f : parts) {
                    double[] r = get(f);
                    lossSum += r[0];
                    weightSum += r[1];
                    icSum += r[2];
                    icCount += r[3];
                }
                float[] grad = grads[0];
                for (int w = 1; w < threads; w++) {
                    float[] g = grads[w];
                    for (int k = 0; k < grad.length; k++) {
                        grad[k] += g[k];
                    }
                }
                boolean record = weightRecords.records(step);
                float[] gradientNorms = null;
                if (record) {
                    gradientNorms = weightRecords.norms(grad); // before clipping: the loss's own gradient
                    System.arraycopy(params, 0, before, 0, params.length);
                }
                AdamW.clipGlobalNorm(grad, options.clip());
                float lr = options.learningRate(step);
                adam.step(params, grad, lr);
                if (record) {
                    WeightRecords.Record r = weightRecords.record(step, gradientNorms, before, params, scratch);
                    if (listener != null) {
                        listener.onWeightRecord(weightRecords, r);
                    }
                }
                lossLog[step] = lossSum / Math.max(1e-9, weightSum);
                icLog[step] = icCount > 0 ? icSum / icCount : Double.NaN;
                done = step + 1;
                if (listener != null) {
                    listener.onStep(step + 1, steps, lossLog[step], icLog[step], lr);
                }
            }
            if (out != null) {
                if (checkpoints.isEmpty() || checkpoints.getLast().step() != done) {
                    checkpoints.add(checkpoint(out, done, params, lossLog, done, listener));
                }
                CheckpointWriter.write(out, config, params, task);
                writeLog(out, lossLog, icLog, done, checkpoints, start);
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(done, done > 0 ? recentMean(lossLog, done) : Double.NaN,
                done > 0 ? recentMean(icLog, done) : Double.NaN, seconds, checkpoints, params);
    }

    /** The generator of the training batches of a run with {@code seed}: task.sample draws each batch from it. */
    static SplittableRandom dataRandom(long seed) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 17);
    }

    private boolean isCheckpointStep(int step) {
        int every = options.checkpointEvery();
        return step == 0 || (every > 0 && step % every == 0);
    }

    /** Gradient of this worker's share of the batch (examples worker, worker + threads, ...). */
    private double[] work(int worker, int threads, float[] params, int[][] seqs, float[][] weights, float[] grad,
                          GptModel.Workspace ws, float scale) {
        java.util.Arrays.fill(grad, 0f);
        int t = options.context();
        int[] targets = new int[t];
        double loss = 0;
        double weightSum = 0;
        double ic = 0;
        int icCount = 0;
        for (int b = worker; b < seqs.length; b += threads) {
            int[] seq = seqs[b];
            System.arraycopy(seq, 1, targets, 0, t);
            double w = 0;
            for (int i = 0; i < t; i++) {
                w += weights[b][i];
            }
            // each sequence's loss is the mean over its weighted positions; the batch loss the mean over sequences
            w = Math.max(1e-9, w);
            loss += model.lossAndGradient(params, seq, targets, weights[b], t, grad, (float) (scale / w), ws) / w;
            weightSum += 1;
            for (int i = 0; i < t; i++) {
                if (task.predictable(seq, i)) {
                    ic += ws.tokenLoss[i];
                    icCount++;
                }
            }
        }
        return new double[] {loss, weightSum, ic, icCount};
    }

    private static double[] get(Future<double[]> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("training interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static double recentMean(double[] log, int done) {
        return PhaseChange.mean(log, Math.max(0, done - 50), done);
    }

    private Checkpoint checkpoint(Path out, int step, float[] params, double[] lossLog, int done, Listener listener)
            throws IOException {
        String name = stepFolderName(step);
        Path folder = out.resolve(name);
        CheckpointWriter.write(folder, config, params, task);
        ProbeScores.Scores scores = ProbeScores.score(model, params, task);
        if (listener != null) {
            listener.onCheckpoint(step, folder, scores);
        }
        return new Checkpoint(step, name, done > 0 ? recentMean(lossLog, done) : Double.NaN, scores);
    }

    private void writeLog(Path out, double[] lossLog, double[] icLog, int done, List<Checkpoint> checkpoints,
                          long start) throws IOException {
        ObjectNode root = TrainJson.MAPPER.createObjectNode();
        root.put("format", "headlight-training-log/1");
        root.put("task", task.name());
        root.put("task_description", task.description());
        ObjectNode model = root.putObject("model");
        model.put("layers", config.layers());
        model.put("heads", config.heads());
        model.put("d_model", config.dModel());
        model.put("context", config.positions());
        model.put("vocab", config.vocab());
        model.put("parameters", this.model.layout().total());
        ObjectNode o = root.putObject("options");
        o.put("steps", options.steps());
        o.put("checkpoint_every", options.checkpointEvery());
        o.put("seed", options.seed());
        o.put("lr", options.lr());
        o.put("batch", options.batch());
        o.put("warmup", options.warmup());
        o.put("min_lr_fraction", options.minLrFraction());
        o.put("weight_decay", options.weightDecay());
        o.put("clip", options.clip());
        o.put("threads", options.threads());
        o.put("sinusoidal_position_init", options.sinusoidalPositions());
        o.put("attention_init_std", options.attentionInitStd());
        double seconds = (System.nanoTime() - start) / 1e9;
        root.put("steps_done", done);
        root.put("seconds", round(seconds, 1));
        root.put("steps_per_second", round(done / Math.max(1e-9, seconds), 2));
        ObjectNode probe = root.putObject("probe");
        probe.put("seed", ProbeScores.SEED);
        probe.put("repeat_length", Math.min(ProbeScores.REPEAT_LENGTH, (config.positions() - 1) / 2));
        probe.put("description", "BOS + r + r, r = distinct random ordinary tokens; previous_token = mean over i >= 1 of "
                + "A[i][i-1]; induction = mean over queries i having some 1 <= j < i with t[j-1] = t[i] of the "
                + "attention summed over those j");
        ArrayNode loss = root.putArray("loss");
        ArrayNode ic = root.putArray("in_context_loss");
        for (int i = 0; i < done; i++) {
            loss.add(round(lossLog[i], 4));
            if (Double.isNaN(icLog[i])) {
                ic.addNull();
            } else {
                ic.add(round(icLog[i], 4));
            }
        }
        ArrayNode cps = root.putArray("checkpoints");
        for (Checkpoint c : checkpoints) {
            ObjectNode n = cps.addObject();
            n.put("step", c.step());
            n.put("folder", c.folder());
            if (Double.isNaN(c.loss())) {
                n.putNull("loss");
            } else {
                n.put("loss", round(c.loss(), 4));
            }
            n.set("previous_token", matrix(c.scores().previousToken()));
            n.set("induction", matrix(c.scores().induction()));
        }
        root.set("weight_records", weightRecords.toJson());
        Path tmp = out.resolve("training.json.tmp");
        Files.createDirectories(out);
        Files.writeString(tmp, TrainJson.MAPPER.writeValueAsString(root) + "\n");
        Files.move(tmp, out.resolve("training.json"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    private static ArrayNode matrix(double[][] m) {
        ArrayNode a = TrainJson.MAPPER.createArrayNode();
        for (double[] row : m) {
            ArrayNode r = a.addArray();
            for (double v : row) {
                r.add(round(v, 4));
            }
        }
        return a;
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
