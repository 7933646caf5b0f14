package dev.headlight.ui.interventions;

import dev.headlight.analysis.HeadAblation;
import dev.headlight.analysis.HeadOutputs;
import dev.headlight.engine.Model;
import dev.headlight.engine.RunOptions;
import dev.headlight.engine.Trace;
import dev.headlight.ui.Analysis;
import dev.headlight.ui.ExplorerViewModel;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CancellationException;

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
        super(vm.tasks(), "Ablating…");
        this.vm = vm;
        vm.analysisProperty().addListener((o, a, b) -> {
            // results describe the previous prompt: drop them
            job.cancel();
            outcome.set(null);
            map.set(null);
        });
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
        Analysis a = vm.analysis();
        if (a == null) {
            return;
        }
        Model model = a.model();
        int[] ids = a.ids();
        int position = position(a);
        boolean useMean = mean.get();
        job.start(ctx -> compute(model, ids, position, layer, head, useMean, ctx::isCancelled),
                outcome::set);
    }

    /** The full layers × heads map for the selected position's target token. */
    public void computeMap() {
        Analysis a = vm.analysis();
        if (a == null) {
            return;
        }
        Model model = a.model();
        int[] ids = a.ids();
        int position = position(a);
        boolean useMean = mean.get();
        job.start(ctx -> {
            int target = target(model, ids, position);
            return HeadAblation.map(model, ids, position, target, useMean, ctx::isCancelled,
                    ctx::progress);
        }, map::set);
    }

    public void cancel() {
        job.cancel();
    }

    /** The token whose log-prob the map measures: the next token, or the top prediction at the last position. */
    static int target(Model model, int[] ids, int position) {
        if (position + 1 < ids.length) {
            return ids[position + 1];
        }
        Trace clean = model.run(ids, RunOptions.display().withoutAttentionMaps());
        return argmax(clean.logits(), position * clean.vocab(), clean.vocab());
    }

    /** One ablation: clean and ablated runs, both distributions at {@code position}, and the lens of the target. */
    static Outcome compute(Model model, int[] ids, int position, int layer, int head, boolean mean,
                           java.util.function.BooleanSupplier cancelled) {
        HeadOutputs outputs = new HeadOutputs(model.info().layers());
        Trace clean = model.run(ids, RunOptions.display().withoutAttentionMaps().withHeadHook(outputs)
                .withCancellation(cancelled));
        checkCancelled(cancelled);
        float[] replacement = mean ? HeadAblation.meanOutput(outputs, layer, head) : null;
        Trace ablated = model.run(ids, RunOptions.display().withoutAttentionMaps().withCancellation(cancelled)
                .withHeadHook(HeadAblation.ablationHook(layer, head, replacement)));
        checkCancelled(cancelled);
        int vocab = clean.vocab();
        double[] logBefore = logSoftmax(clean.logits(), position * vocab, vocab);
        double[] logAfter = logSoftmax(ablated.logits(), position * vocab, vocab);
        boolean isNext = position + 1 < ids.length;
        int target = isNext ? ids[position + 1] : argmax(clean.logits(), position * vocab, vocab);
        return new Outcome(layer, head, mean, position, target, TokenInput.label(model, target), isNext,
                logBefore[target], logAfter[target], top(model, logBefore, logBefore, logAfter), top(model, logAfter, logBefore, logAfter),
                lens(model, clean, position, target), lens(model, ablated, position, target));
    }

    /** The top entries of {@code rank}, each with its probability before and after. */
    private static Row[] top(Model model, double[] rank, double[] logBefore, double[] logAfter) {
        Integer[] order = new Integer[rank.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(rank[y], rank[x]));
        Row[] rows = new Row[Math.min(TOP, order.length)];
        for (int i = 0; i < rows.length; i++) {
            int id = order[i];
            rows[i] = new Row(id, TokenInput.label(model, id), Math.exp(logBefore[id]), Math.exp(logAfter[id]));
        }
        return rows;
    }

    /** log p(target) at {@code position} read out of every residual stream entry: // [layer + 1]. */
    private static double[] lens(Model model, Trace trace, int position, int target) {
        int rows = trace.layers() + 1;
        int hidden = trace.hidden();
        double[] out = new double[rows];
        for (int l = 0; l < rows; l++) {
            float[] x = Arrays.copyOfRange(trace.residual(), trace.residualOffset(l, position),
                    trace.residualOffset(l, position) + hidden);
            float[] logits = model.outputHead(x, 1);
            out[l] = logSoftmax(logits, 0, logits.length)[target];
        }
        return out;
    }

    static double[] logSoftmax(float[] logits, int from, int n) {
        float[] logProbs = new float[n];
        dev.headlight.analysis.LogitLens.logSoftmax(logits, from, n, logProbs, 0);
        double[] out = new double[n];
        for (int v = 0; v < n; v++) {
            out[v] = logProbs[v];
        }
        return out;
    }

    static int argmax(float[] values, int from, int n) {
        int best = 0;
        for (int v = 1; v < n; v++) {
            if (values[from + v] > values[from + best]) {
                best = v;
            }
        }
        return best;
    }

    private static void checkCancelled(java.util.function.BooleanSupplier cancelled) {
        if (cancelled.getAsBoolean()) {
            throw new CancellationException("ablation cancelled");
        }
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
