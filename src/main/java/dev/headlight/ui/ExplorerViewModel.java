package dev.headlight.ui;

import dev.headlight.library.SampleModels;
import dev.headlight.library.ModelNames;

import dev.headlight.engine.AttentionMaps;
import dev.headlight.engine.Model;
import dev.headlight.engine.RunOptions;
import dev.headlight.format.FormatException;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.concurrent.Task;
import javafx.concurrent.Worker;
import javafx.util.Duration;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The window's state: the open model, the prompt and its analysis, the shared selection, display settings, the
 * status line and the error banner. Loading and analysis run off the FX thread; every property here is changed on
 * the FX thread only.
 */
public final class ExplorerViewModel {
    /**
     * Typing pauses this long before a new pass starts: shorter than the gap between keystrokes of a fast typist
     * (~100-150 ms), and cheap when a keystroke does start a pass, since a pass continuing the previous prompt
     * computes only the changed positions and is cancelled by the next keystroke.
     */
    public static final Duration DEBOUNCE = Duration.millis(70);

    private final ReadOnlyObjectWrapper<Model> model = new ReadOnlyObjectWrapper<>(this, "model");
    private final StringProperty prompt = new SimpleStringProperty(this, "prompt", SampleModels.EXAMPLE_PROMPT);
    private final ReadOnlyObjectWrapper<Analysis> analysis = new ReadOnlyObjectWrapper<>(this, "analysis");
    private final Selection selection = new Selection();
    private final ObjectProperty<ColorMap> colorMap = new SimpleObjectProperty<>(this, "colorMap", ColorMap.VIRIDIS);
    private final ObjectProperty<AttentionScale> scale = new SimpleObjectProperty<>(this, "scale", AttentionScale.LINEAR);
    private final BooleanProperty dark = new SimpleBooleanProperty(this, "dark", false);
    private final ObjectProperty<Palette> palette = new SimpleObjectProperty<>(this, "palette", Palette.LIGHT);
    /** Optional per-head scores in [0, 1] that the model view shows under each map // [layer][head]; null = none. */
    private final ObjectProperty<double[][]> headScores = new SimpleObjectProperty<>(this, "headScores");
    private final ObjectProperty<HeadScoreChoice> headScore = new SimpleObjectProperty<>(this, "headScore",
            HeadScoreChoice.NONE);
    /** Bytes the stored attention maps of a pass may take; layers past it are recomputed when shown. */
    private final javafx.beans.property.LongProperty attentionBudget =
            new javafx.beans.property.SimpleLongProperty(this, "attentionBudget");
    private final StringProperty error = new SimpleStringProperty(this, "error");
    private final StringProperty status = new SimpleStringProperty(this, "status", "No model open");
    private final StringProperty activity = new SimpleStringProperty(this, "activity", "");
    private final DoubleProperty progress = new SimpleDoubleProperty(this, "progress", 0);
    private final BooleanProperty loading = new SimpleBooleanProperty(this, "loading", false);
    /** Passes that finished and were shown; passes given up because the prompt or model changed. */
    private final javafx.beans.property.IntegerProperty completedPasses =
            new javafx.beans.property.SimpleIntegerProperty(this, "completedPasses", 0);
    private final javafx.beans.property.IntegerProperty cancelledPasses =
            new javafx.beans.property.SimpleIntegerProperty(this, "cancelledPasses", 0);

