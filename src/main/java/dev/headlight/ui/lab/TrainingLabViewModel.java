package dev.headlight.ui.lab;

import dev.headlight.train.GrammarCorpus;
import dev.headlight.train.InductionTask;
import dev.headlight.train.ProbeScores;
import dev.headlight.train.RunFolder;
import dev.headlight.train.TextTask;
import dev.headlight.train.TrainOptions;
import dev.headlight.train.Trainer;
import dev.headlight.train.TrainingTask;
import dev.headlight.train.WeightRecords;
import dev.headlight.ui.task.TaskContext;
import dev.headlight.ui.task.TaskHandle;
import dev.headlight.ui.task.TaskRunner;
import dev.headlight.ui.task.WorkStatus;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Training Lab's state and commands, without a window: start a run with the form's settings, pause, resume,
 * cancel; the run's steps and checkpoints as lists the charts follow, its status line and progress. Every run writes
 * to a folder of its own: a folder that already holds a run is never written again (the next free sibling is taken
 * and the status says so). Training is a task of the one {@link TaskRunner} (the status bar shows it; the window's
 * shutdown cancels it); its steps, checkpoints and weight records reach the lists and {@link #weights()} on the UI
 * thread, batched (the FX thread in the window, the calling thread with a same-thread runner in tests).
 */
public final class TrainingLabViewModel {
    /** The tasks offered. */
    public enum TaskChoice {
        INDUCTION("Induction (synthetic repeats)"), GRAMMAR("Grammar corpus (templated English)"),
        TEXT_FILE("Text file…");

        private final String label;

        TaskChoice(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** What the form asks for; {@code textFile} only for {@link TaskChoice#TEXT_FILE}. */
    public record Settings(TaskChoice task, Path textFile, int layers, int heads, int dModel, int context, int steps,
                           int checkpointEvery) {
    }

    /** One optimiser step (counting from 1) of {@code total}; {@code inContextLoss} NaN when the task has none. */
    public record StepPoint(int step, int total, double loss, double inContextLoss) {
    }

    /** A checkpoint the run wrote, with its probe scores ([layer][head]). */
    public record CheckpointPoint(int step, Path folder, ProbeScores.Scores scores) {
    }

    /**
     * The current or last run: its folder, whether it is paused (only while it runs), whether it ended with its
     * files written (done or cancelled: it can be opened), and its failure (null unless it failed).
     */
    public record LastRun(Path folder, boolean paused, boolean finished, Throwable failure) {
        LastRun withPaused(boolean p) {
            return new LastRun(folder, p, finished, failure);
        }
    }

    /** Vocabulary of the byte-level BPE tokenizer trained for text tasks (the CLI's default). */
    static final int TEXT_VOCAB = 512;

    private final TaskRunner tasks;
    private final LabWeightsViewModel weights = new LabWeightsViewModel();

    private final StringProperty output = new SimpleStringProperty(this, "output", defaultOutput().toString());
    private final WorkStatus.Writer status = new WorkStatus.Writer("Choose a task and press Start.", false, 0);
    private final ReadOnlyObjectWrapper<LastRun> lastRun = new ReadOnlyObjectWrapper<>(this, "lastRun",
            new LastRun(null, false, false, null));
    private final ObservableList<StepPoint> steps = FXCollections.observableArrayList();
    private final ObservableList<CheckpointPoint> checkpoints = FXCollections.observableArrayList();
    private final ObservableList<StepPoint> stepsView = FXCollections.unmodifiableObservableList(steps);
    private final ObservableList<CheckpointPoint> checkpointsView =
            FXCollections.unmodifiableObservableList(checkpoints);

    /** The run in flight (null when none): its own flags, so a late poll of an old run cannot touch a new one. */
    private Run current;

    public TrainingLabViewModel(TaskRunner tasks) {
        this.tasks = tasks;
    }

    /** The flags and pending progress of one run, shared between its trainer thread and the UI thread. */
    private static final class Run {
        final Settings settings;
        final Path folder;
        final AtomicBoolean pauseRequested = new AtomicBoolean();
        final AtomicBoolean cancelRequested = new AtomicBoolean();
        final ConcurrentLinkedQueue<StepPoint> pendingSteps = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<CheckpointPoint> pendingCheckpoints = new ConcurrentLinkedQueue<>();
        /** The trainer's records (every one so far), once the first arrived. */
        volatile WeightRecords records;
        /** Set by each new record, cleared by the UI thread's drain: redraw the weight charts only when it was set. */
        final AtomicBoolean recordsChanged = new AtomicBoolean();
        volatile Trainer.Result result;
        TaskHandle handle;

        Run(Settings settings, Path folder) {
            this.settings = settings;
            this.folder = folder;
        }
    }

    static Path defaultOutput() {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
        return Path.of(System.getProperty("user.home"), "headlight-runs", stamp);
    }

    // ---- commands

    /**
     * Starts a run with {@code settings} into the output folder, or into its first free sibling when that folder
     * already holds something. Does nothing while a run is going.
     */
    public void start(Settings settings) {
        if (status.status().runningProperty().get()) {
            return;
        }
        if (settings.task() == TaskChoice.TEXT_FILE && settings.textFile() == null) {
            status.setMessage("Choose a text file first.");
            return;
        }
        TrainOptions options;
        Path folder;
        Path wanted;
        try {
            int d = settings.dModel();
            int n = settings.steps();
            TrainOptions defaults = TrainOptions.defaults();
            options = defaults.withShape(settings.layers(), settings.heads(), d, settings.context())
                    .withSchedule(n, settings.checkpointEvery(), d >= 64 ? 1e-3f : 3e-3f, defaults.batch(),
                            Math.min(defaults.warmup(), n / 4));
            wanted = Path.of(output.get().trim()).toAbsolutePath().normalize();
            folder = RunFolder.unused(wanted);
        } catch (IllegalArgumentException | IOException e) {
            status.setMessage(describe(e));
            return;
        }
        output.set(folder.toString());
        Run run = new Run(settings, folder);
        current = run;
        lastRun.set(new LastRun(folder, false, false, null));
        steps.clear();
        checkpoints.clear();
        weights.start(settings.steps(), settings.layers(), settings.heads());
        status.setRunning(true);
        status.setProgress(-1);
        String where = folder.equals(wanted) ? "" : " (" + wanted.getFileName() + " holds a run already: this one "
                + "writes to " + folder.getFileName() + ")";
        status.setMessage((settings.task() == TaskChoice.INDUCTION ? "Starting…" : "Preparing the corpus and its "
                + "tokenizer…") + where);
        // the task's value is the run itself: published as "more has arrived", returned with its result set
        run.handle = tasks.<Run>task("Training " + folder.getFileName() + "…", (ctx, publish) -> {
                    run.result = train(run, options, ctx, () -> publish.accept(run));
                    return run;
                })
                .onPartial(this::drain)
                .onSuccess(done -> finish(run, done.result, null))
                .onFailure(error -> finish(run, null, error))
                .onCancelled(() -> finish(run, null, null))
                .submit();
    }

    /** Pauses a running run before its next step, or resumes a paused one. */
    public void togglePause() {
        Run run = current;
        if (run == null || !status.status().runningProperty().get()) {
            return;
        }
        boolean p = !lastRun.get().paused();
        run.pauseRequested.set(p);
        lastRun.set(lastRun.get().withPaused(p));
        status.setMessage(p ? "Paused (the trainer waits before its next step)." : "Resuming…");
    }

    /** Stops the run after its current step; it still writes that step's checkpoint, and the status says so. */
    public void cancel() {
        Run run = current;
        if (run != null) {
            run.cancelRequested.set(true);
            run.pauseRequested.set(false);
            if (status.status().runningProperty().get()) {
                status.setMessage("Cancelling: writing the last checkpoint…");
            }
        }
    }

    // ---- the run (trainer thread)

    /**
     * Trains; {@code changed} tells the UI thread that steps, checkpoints or records are waiting ({@link #drain}
     * takes them all, so a few signals between two frames are one). {@code stopped} is the runner's cancel (the
     * window closed); Cancel in the lab is the run's own flag, so the result still arrives and says what was kept.
     */
    private Trainer.Result train(Run run, TrainOptions options, TaskContext context, Runnable changed)
            throws IOException {
        Settings s = run.settings;
        TrainingTask task = switch (s.task()) {
            case INDUCTION -> new InductionTask();
            case GRAMMAR -> TextTask.fromText("grammar", "bundled templated English corpus (names, places, "
                    + "objects)", GrammarCorpus.generate(20000, 7), TEXT_VOCAB);
            case TEXT_FILE -> TextTask.fromFile(s.textFile(), TEXT_VOCAB);
        };
        return new Trainer(task, options).run(run.folder, new Trainer.Listener() {
            @Override
            public void onStep(int step, int total, double loss, double inContextLoss, float lr) {
                run.pendingSteps.add(new StepPoint(step, total, loss, inContextLoss));
                context.progress(step, total);
                changed.run();
            }

            @Override
            public void onCheckpoint(int step, Path folder, ProbeScores.Scores scores) {
                run.pendingCheckpoints.add(new CheckpointPoint(step, folder, scores));
                changed.run();
            }

            @Override
            public void onWeightRecord(WeightRecords records, WeightRecords.Record record) {
                run.records = records;
                run.recordsChanged.set(true);
                changed.run();
            }
        }, () -> shouldStop(run, context));
    }

    /** Polled by the trainer between steps: blocks while paused. */
    private static boolean shouldStop(Run run, TaskContext context) {
        while (run.pauseRequested.get() && !run.cancelRequested.get() && !context.isCancelled()) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }
        return run.cancelRequested.get() || context.isCancelled();
    }

    /** Moves what the trainer produced since the last call into the lists and the weights view model. */
    private void drain(Run run) {
        if (current != run) {
            return;
        }
        List<StepPoint> batch = new ArrayList<>();
        StepPoint p;
        while ((p = run.pendingSteps.poll()) != null) {
            batch.add(p);
        }
        CheckpointPoint c;
        while ((c = run.pendingCheckpoints.poll()) != null) {
            checkpoints.add(c);
            weights.checkpoint(c);
        }
        if (!batch.isEmpty()) {
            steps.addAll(batch);
            weights.steps(batch);
        }
        if (run.records != null && run.recordsChanged.getAndSet(false)) {
            weights.records(run.records);
        }
        if (batch.isEmpty()) {
            return;
        }
        StepPoint last = batch.getLast();
        if (status.status().runningProperty().get() && !run.cancelRequested.get()) {
            status.setProgress(last.step() / (double) last.total());
            String text = String.format(Locale.ROOT, "%s step %d of %d · loss %.3f · %d checkpoints",
                    lastRun.get().paused() ? "Paused at" : "Training:", last.step(), last.total(), last.loss(),
                    checkpoints.size());
            status.setMessage(text);
        }
    }

    /** The run ended: done, cancelled in the lab ({@code result} short), failed, or stopped by the runner. */
    private void finish(Run run, Trainer.Result result, Throwable error) {
        drain(run);
        if (current != run) {
            return;
        }
        current = null;
        status.setRunning(false);
        status.setProgress(result == null ? 0 : 1);
        weights.finished();
        if (error != null) {
            status.setMessage("Training failed: " + describe(error));
        } else if (result == null) {
            status.setMessage("Stopped: the window is closing (the last checkpoint is written to " + run.folder + ")");
        } else {
            int total = run.settings.steps();
            status.setMessage(result.stepsDone() < total
                    ? String.format(Locale.ROOT, "Cancelled at step %d of %d: %s", result.stepsDone(), total,
                    RunFolder.kept(result, run.folder))
                    : String.format(Locale.ROOT, "Done: %d steps in %.1f s (%.1f steps/s) · final loss %.3f · %s",
                    result.stepsDone(), result.seconds(), result.stepsPerSecond(), result.finalLoss(), run.folder));
        }
        lastRun.set(new LastRun(run.folder, false, error == null && result != null, error));
        // the next Start gets a folder of its own
        try {
            output.set(RunFolder.unused(run.folder).toString());
        } catch (IOException e) {
            output.set(run.folder.resolveSibling(run.folder.getFileName() + "-next").toString());
        }
    }

    private static String describe(Throwable t) {
        return dev.headlight.format.ErrorMessages.describe(t);
    }

    // ---- state

    /** The form's output folder (editable); after each run it moves on to a free folder. */
    public StringProperty outputProperty() {
        return output;
    }

    /** The status line, whether a run is going on, and its progress (0..1, or -1 while preparing). */
    public WorkStatus status() {
        return status.status();
    }

    /** The current or last run and whether it is paused (folder null before the first Start). */
    public ReadOnlyObjectProperty<LastRun> lastRunProperty() {
        return lastRun.getReadOnlyProperty();
    }

    /** The current run's steps, in order (cleared at Start). */
    public ObservableList<StepPoint> steps() {
        return stepsView;
    }

    /** The current run's weight records as the update-share heatmap and the tensor-group curves show them. */
    public LabWeightsViewModel weights() {
        return weights;
    }

    /** The current run's checkpoints, in order (cleared at Start). */
    public ObservableList<CheckpointPoint> checkpoints() {
        return checkpointsView;
    }
}
