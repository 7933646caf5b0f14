package dev.headlight.ui.lab;

import dev.headlight.analysis.WeightChange;
import dev.headlight.train.CheckpointTimeline;
import dev.headlight.train.CheckpointWeightChanges;
import dev.headlight.train.WeightRecords;
import dev.headlight.ui.task.TaskHandle;
import dev.headlight.ui.task.TaskRunner;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.value.ObservableValue;

import java.util.List;

/**
 * The timeline's weight-change heatmap: per checkpoint and head, the relative change of one attention slice
 * (from the previous checkpoint or from the first), computed off the FX thread on the window's task runner with
 * progress and cancelled when another run is shown; and, when training.json has them, the share of the attention
 * update per head over the recorded steps.
 */
public final class WeightChangeViewModel {
    /** Rows of the update-share heatmap: recorded steps are averaged into at most this many bins. */
    static final int SHARE_ROWS = 80;

    private final TaskRunner tasks;
    private final ReadOnlyObjectWrapper<List<CheckpointWeightChanges.Step>> steps =
            new ReadOnlyObjectWrapper<>(this, "steps");
    private final ReadOnlyObjectWrapper<WeightRecords> records = new ReadOnlyObjectWrapper<>(this, "records");
    private final ObjectProperty<String> slice = new SimpleObjectProperty<>(this, "slice", "q");
    private final BooleanProperty fromFirst = new SimpleBooleanProperty(this, "fromFirst", false);
    private TaskHandle task;
    private int layers;
    private int heads;

    public WeightChangeViewModel(TaskRunner tasks, ObservableValue<CheckpointTimeline> timeline) {
        this.tasks = tasks;
        timeline.addListener((o, a, t) -> show(t));
        show(timeline.getValue());
    }

    private void show(CheckpointTimeline t) {
        if (task != null) {
            task.cancel(); // another run: its weight changes are no longer wanted
            task = null;
        }
        steps.set(null);
        records.set(t == null ? null : t.weightRecords());
        if (t == null || t.checkpoints().size() < 2) {
            return;
        }
        task = tasks.task("Weight changes of " + t.root().getFileName() + "…", ctx -> {
                    List<CheckpointWeightChanges.Step> out = CheckpointWeightChanges.compute(t, ctx::isCancelled,
                            f -> ctx.progress(Math.round(f * 1000), 1000));
                    return out;
                })
                .userCancellable()
                .failureContext("Could not compare the checkpoints of " + t.root())
                .onSuccess(this::accept)
                .submit();
    }

    private void accept(List<CheckpointWeightChanges.Step> result) {
        layers = 0;
        heads = 0;
        if (!result.isEmpty()) {
            for (WeightChange.Change c : result.getFirst().fromPrevious()) {
                if (c.isSlice() && c.slice().equals("q") && !c.component().endsWith(".bias")) {
                    layers = Math.max(layers, c.layer() + 1);
                    heads = Math.max(heads, c.head() + 1);
                }
            }
        }
        steps.set(result);
    }

    /** The heatmap: {@code // [checkpoint after the first][layer * heads + head]}; null until computed. */
    public double[][] changeGrid() {
        List<CheckpointWeightChanges.Step> s = steps.get();
        if (s == null || layers == 0) {
            return null;
        }
        double[][] out = new double[s.size()][];
        for (int i = 0; i < s.size(); i++) {
            double[][] grid = CheckpointWeightChanges.headGrid(fromFirst.get() ? s.get(i).fromFirst()
                    : s.get(i).fromPrevious(), slice.get(), layers, heads);
            out[i] = new double[layers * heads];
            for (int l = 0; l < layers; l++) {
                System.arraycopy(grid[l], 0, out[i], l * heads, heads);
            }
        }
        return out;
    }

    /**
     * The share of the attention update per head for the chosen slice ({@link WeightRecords#updateShare}), its
     * recorded steps averaged into at most {@link #SHARE_ROWS} bins: {@code // [bin][layer * heads + head]}; null
     * without records.
     */
    public double[][] shareGrid() {
        WeightRecords r = records.get();
        if (r == null || layers == 0) {
            return null;
        }
        List<WeightRecords.Record> rows = r.records();
        double[][] share = WeightRecords.updateShare(r.quantities(), rows, List.of(slice.get()), layers, heads);
        return LabWeightsViewModel.binMeans(share, share.length, Math.min(SHARE_ROWS, share.length));
    }

    /** The first step of each {@link #shareGrid} bin. */
    public int[] shareSteps() {
        WeightRecords r = records.get();
        List<WeightRecords.Record> rows = r.records();
        int bins = Math.min(SHARE_ROWS, rows.size());
        int[] out = new int[bins];
        for (int b = 0; b < bins; b++) {
            out[b] = rows.get(LabWeightsViewModel.binStart(b, rows.size(), bins)).step();
        }
        return out;
    }

    public int layers() {
        return layers;
    }

    public int heads() {
        return heads;
    }

    public ReadOnlyObjectProperty<List<CheckpointWeightChanges.Step>> stepsProperty() {
        return steps.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<WeightRecords> recordsProperty() {
        return records.getReadOnlyProperty();
    }

    /** "q", "k", "v" or "o". */
    public ObjectProperty<String> sliceProperty() {
        return slice;
    }

    /** From the first checkpoint instead of from the previous one. */
    public BooleanProperty fromFirstProperty() {
        return fromFirst;
    }

    /** Stops the computation (the window closes). */
    public void dispose() {
        if (task != null) {
            task.cancel();
        }
    }
}