    private final AnalysisService analysisService = new AnalysisService();
    private final PauseTransition debounce = new PauseTransition(DEBOUNCE);
    private final ExecutorService loader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "headlight-model-loader");
        t.setDaemon(true);
        return t;
    });
    private final AppPreferences preferences;
    private Task<Model> loadTask;
    /** Models shown through {@link #showModel}: their source closes them. */
    private final java.util.Set<Model> borrowed =
            java.util.Collections.synchronizedSet(java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>()));
    /** How a folder becomes a model: Model::open, replaceable only by the developer preview. */
    private java.util.function.Function<Path, Model> opener = Model::open;

    public ExplorerViewModel(AppPreferences preferences) {
        this.preferences = preferences;
        attentionBudget.set(preferences.attentionBudget().orElse(RunOptions.defaultAttentionBudget()));
        analysisService.setAttentionBudget(attentionBudget.get());
        attentionBudget.addListener((o, a, b) -> {
            if (b.longValue() <= 0) {
                attentionBudget.set(a.longValue());
                return;
            }
            preferences.saveAttentionBudget(b.longValue());
            analysisService.setAttentionBudget(b.longValue());
            analyse();
        });
        dark.addListener((o, a, b) -> palette.set(Palette.of(b)));
        javafx.beans.InvalidationListener rescore = o -> {
            Analysis a = analysis.get();
            HeadScoreChoice choice = headScore.get();
            headScores.set(a == null || choice == null ? null : choice.scores().apply(a));
        };
        analysis.addListener(rescore);
        headScore.addListener(rescore);
        debounce.setOnFinished(e -> analyse());
        prompt.addListener((o, a, b) -> {
            analysisService.cancel();
            debounce.playFromStart();
        });
        analysisService.valueProperty().addListener((o, a, partial) -> {
            // the pass is done but the logit lens is still computing: show the attention views already
            if (partial != null && partial.lens() == null && analysisService.isRunning()
                    && partial.prompt().equals(prompt.get()) && partial.model() == model.get()) {
                selection.clamp(partial.layers(), partial.heads(), partial.tokens());
                error.set(null);
                analysis.set(partial);
                activity.set("Logit lens…");
            }
        });
        analysisService.setOnSucceeded(e -> {
            Analysis result = analysisService.getValue();
            if (result != null && (!result.prompt().equals(prompt.get()) || result.model() != model.get())) {
                // finished just before the prompt or model changed: stale, and a new pass is on its way
                cancelledPasses.set(cancelledPasses.get() + 1);
                activity.set("");
                progress.set(0);
                return;
            }
            if (result != null) {
                selection.clamp(result.layers(), result.heads(), result.tokens());
                error.set(null);
            }
            analysis.set(result);
            completedPasses.set(completedPasses.get() + 1);
            updateStatus();
            warmUpKernelsOnce();
            activity.set("");
            progress.set(0);
        });
        analysisService.setOnFailed(e -> {
            error.set(describe(analysisService.getException()));
            updateStatus();
            activity.set("");
            progress.set(0);
        });
        analysisService.setOnCancelled(e -> {
            progress.set(0);
            cancelledPasses.set(cancelledPasses.get() + 1);
        });
        analysisService.stateProperty().addListener((o, a, state) -> {
            if (state == Worker.State.RUNNING) {
                activity.set("Analysing…");
            }
        });
        analysisService.progressProperty().addListener((o, a, p) -> {
            if (analysisService.isRunning() && p.doubleValue() >= 0) {
                progress.set(p.doubleValue());
            }
        });
    }

    // ---- actions

    /** Opens a model folder off the FX thread; the current model stays until the new one has loaded. */
    public void openModel(Path folder) {
        load(folder, opener, true);
    }

    /**
     * Shows a model that {@code source} opens and keeps owning (e.g. the training timeline's cache of checkpoints):
     * loaded off the FX thread like {@link #openModel}, but not added to the recent folders and never closed here.
     */
    public void showModel(Path folder, java.util.function.Function<Path, Model> source) {
        load(folder, path -> {
            Model m = source.apply(path);
            borrowed.add(m);
            return m;
        }, false);
    }

    private void load(Path folder, java.util.function.Function<Path, Model> source, boolean remember) {
        cancelLoading();
        Path target = folder.toAbsolutePath().normalize();
        Task<Model> task = new Task<>() {
            @Override
            protected Model call() {
                return source.apply(target);
            }
        };
        loadTask = task;
        loading.set(true);
        activity.set("Opening " + ModelNames.displayName(target) + "…");
        progress.set(-1);
        task.setOnSucceeded(e -> {
            if (loadTask != task) {
                release(task.getValue());
                return;
            }
            loading.set(false);
            activity.set("");
            progress.set(0);
            error.set(null);
            Model previous = model.get();
            analysisService.cancel();
            model.set(task.getValue());
            if (remember) {
                preferences.addRecent(target);
            }
            analysis.set(null);
            analyse();
            if (previous != null && previous != model.get() && !borrowed.contains(previous)) {
                closeLater(previous);
            }
        });
        task.setOnFailed(e -> {
            if (loadTask != task) {
                return;
            }
            loading.set(false);
            activity.set("");
            progress.set(0);
            error.set("Could not open " + ModelNames.displayName(target) + ": " + describe(task.getException()));
        });
        task.setOnCancelled(e -> {
            loading.set(false);
            activity.set("");
            progress.set(0);
        });
        loader.submit(task);
    }

    private static final java.util.concurrent.atomic.AtomicBoolean KERNELS_WARMED =
            new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * After the first prompt is shown, compiles the kernels for every path and weight dtype in the background:
     * the first model opened runs its first pass some 45 times slower until the JIT has compiled them (GPT-2
     * small's first pass took ~1.9 s instead of ~0.1 s), and the small sample model does not reach every path.
     * Started only then, so it does not compete with the first pass for the cores; it waits while any later pass
     * runs ({@link dev.headlight.engine.kernel.Kernels#warmUpInBackground()}). Off with
     * {@code -Dheadlight.warmUp=false}.
     */
    private static void warmUpKernelsOnce() {
        if (Boolean.parseBoolean(System.getProperty("headlight.warmUp", "true")) && !KERNELS_WARMED.getAndSet(true)) {
            dev.headlight.engine.kernel.Kernels.best().warmUpInBackground();
        }
    }

    /** Gives up on a model that is still loading (it is closed when it arrives). */
    public void cancelLoading() {
        Task<Model> task = loadTask;
        if (task != null && task.isRunning()) {
            loadTask = null;
            task.cancel(false);
            task.setOnSucceeded(e -> release(task.getValue()));
            loading.set(false);
            activity.set("");
            progress.set(0);
        }
    }

    /** Runs the current prompt through the current model now (cancelling a pass in flight). */
    public void analyse() {
        debounce.stop();
        Model m = model.get();
        if (m == null) {
            return;
        }
        analysisService.configure(m, prompt.get());
        analysisService.restart();
    }

    /** Closes a model unless a {@link #showModel} source owns it. */
    private void release(Model m) {
        if (!borrowed.contains(m)) {
            m.close();
        }
    }

    /** Closes a replaced model once a pass that may still use it has had time to stop. */
    private void closeLater(Model previous) {
        PauseTransition later = new PauseTransition(Duration.seconds(2));
        later.setOnFinished(e -> {
            try {
                loader.submit(previous::close);
            } catch (java.util.concurrent.RejectedExecutionException shutDown) {
                previous.close();
            }
        });
        later.play();
    }

    public void dismissError() {
        error.set(null);
    }

    public void shutdown() {
        analysisService.cancel();
        cancelLoading();
        Model m = model.get();
        if (m != null) {
            release(m);
        }
        loader.shutdownNow();
    }

    private void updateStatus() {
        Model m = model.get();
        Analysis a = analysis.get();
        if (m == null) {
            status.set("No model open");
            return;
        }
        String s = ModelNames.displayName(m.info().folder()) + " · " + m.info().summary();
        if (a != null) {
            s += "   |   " + a.tokens() + " tokens · pass " + millis(a.passNanos())
                    + (a.trace().reusedTokens() > 0
                    ? " (" + (a.tokens() - a.trace().reusedTokens()) + " new)" : "")
                    + " · total " + millis(a.totalNanos());
            if (a.attentionNote() != null) {
                s += "   |   " + a.trace().attentions().describe();
            }
            if (!a.lost().isEmpty()) {
                s += "   |   " + dev.headlight.format.tokenizer.LostCharacters.describe(a.lost());
            }
        }
        status.set(s);
    }

    static String millis(long nanos) {
        return String.format(Locale.ROOT, nanos < 10_000_000L ? "%.1f ms" : "%.0f ms", nanos / 1e6);
    }

    /** A one-line message for the banner: never a stack trace. */
    static String describe(Throwable t) {
        if (t == null) {
            return "unknown error";
        }
        if (t instanceof AttentionMaps.TooLongException tooLong) {
            return tooLong.reason() + " Shorten the prompt or raise the budget (View ▸ Attention Memory Budget…).";
        }
        if (t instanceof FormatException || t instanceof IllegalArgumentException) {
            return t.getMessage();
        }
        if (t instanceof OutOfMemoryError) {
            return "not enough memory (start Headlight with a larger -Xmx)";
        }
        if (t.getCause() != null && t.getCause() != t && (t.getMessage() == null || t instanceof RuntimeException
                && t.getClass() == RuntimeException.class)) {
            return describe(t.getCause());
        }
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }

    /** Runs {@code r} on the FX thread (now if already there). */
    static void fx(Runnable r) {
        if (Platform.isFxApplicationThread()) {
            r.run();
        } else {
            Platform.runLater(r);
        }
    }

    void setModelOpener(java.util.function.Function<Path, Model> opener) {
        this.opener = opener;
    }

    // ---- properties

    public ReadOnlyObjectProperty<Model> modelProperty() {
        return model.getReadOnlyProperty();
    }

    public Model model() {
        return model.get();
    }

    public StringProperty promptProperty() {
        return prompt;
    }

    public ReadOnlyObjectProperty<Analysis> analysisProperty() {
        return analysis.getReadOnlyProperty();
    }

    public Analysis analysis() {
        return analysis.get();
    }

    public Selection selection() {
        return selection;
    }

    public ObjectProperty<ColorMap> colorMapProperty() {
        return colorMap;
    }

    public ObjectProperty<AttentionScale> scaleProperty() {
        return scale;
    }

    public BooleanProperty darkProperty() {
        return dark;
    }

    public ObjectProperty<Palette> paletteProperty() {
        return palette;
    }

    public ObjectProperty<double[][]> headScoresProperty() {
        return headScores;
    }

    public ObjectProperty<HeadScoreChoice> headScoreProperty() {
        return headScore;
    }

    /** The attention memory budget in bytes (saved in the preferences; a change re-runs the prompt). */
    public javafx.beans.property.LongProperty attentionBudgetProperty() {
        return attentionBudget;
    }

    public StringProperty errorProperty() {
        return error;
    }

    public StringProperty statusProperty() {
        return status;
    }

    public StringProperty activityProperty() {
        return activity;
    }

    public DoubleProperty progressProperty() {
        return progress;
    }

    public BooleanProperty loadingProperty() {
        return loading;
    }

    public boolean isBusy() {
        return loading.get() || analysisService.isRunning() || debounce.getStatus() == javafx.animation.Animation.Status.RUNNING;
    }

    public javafx.beans.property.ReadOnlyIntegerProperty completedPassesProperty() {
        return completedPasses;
    }

    public javafx.beans.property.ReadOnlyIntegerProperty cancelledPassesProperty() {
        return cancelledPasses;
    }

    public AppPreferences preferences() {
        return preferences;
    }
}
