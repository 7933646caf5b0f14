package dev.headlight.ui.interventions;

import dev.headlight.analysis.HeadAblation;
import dev.headlight.engine.Model;
import dev.headlight.ui.Analysis;
import dev.headlight.ui.ExplorerViewModel;
import dev.headlight.ui.task.BackgroundWork;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.Locale;

/**
 * The ablation panel's state: knock out one head (zero or mean) on the current prompt and compare the next-token
 * distribution at the selected position (the shared selection's query token, default the last) before and after,
 * plus the logit lens of the target token layer by layer; or the full layers × heads map of log-prob changes
 * ({@link HeadAblation#map}). The target is the actual next token, or at the last position the model's top
 * prediction. Runs off the FX thread; a new run cancels the one in flight.
 */
public final class AblationViewModel extends JobViewModel {
    public static final int TOP = 10;

    /** One next-token candidate: probabilities before and after the ablation. */
    public record Row(int id, String label, double before, double after) {
        public String beforeText() {
            return percent(before);
        }

        public String afterText() {
            return percent(after);
        }

        public String changeText() {
            return String.format(Locale.ROOT, "%+.1f pp", 100 * (after - before));
        }
    }

    /**
     * One finished ablation.
     *
     * @param lensBefore log p(target) read out of the residual entering each layer, clean   // [layer + 1]
     * @param lensAfter  the same with the head ablated                                      // [layer + 1]
     */
    public record Outcome(int layer, int head, boolean mean, int position, int target, String targetLabel,
                          boolean targetIsNext, double cleanLogProb, double ablatedLogProb, Row[] topBefore,
                          Row[] topAfter, double[] lensBefore, double[] lensAfter) {
        public double delta() {
            return ablatedLogProb - cleanLogProb;
        }
    }

    private final ExplorerViewModel vm;
    private final BooleanProperty mean = new SimpleBooleanProperty(this, "mean", false);
    private final javafx.beans.property.ReadOnlyObjectWrapper<Outcome> outcome =
            new javafx.beans.property.ReadOnlyObjectWrapper<>(this, "outcome");
    private final javafx.beans.property.ReadOnlyObjectWrapper<HeadAblation.Result> map =
            new javafx.beans.property.ReadOnlyObjectWrapper<>(this, "map");
    private final ObservableList<Row> before = FXCollections.observableArrayList();
    private final ObservableList<Row> after = FXCollections.observableArrayList();

    public AblationViewModel(ExplorerViewModel vm) {
        super(vm.tasks(), "Ablating…", "Could not ablate");
        this.vm = vm;
        dropResultsWhen(vm.analysisProperty(), outcome, map);
        outcome.addListener((o, a, b) -> {
            before.setAll(b == null ? new Row[0] : b.topBefore());
            after.setAll(b == null ? new Row[0] : b.topAfter());
        });
    }

    /** The position to read: the shared query token, or the last token. */
    public int position(Analysis a) {
        int q = vm.selection().query();
        return q >= 0 && q < a.tokens() ? q : a.tokens() - 1;
    }

    /** Ablates head (layer, head) on the current prompt (zero or mean as {@link #meanProperty()}). */
    public void ablate(int layer, int head) {
        run((model, ids, position, useMean) -> ctx -> compute(model, ids, position, layer, head, useMean,
                ctx::isCancelled), outcome);
    }

    /** The full layers × heads map for the selected position's target token. */
    public void computeMap() {
        run((model, ids, position, useMean) -> ctx -> {
            int target = HeadAblation.defaultTarget(model, ids, position);
            return HeadAblation.map(model, ids, position, target, useMean, ctx::isCancelled, ctx::progress);
        }, map);
    }

    /** What to run on the current prompt, read on the FX thread before the work starts. */
    private interface Run<T> {
        BackgroundWork<T> on(Model model, int[] ids, int position, boolean mean);
    }

    /** Runs {@code run} on the current prompt at the selected position into {@code result} (cleared on failure). */
    private <T> void run(Run<T> run, ObjectProperty<T> result) {
        Analysis a = vm.analysis();
        if (a == null) {
            return;
        }
        job.start(run.on(a.model(), a.ids(), position(a), mean.get()), result::set, () -> result.set(null));
    }

    /** One ablation ({@link HeadAblation#ablate}) with the token labels and top rows the panel shows. */
    static Outcome compute(Model model, int[] ids, int position, int layer, int head, boolean mean,
                           java.util.function.BooleanSupplier cancelled) {
        HeadAblation.Single s = HeadAblation.ablate(model, ids, position, layer, head, mean, cancelled);
        return new Outcome(layer, head, mean, s.position(), s.target(), TokenInput.label(model, s.target()),
                s.targetIsNext(), s.cleanLogProb(), s.ablatedLogProb(), rows(model, s, s.before()),
                rows(model, s, s.after()), s.lensBefore(), s.lensAfter());
    }

    /** The top {@link #TOP} tokens of {@code ranking} (before or after), each with its probability before and after. */
    private static Row[] rows(Model model, HeadAblation.Single s, float[] ranking) {
        int[] top = HeadAblation.Single.top(ranking, TOP);
        Row[] rows = new Row[top.length];
        for (int i = 0; i < top.length; i++) {
            int id = top[i];
            rows[i] = new Row(id, TokenInput.label(model, id), Math.exp(s.before()[id]), Math.exp(s.after()[id]));
        }
        return rows;
    }

    static String percent(double p) {
        return String.format(Locale.ROOT, p < 0.001 ? "%.3f%%" : "%.1f%%", 100 * p);
    }

    // ---- properties

    public BooleanProperty meanProperty() {
        return mean;
    }

    public javafx.beans.property.ReadOnlyObjectProperty<Outcome> outcomeProperty() {
        return outcome.getReadOnlyProperty();
    }

    public javafx.beans.property.ReadOnlyObjectProperty<HeadAblation.Result> mapProperty() {
        return map.getReadOnlyProperty();
    }

    public ObservableList<Row> before() {
        return before;
    }

    public ObservableList<Row> after() {
        return after;
    }
}
