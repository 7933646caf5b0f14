package dev.headlight.ui;

import dev.headlight.analysis.NonFiniteValues;
import dev.headlight.format.ErrorMessages;
import dev.headlight.library.ModelNames;
import dev.headlight.library.SampleModels;

import dev.headlight.engine.AttentionMaps;
import dev.headlight.engine.Model;
import dev.headlight.engine.RunOptions;
import dev.headlight.ui.task.Cancellable;
import dev.headlight.ui.task.TaskHandle;
import dev.headlight.ui.task.TaskRunner;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The explorer's state: the open model, the prompt and its analysis, the shared selection and the display settings;
 * the model summary for the status bar. Loading and analysis are tasks of the injected {@link TaskRunner} (their
 * progress shows in the status bar, their errors in the banner); every property changes on the FX thread only, and
 * the ones the window only shows are read-only.
 *
 * <p>Over 400 lines: the explorer's state is one unit (a model load and a pass share the model, the prompt and the
 * status); about a third of the file is the properties' accessors.
 */
public final class ExplorerViewModel {
    /**
     * An edit that interrupts a pass in flight or a pending debounce waits this long for the typing to pause before
     * a new pass starts; an edit while nothing runs starts at once. Shorter than the gap between keystrokes of a
     * fast typist (~100-150 ms), and cheap when a keystroke does start a pass, since a pass continuing the previous
     * prompt computes only the changed positions and is cancelled by the next keystroke.
     */
    public static final Duration DEBOUNCE = Duration.ofMillis(70);
    /** Model loads and closes run one at a time in this lane: two large models are never read at once. */
    static final String MODEL_LANE = "model-loader";

    private final ReadOnlyObjectWrapper<Model> model = new ReadOnlyObjectWrapper<>(this, "model");
    private final StringProperty prompt = new SimpleStringProperty(this, "prompt", SampleModels.EXAMPLE_PROMPT);
    private final ReadOnlyObjectWrapper<Analysis> analysis = new ReadOnlyObjectWrapper<>(this, "analysis");
    private final Selection selection = new Selection();
    private final ObjectProperty<ColorMap> colorMap = new SimpleObjectProperty<>(this, "colorMap", ColorMap.VIRIDIS);
    private final ObjectProperty<AttentionScale> scale = new SimpleObjectProperty<>(this, "scale", AttentionScale.LINEAR);
    private final BooleanProperty dark = new SimpleBooleanProperty(this, "dark", false);
    private final ReadOnlyObjectWrapper<Palette> palette = new ReadOnlyObjectWrapper<>(this, "palette", Palette.LIGHT);
    /** Bytes the stored attention maps of a pass may take; layers past it are recomputed when shown. */
    private final LongProperty attentionBudget = new SimpleLongProperty(this, "attentionBudget");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(this, "loading", false);
    /** Whether the open model reads its prompt as token ids (no usable tokenizer.json). */
    private final ReadOnlyBooleanWrapper promptIsIds = new ReadOnlyBooleanWrapper(this, "promptIsIds", false);
    /** Passes that finished and were shown; passes given up because the prompt or model changed. */
    private final ReadOnlyObjectWrapper<PassCounts> passes = new ReadOnlyObjectWrapper<>(this, "passes",
            new PassCounts(0, 0));

    private final TaskRunner tasks;
    private final AppPreferences preferences;
    private final AnalysisService analysisService = new AnalysisService();
    private TaskHandle pass;
    private TaskHandle load;
    private Cancellable debounce;
    /** Models shown through {@link #showModel}: their source closes them. */
    private final Set<Model> borrowed = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    public ExplorerViewModel(AppPreferences preferences, TaskRunner tasks) {
        this.preferences = preferences;
        this.tasks = tasks;
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
        prompt.addListener((o, a, b) -> {
            // an edit while nothing runs or waits starts at once (a keystroke at the end of the prompt costs one
            // continuing pass, far less than the debounce); one that interrupts a pass or a pending debounce
            // (typing faster than the passes, a paste in pieces) waits for the typing to pause
            boolean burst = debounce != null || (pass != null && pass.isRunning());
            cancelPass();
            if (debounce != null) {
                debounce.cancel();
            }
            if (!burst) {
                analyse();
                return;
            }
            boolean[] ran = {false}; // a test's runner may run it at once
            Cancellable pause = tasks.schedule(DEBOUNCE, () -> {
                ran[0] = true;
                analyse();
            });
            debounce = ran[0] ? null : pause;
        });
        loading.addListener(o -> updateStatus());
        updateStatus();
    }

