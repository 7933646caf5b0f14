package dev.headlight.ui.lab;

import dev.headlight.train.PhaseChange;
import dev.headlight.train.TensorGroups;
import dev.headlight.train.WeightRecords;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleObjectProperty;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How the lab's run writes into the weights, live: the share of the attention update per head ([recorded step ×
 * head], {@link WeightRecords#updateShare}) for the chosen slices, and the update or gradient norm of each tensor
 * group ({@link TensorGroups}) per layer, both over the run's planned steps so the heatmap fills from the top while
 * training goes. The phase change is marked twice: live at the first checkpoint whose induction score reaches
 * {@link TimelinePanel#PHASE_THRESHOLD} (as the Timeline marks it), and when the run ends as the in-context loss's
 * fall ({@link PhaseChange}). Fed on the UI thread by {@link TrainingLabViewModel}; {@link #revisionProperty()}
 * changes whenever there is something new to draw.
 */
public final class LabWeightsViewModel {
    /** Rows of the heatmap and points per group curve: recorded steps are averaged into at most this many bins. */
    static final int BINS = 100;

    /** The slices the heatmap can show: one of q, k, v, o, or several summed (squared norms add). */
    public enum Slices {
        Q("W_Q", "q"), K("W_K", "k"), V("W_V", "v"), O("W_O", "o"), QK("W_Q + W_K", "q", "k"),
        ALL("W_Q, W_K, W_V, W_O", "q", "k", "v", "o");

        private final String label;
        private final List<String> names;

        Slices(String label, String... names) {
            this.label = label;
            this.names = List.of(names);
        }

        /** The {@link WeightRecords} slice names summed. */
        public List<String> names() {
            return names;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** Which norm the group curves show. */
    public enum Norm {
        UPDATE("update norm ||ΔW||_F"), GRADIENT("gradient norm ||G||_F");

        private final String label;

        Norm(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** One group curve: a layer's group norm at the first step of each bin recorded so far. */
    public record Curve(TensorGroups.Key key, int[] steps, double[] values) {
    }

    private final ObjectProperty<Slices> slices = new SimpleObjectProperty<>(this, "slices", Slices.QK);
    private final ObjectProperty<Norm> norm = new SimpleObjectProperty<>(this, "norm", Norm.UPDATE);
    private final ReadOnlyIntegerWrapper revision = new ReadOnlyIntegerWrapper(this, "revision");
    private final ReadOnlyObjectWrapper<Markers> markers = new ReadOnlyObjectWrapper<>(this, "markers", Markers.NONE);
    private final List<Double> inContextLoss = new ArrayList<>(); // [step]
    private WeightRecords records;
    private List<WeightRecords.Record> rows = List.of();
    private TensorGroups groups;
    private RunShape shape = new RunShape(0, 0, 0);

    public LabWeightsViewModel() {
        slices.addListener((o, a, b) -> changed());
        norm.addListener((o, a, b) -> changed());
    }

    // ---- fed by the lab's view model (UI thread)

    void start(int steps, int nLayers, int nHeads) {
        shape = new RunShape(nLayers, nHeads, steps);
        records = null;
        rows = List.of();
        groups = null;
        inContextLoss.clear();
        markers.set(Markers.NONE);
        changed();
    }

    void steps(List<TrainingLabViewModel.StepPoint> batch) {
        for (TrainingLabViewModel.StepPoint p : batch) {
            inContextLoss.add(p.inContextLoss());
        }
    }

    void checkpoint(TrainingLabViewModel.CheckpointPoint c) {
        if (markers.get().inductionStep() >= 0 || c.scores() == null) {
            return;
        }
        double[][] induction = c.scores().induction();
        for (int l = induction.length > 1 ? 1 : 0; l < induction.length; l++) {
            for (double v : induction[l]) {
                if (v >= TimelinePanel.PHASE_THRESHOLD) {
                    markers.set(new Markers(c.step(), null));
                    changed();
                    return;
                }
            }
        }
    }

    void records(WeightRecords all) {
        records = all;
        rows = all.records();
        if (groups == null) {
            groups = TensorGroups.of(all.quantities());
        }
        changed();
    }

    /**
     * The run ended: the phase change is the in-context loss's fall, if an induction head formed (without one, the
     * slow fall of a short run's loss is no phase change, though {@link PhaseChange} would find a span in it).
     */
    void finished() {
        double[] loss = inContextLoss.stream().mapToDouble(Double::doubleValue).toArray();
        int step = markers.get().inductionStep();
        markers.set(new Markers(step, step >= 0 ? PhaseChange.fromInContextLoss(loss) : null));
        changed();
    }

    private void changed() {
        revision.set(revision.get() + 1);
    }

    // ---- what the views draw

    /** Records the run will make: one every {@link WeightRecords#every()} steps; 0 before the first arrives. */
    int plannedRecords() {
        return records == null ? 0 : (shape.plannedSteps() + records.every() - 1) / records.every();
    }

    /** Rows of the heatmap (and points of a full curve): the planned records in at most {@link #BINS} bins. */
    public int bins() {
        return Math.min(BINS, Math.max(rows.size(), plannedRecords()));
    }

    /**
     * Each head's share of the attention update of the chosen slices, averaged per bin:
     * {@code // [bin][layer * heads + head]}; NaN rows for bins not reached yet; null before the first record.
     */
    public double[][] shareGrid() {
        if (records == null || rows.isEmpty()) {
            return null;
        }
        double[][] share = WeightRecords.updateShare(records.quantities(), rows, slices.get().names(),
                shape.layers(), shape.heads());
        return binMeans(share, Math.max(rows.size(), plannedRecords()), bins());
    }

    /** The first step of each bin (reached or planned), counted from 1 as the loss curve's steps. */
    public int[] binSteps() {
        int bins = bins();
        int planned = Math.max(rows.size(), plannedRecords());
        int every = records == null ? 1 : records.every();
        int[] out = new int[bins];
        for (int b = 0; b < bins; b++) {
            out[b] = binStart(b, planned, bins) * every + 1; // the record of optimiser step s is step s + 1's
        }
        return out;
    }

    /** The groups recorded, in chart order (empty before the first record). */
    public List<TensorGroups.Group> groups() {
        return groups == null ? List.of() : groups.groups();
    }

    /** The chosen norm of each layer's part of {@code group}, averaged per bin, over the bins reached so far. */
    public List<Curve> curves(TensorGroups.Group group) {
        if (groups == null || rows.isEmpty()) {
            return List.of();
        }
        double[][] norms = groups.norms(rows, norm.get() == Norm.GRADIENT); // [record][key]
        int planned = Math.max(rows.size(), plannedRecords());
        int bins = bins();
        double[][] binned = binMeans(norms, planned, bins);
        int[] steps = binSteps();
        int reached = 0;
        while (reached < bins && !Double.isNaN(binned[reached][0])) {
            reached++;
        }
        List<Curve> out = new ArrayList<>();
        for (int k = 0; k < groups.keys().size(); k++) {
            TensorGroups.Key key = groups.keys().get(k);
            if (key.group() != group) {
                continue;
            }
            double[] v = new double[reached];
            for (int b = 0; b < reached; b++) {
                v[b] = binned[b][k];
            }
            out.add(new Curve(key, Arrays.copyOf(steps, reached), v));
        }
        return out;
    }

    /** The records so far, as the trainer made them. */
    public List<WeightRecords.Record> records() {
        return rows;
    }

    public WeightRecords weightRecords() {
        return records;
    }

    /** The current run's model size and planned steps, set at its start. */
    public RunShape shape() {
        return shape;
    }

    /** A run's layers and heads per layer, and the steps it plans (the heatmap's and curves' extent). */
    public record RunShape(int layers, int heads, int plannedSteps) {
    }

    /** The heatmap's slices (selectable). */
    public ObjectProperty<Slices> slicesProperty() {
        return slices;
    }

    /** The curves' norm (selectable). */
    public ObjectProperty<Norm> normProperty() {
        return norm;
    }

    /** Changes whenever the heatmap or the curves have something new. */
    public ReadOnlyIntegerProperty revisionProperty() {
        return revision.getReadOnlyProperty();
    }

    /** Where the charts mark the run's induction head and phase change. */
    public ReadOnlyObjectProperty<Markers> markersProperty() {
        return markers.getReadOnlyProperty();
    }

    /**
     * The first checkpoint whose best induction score (past layer 0) reached the threshold (-1 before), and the
     * in-context loss's fall once the run has ended (null before, without an induction head, or no fall).
     */
    public record Markers(int inductionStep, PhaseChange phaseChange) {
        static final Markers NONE = new Markers(-1, null);
    }

    // ---- binning, shared with the Timeline's share heatmap

    /** The first row index of bin {@code b} when {@code planned} rows go into {@code bins} bins. */
    static int binStart(int b, int planned, int bins) {
        return (int) ((long) b * planned / bins);
    }

    /**
     * {@code rows} ({@code // [row][column]}, the first rows of {@code planned}) averaged into {@code bins} bins of
     * the planned rows: {@code // [bin][column]}; a bin with none of its rows present yet is NaN, one with some is
     * the mean of those.
     */
    static double[][] binMeans(double[][] rows, int planned, int bins) {
        int columns = rows.length == 0 ? 0 : rows[0].length;
        double[][] out = new double[bins][columns];
        for (int b = 0; b < bins; b++) {
            int from = binStart(b, planned, bins);
            int to = Math.min(rows.length, binStart(b + 1, planned, bins));
            if (to <= from) {
                Arrays.fill(out[b], Double.NaN);
                continue;
            }
            for (int i = from; i < to; i++) {
                for (int k = 0; k < columns; k++) {
                    out[b][k] += rows[i][k] / (to - from);
                }
            }
        }
        return out;
    }
}
