package dev.headlight.ui.compare;

import dev.headlight.analysis.Comparison;
import dev.headlight.analysis.WeightChange;
import dev.headlight.engine.Model;
import dev.headlight.ui.task.TaskHandle;
import dev.headlight.ui.task.TaskRunner;
import dev.headlight.ui.task.WorkStatus;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleObjectProperty;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * The compare view's state: the comparison shown, the selected head, which weight slice the change grid shows, and
 * the commands that start a comparison (in the background, through the window's {@link TaskRunner}; a new one
 * cancels the running one). Model A and prompt A are the explorer's.
 */
public final class CompareViewModel {
    /** The slices the weight-change grid can show. */
    public static final List<String> SLICES = List.of("q", "k", "v", "o");
    /** One line under the grids: the definitions, as the CLI's --help states them. */
    public static final String DEFINITIONS = "JS distance: " + Comparison.JS_DEFINITION + ". Weights: "
            + WeightChange.DEFINITION + ". Prompts: " + Comparison.ALIGNMENT + ".";

    /** The last comparison (null before one) and the head whose maps are shown. */
    public record Shown(CompareResult result, int layer, int head) {
    }

    private final TaskRunner tasks;
    private final Supplier<Model> model;
    private final Supplier<String> prompt;
    private final ReadOnlyObjectWrapper<Shown> shown = new ReadOnlyObjectWrapper<>(this, "shown",
            new Shown(null, 0, 0));
    private final ObjectProperty<String> slice = new SimpleObjectProperty<>(this, "slice", "q");
    private final WorkStatus.Writer status = new WorkStatus.Writer(
            "Compare the open model with another folder of the same architecture, or its prompt with another.",
            false, -1);
    private TaskHandle task;

    public CompareViewModel(TaskRunner tasks, Supplier<Model> model, Supplier<String> prompt) {
        this.tasks = tasks;
        this.model = model;
        this.prompt = prompt;
    }

    /** Compares the open model on the explorer's prompt with the model in {@code folder}. */
    public void compareWithModel(Path folder) {
        Model a = openModelOrSay("Open a model first: it is model A.");
        if (a == null) {
            return;
        }
        String text = prompt.get();
        start("Comparing with " + folder.getFileName() + "…", "Could not compare with " + folder,
                cancelled -> CompareResult.ofModels(a, folder, text, cancelled));
    }

    /** Compares the explorer's prompt with {@code other} on the open model. */
    public void compareWithPrompt(String other) {
        Model a = openModelOrSay("Open a model first.");
        if (a == null) {
            return;
        }
        String text = prompt.get();
        if (other == null || other.isBlank()) {
            status.setMessage("Type the second prompt first.");
            return;
        }
        start("Comparing two prompts…", "Could not compare the prompts",
                cancelled -> CompareResult.ofPrompts(a, text, other, cancelled));
    }

    /** The open model (model A); without one, null after the status line says {@code missing}. */
    private Model openModelOrSay(String missing) {
        Model a = model.get();
        if (a == null) {
            status.setMessage(missing);
        }
        return a;
    }

    private interface Work {
        CompareResult run(java.util.function.BooleanSupplier cancelled);
    }

    private void start(String title, String failure, Work work) {
        cancel();
        status.setRunning(true);
        status.setMessage(title);
        task = tasks.task(title, ctx -> work.run(ctx::isCancelled))
                .userCancellable()
                .failureContext(failure)
                .onFailure(e -> status.setMessage(failure + ": " + oneLine(e.getMessage())))
                .onSuccess(this::show)
                .onFinished(() -> status.setRunning(false))
                .submit();
    }

    private static String oneLine(String s) {
        return s == null ? "failed" : s.replace('\n', ' ');
    }

    private void show(CompareResult r) {
        double[][] js = r.comparison().jsDistance();
        int[] most = r.comparison().mostDifferentHead();
        int bestLayer = most[0];
        int bestHead = most[1];
        shown.set(new Shown(r, bestLayer, bestHead));
        status.setMessage(String.format(java.util.Locale.ROOT, "A = %s, B = %s: %d aligned positions; largest JS distance "
                + "L%d H%d %.3f", r.labelA(), r.labelB(), r.positions(), bestLayer, bestHead, js[bestLayer][bestHead]));
    }

    /** Stops a running comparison. */
    public void cancel() {
        if (task != null) {
            task.cancel();
            task = null;
        }
        status.setRunning(false);
    }

    /** Selects the head whose maps are shown. */
    public void select(int newLayer, int newHead) {
        CompareResult r = shown.get().result();
        if (r != null && (newLayer < 0 || newLayer >= r.layers() || newHead < 0 || newHead >= r.heads())) {
            return;
        }
        shown.set(new Shown(r, newLayer, newHead));
    }

    /** B's map minus A's for the selected head over the aligned positions // [query][key]; null without a result. */
    public float[] differenceMap() {
        Shown s = shown.get();
        CompareResult r = s.result();
        if (r == null) {
            return null;
        }
        int n = r.positions();
        float[] a = r.comparison().a().attentions().head(s.layer(), s.head());
        float[] b = r.comparison().b().attentions().head(s.layer(), s.head());
        int ta = r.comparison().a().tokens();
        int tb = r.comparison().b().tokens();
        float[] out = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                out[i * n + j] = b[i * tb + j] - a[i * ta + j];
            }
        }
        return out;
    }

    public ReadOnlyObjectProperty<Shown> shownProperty() {
        return shown.getReadOnlyProperty();
    }

    /** The attention slice ("q", "k", "v" or "o") the weight-change grid shows. */
    public ObjectProperty<String> sliceProperty() {
        return slice;
    }

    /** The status line (what runs, or the last comparison's summary or failure) and whether a comparison runs. */
    public WorkStatus status() {
        return status.status();
    }
}