    // ---- commands

    /** Opens a model folder off the FX thread; the current model stays until the new one has loaded. */
    public void openModel(Path folder) {
        load(folder, Model::open, true);
    }

    /**
     * Shows a model that {@code source} opens and keeps owning (e.g. the training timeline's cache of checkpoints):
     * loaded off the FX thread like {@link #openModel}, but not added to the recent folders and never closed here.
     */
    public void showModel(Path folder, Function<Path, Model> source) {
        load(folder, path -> {
            Model m = source.apply(path);
            borrowed.add(m);
            return m;
        }, false);
    }

    private void load(Path folder, Function<Path, Model> source, boolean remember) {
        cancelLoading();
        Path target = folder.toAbsolutePath().normalize();
        String name = ModelNames.displayName(target);
        loading.set(true);
        load = tasks.task("Opening " + name + "…", ctx -> source.apply(target))
                .serial(MODEL_LANE)
                .userCancellable()
                .failureContext("Could not open " + name)
                .onSuccess(opened -> show(opened, target, remember))
                .onDiscarded(this::release)
                .onFinished(() -> loading.set(false))
                .submit();
    }

    private void show(Model opened, Path folder, boolean remember) {
        tasks.errors().dismiss();
        Model previous = model.get();
        cancelPass();
        model.set(opened);
        if (remember) {
            preferences.addRecent(folder);
        }
        analysis.set(null);
        updateStatus();
        checkTokenizer(opened);
        analyse();
        if (previous != null && previous != opened && !borrowed.contains(previous)) {
            closeLater(previous);
        }
    }

    /**
     * Whether the prompt is words or token ids: known at once for a folder without tokenizer.json; one whose
     * tokenizer.json turns out unusable switches to ids when its background load has failed (if still shown).
     */
    private void checkTokenizer(Model opened) {
        promptIsIds.set(!opened.hasTokenizer());
        if (opened.hasTokenizer()) {
            tasks.task("Reading the tokenizer", ctx -> AnalysisService.tokenizerOrNull(opened) == null)
                    .quiet()
                    .onSuccess(unusable -> {
                        if (unusable && model.get() == opened) {
                            promptIsIds.set(true);
                        }
                    })
                    .onFailure(t -> { }) // the pass reports the tokenizer's problem
                    .submit();
        }
    }

