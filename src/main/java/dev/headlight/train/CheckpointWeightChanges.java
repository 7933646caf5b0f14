package dev.headlight.train;

import dev.headlight.analysis.WeightChange;
import dev.headlight.engine.Model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;

/**
 * The relative weight change of every tensor and head slice through a run's checkpoints ({@link CheckpointTimeline},
 * any folder of step-N or checkpoint-N model folders): between consecutive checkpoints,
 * ||W_t - W_(t-1)||_F / ||W_(t-1)||_F, and from the first, ||W_t - W_0||_F / ||W_0||_F ({@link WeightChange}).
 * The first checkpoint has no entry. Checkpoints that differ in architecture or shapes are refused with
 * {@link WeightChange}'s one-line reason.
 */
public final class CheckpointWeightChanges {
    private CheckpointWeightChanges() {
    }

    /** Checkpoint {@code step}'s changes from the one before it and from the first. */
    public record Step(int step, List<WeightChange.Change> fromPrevious, List<WeightChange.Change> fromFirst) {
    }

    /**
     * Computes every checkpoint's changes, opening each folder once; {@code cancelled} (may be null) throws
     * {@link java.util.concurrent.CancellationException} between blocks, {@code progress} (may be null) hears the
     * fraction done.
     */
    public static List<Step> compute(CheckpointTimeline timeline, BooleanSupplier cancelled, DoubleConsumer progress) {
        List<CheckpointTimeline.Entry> entries = timeline.checkpoints();
        List<Step> out = new ArrayList<>();
        if (entries.size() < 2) {
            return out;
        }
        int pairs = 2 * (entries.size() - 1) - 1; // the second checkpoint's two comparisons are the same pair
        int[] done = {0};
        try (Model first = Model.open(entries.getFirst().folder())) {
            Model previous = null;
            try {
                for (int i = 1; i < entries.size(); i++) {
                    Model current = Model.open(entries.get(i).folder());
                    Model before = previous == null ? first : previous;
                    List<WeightChange.Change> fromPrevious = WeightChange.between(before, current, cancelled,
                            fraction -> report(progress, done[0], fraction, pairs));
                    done[0]++;
                    List<WeightChange.Change> fromFirst = fromPrevious;
                    if (before != first) {
                        fromFirst = WeightChange.between(first, current, cancelled,
                                fraction -> report(progress, done[0], fraction, pairs));
                        done[0]++;
                    }
                    out.add(new Step(entries.get(i).step(), fromPrevious, fromFirst));
                    if (previous != null) {
                        previous.close();
                    }
                    previous = current;
                }
            } finally {
                if (previous != null) {
                    previous.close();
                }
            }
        }
        return out;
    }

    private static void report(DoubleConsumer progress, int done, double fraction, int pairs) {
        if (progress != null) {
            progress.accept(Math.min(1, (done + fraction) / pairs));
        }
    }

    /**
     * Each head's relative change of one slice ("q", "k", "v" or "o") of the attention weight matrices (biases not
     * included) {@code // [layer][head]}; NaN where the file has no such slice. Under grouped-query attention the k
     * and v of a query head are its key/value head's.
     */
    public static double[][] headGrid(List<WeightChange.Change> changes, String slice, int layers, int heads) {
        double[][] out = new double[layers][heads];
        for (double[] row : out) {
            java.util.Arrays.fill(row, Double.NaN);
        }
        int kvHeads = 0;
        for (WeightChange.Change c : changes) {
            if (c.isSlice() && c.slice().equals(slice) && !c.component().endsWith(".bias")) {
                kvHeads = Math.max(kvHeads, c.head() + 1);
            }
        }
        for (WeightChange.Change c : changes) {
            if (!c.isSlice() || !c.slice().equals(slice) || c.component().endsWith(".bias") || c.layer() < 0
                    || c.layer() >= layers) {
                continue;
            }
            boolean perKvHead = (slice.equals("k") || slice.equals("v")) && kvHeads > 0 && kvHeads < heads;
            if (!perKvHead) {
                if (c.head() < heads) {
                    out[c.layer()][c.head()] = c.relativeChange();
                }
            } else {
                int group = heads / kvHeads;
                for (int h = c.head() * group; h < (c.head() + 1) * group && h < heads; h++) {
                    out[c.layer()][h] = c.relativeChange();
                }
            }
        }
        return out;
    }
}