    private static final AtomicBoolean KERNELS_WARMED = new AtomicBoolean();

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
        if (load != null) {
            load.cancel();
            load = null;
        }
    }

    /** Runs the current prompt through the current model now (cancelling a pass in flight). */
    public void analyse() {
        if (debounce != null) {
            debounce.cancel();
            debounce = null;
        }
        Model m = model.get();
        if (m == null) {
            return;
        }
        cancelPass();
        String text = prompt.get();
        analysisService.use(m);
        pass = tasks.<Analysis>task("Analysing…", (ctx, publish) -> analysisService.analyse(text, ctx, publish))
                .onPartial(this::showPartial)
                .onSuccess(this::showAnalysis)
                .onFailure(t -> {
                    tasks.errors().report(describe(t));
                    updateStatus();
                })
                .onCancelled(() -> passes.set(passes.get().oneMoreCancelled()))
                .submit();
    }

    private void cancelPass() {
        if (pass != null) {
            pass.cancel();
            pass = null;
        }
    }

    /** The pass is done but the logit lens is still computing: the attention views show already. */
    private void showPartial(Analysis partial) {
        if (partial.prompt().equals(prompt.get()) && partial.model() == model.get()) {
            selection.clamp(partial.layers(), partial.heads(), partial.tokens());
            tasks.errors().dismiss();
            analysis.set(partial);
        }
    }

    private void showAnalysis(Analysis result) {
        if (result != null && (!result.prompt().equals(prompt.get()) || result.model() != model.get())) {
            // finished just before the prompt or model changed: stale, and a new pass is on its way
            passes.set(passes.get().oneMoreCancelled());
            return;
        }
        if (result != null) {
            selection.clamp(result.layers(), result.heads(), result.tokens());
            // a pass that made NaN or infinite values is shown, with a banner saying where they began (the scan
            // of the residual stream is cheap; tensors are read only when a value is not finite)
            NonFiniteValues.firstIn(result.model(), result.trace()).ifPresentOrElse(
                    warning -> tasks.errors().report("Warning: " + ErrorMessages.escape(warning)),
                    () -> tasks.errors().dismiss());
        }
        analysis.set(result);
        passes.set(passes.get().oneMoreCompleted());
        updateStatus();
        warmUpKernelsOnce();
    }

    /** Closes a model unless a {@link #showModel} source owns it. */
    private void release(Model m) {
        if (!borrowed.contains(m)) {
            m.close();
        }
    }

    /** Closes a replaced model once a pass that may still use it has had time to stop. */
    private void closeLater(Model previous) {
        tasks.schedule(Duration.ofSeconds(2), () -> tasks.task("Closing the previous model", ctx -> {
            previous.close();
            return null;
        }).quiet().serial(MODEL_LANE).submit());
    }

    /** Hides the error banner. */
    public void dismissError() {
        tasks.errors().dismiss();
    }

    /** Stops loading and analysing and closes the model (the window is closing). */
    public void shutdown() {
        cancelPass();
        cancelLoading();
        Model m = model.get();
        if (m != null) {
            release(m);
        }
    }

    private void updateStatus() {
        Model m = model.get();
        Analysis a = analysis.get();
        if (m == null) {
            // while the first model loads the status bar says what is being opened, not that nothing is
            status.set(loading.get() ? "" : "No model open");
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

    /** The banner's line: the shared translation, plus where the attention budget is raised. */
    public static String describe(Throwable t) {
        if (t instanceof AttentionMaps.TooLongException tooLong) {
            return ErrorMessages.escape(tooLong.reason())
                    + " Shorten the prompt or raise the budget (View ▸ Attention Memory Budget…).";
        }
        return ErrorMessages.describe(t);
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

    /** Follows {@link #darkProperty()}. */
    public ReadOnlyObjectProperty<Palette> paletteProperty() {
        return palette.getReadOnlyProperty();
    }

    /** The attention memory budget in bytes (saved in the preferences; a change re-runs the prompt). */
    public LongProperty attentionBudgetProperty() {
        return attentionBudget;
    }

    /** Whether the open model reads its prompt as token ids (its folder has no usable tokenizer.json). */
    public ReadOnlyBooleanProperty promptIsIdsProperty() {
        return promptIsIds.getReadOnlyProperty();
    }

    /** The open model's summary and the last pass's figures. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** Whether a model is being opened. */
    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    /** Whether an edit is waiting for the debounce before its pass starts. */
    boolean debouncing() {
        return debounce != null;
    }

    /** Loading, analysing, or waiting for the typing pause to end. */
    public boolean isBusy() {
        return loading.get() || (pass != null && pass.isRunning()) || debounce != null;
    }

    /** How many passes were shown and how many were cancelled or came back stale, since this view model began. */
    public ReadOnlyObjectProperty<PassCounts> passesProperty() {
        return passes.getReadOnlyProperty();
    }

    /** The tally of analysis passes: shown ({@code completed}) and dropped ({@code cancelled}, including stale). */
    public record PassCounts(int completed, int cancelled) {
        PassCounts oneMoreCompleted() {
            return new PassCounts(completed + 1, cancelled);
        }

        PassCounts oneMoreCancelled() {
            return new PassCounts(completed, cancelled + 1);
        }
    }

    public AppPreferences preferences() {
        return preferences;
    }

    /** The runner this view model's work goes to; panels built on it share it (errors, activity, progress). */
    public TaskRunner tasks() {
        return tasks;
    }
}
