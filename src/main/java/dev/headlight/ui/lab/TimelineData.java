package dev.headlight.ui.lab;

import dev.headlight.train.CheckpointTimeline;
import dev.headlight.train.TensorGroups;
import dev.headlight.train.WeightRecords;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A scanned run as the Timeline's charts show it, made off the FX thread: the loss curves (downsampled), each
 * head's previous-token and induction score per checkpoint, the gradient norm of each tensor group from
 * training.json's weight records (when it has them), and the phase-change step.
 *
 * @param loss      training loss and in-context loss, at most {@link #MAX_POINTS} points each
 * @param previous  one previous-token score curve per head ("L0H1")
 * @param induction one induction score curve per head
 * @param gradient  per tensor group the gradient norm (layers taken together), bin means of at most
 *                  {@link #MAX_POINTS} bins; empty without weight records
 * @param phaseStep the first checkpoint step whose best induction score (past layer 0) reached
 *                  {@link TimelinePanel#PHASE_THRESHOLD}, or -1
 */
public record TimelineData(CheckpointTimeline timeline, List<Curve> loss, List<Curve> previous,
                           List<Curve> induction, List<Curve> gradient, int phaseStep) {
    /** The curves are drawn with at most this many points. */
    static final int MAX_POINTS = 400;

    /** A named curve over steps. */
    public record Curve(String name, double[] x, double[] y) {
    }

    static TimelineData of(CheckpointTimeline t) {
        List<Curve> loss = new ArrayList<>();
        double[] values = t.loss();
        if (values.length > 0) {
            loss.add(downsampled("loss", values));
            double[] inContext = t.inContextLoss();
            if (Arrays.stream(inContext).anyMatch(v -> !Double.isNaN(v))) {
                loss.add(downsampled("in-context", inContext));
            }
        }
        int layers = layersOf(t);
        int phase = -1;
        for (int l = layers > 1 ? 1 : 0; l < layers; l++) {
            int s = t.firstStepWithInduction(l, TimelinePanel.PHASE_THRESHOLD);
            if (s >= 0 && (phase < 0 || s < phase)) {
                phase = s;
            }
        }
        return new TimelineData(t, loss, scores(t, true), scores(t, false), gradientCurves(t.weightRecords()),
                phase);
    }

    /** At most {@link #MAX_POINTS} points of a per-step series (step i is plotted at x = i + 1, as logged). */
    private static Curve downsampled(String name, double[] values) {
        int stride = Math.max(1, (int) Math.ceil(values.length / (double) MAX_POINTS));
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < values.length; i += stride) {
            if (!Double.isNaN(values[i])) {
                points.add(new double[]{i + 1, values[i]});
            }
        }
        return new Curve(name, points.stream().mapToDouble(p -> p[0]).toArray(),
                points.stream().mapToDouble(p -> p[1]).toArray());
    }

    private static int layersOf(CheckpointTimeline t) {
        for (CheckpointTimeline.Entry e : t.checkpoints()) {
            if (e.induction() != null) {
                return e.induction().length;
            }
        }
        return 0;
    }

    /** One curve per head over the checkpoints: [layer][head] scores from each checkpoint's log entry. */
    private static List<Curve> scores(CheckpointTimeline t, boolean previous) {
        List<List<double[]>> points = new ArrayList<>(); // [layer * heads + head][checkpoint] -> (step, score)
        List<String> names = new ArrayList<>();
        for (CheckpointTimeline.Entry e : t.checkpoints()) {
            double[][] m = previous ? e.previousToken() : e.induction();
            if (m == null) {
                continue;
            }
            int k = 0;
            for (int l = 0; l < m.length; l++) {
                for (int h = 0; h < m[l].length; h++, k++) {
                    if (points.size() <= k) {
                        points.add(new ArrayList<>());
                        names.add("L" + l + "H" + h);
                    }
                    points.get(k).add(new double[]{e.step(), m[l][h]});
                }
            }
        }
        List<Curve> out = new ArrayList<>();
        for (int k = 0; k < points.size(); k++) {
            out.add(new Curve(names.get(k), points.get(k).stream().mapToDouble(p -> p[0]).toArray(),
                    points.get(k).stream().mapToDouble(p -> p[1]).toArray()));
        }
        return out;
    }

    /**
     * Per tensor group the gradient norm of all its layers together (sqrt of the sum of the layers' squares), as
     * bin means over the records; a record of optimiser step s is plotted at x = s + 1 like the loss.
     */
    static List<Curve> gradientCurves(WeightRecords records) {
        if (records == null || records.records().isEmpty()) {
            return List.of();
        }
        List<WeightRecords.Record> rows = records.records();
        TensorGroups groups = TensorGroups.of(records.quantities());
        List<TensorGroups.Group> order = groups.groups();
        double[][] perGroup = new double[rows.size()][order.size()]; // [record][group]
        for (int r = 0; r < rows.size(); r++) {
            double[] keys = groups.norms(rows.get(r).gradientNorm());
            for (int k = 0; k < keys.length; k++) {
                int g = order.indexOf(groups.keys().get(k).group());
                perGroup[r][g] += keys[k] * keys[k];
            }
            for (int g = 0; g < order.size(); g++) {
                perGroup[r][g] = Math.sqrt(perGroup[r][g]);
            }
        }
        int bins = Math.min(MAX_POINTS, rows.size());
        double[][] binned = LabWeightsViewModel.binMeans(perGroup, rows.size(), bins);
        double[] x = new double[bins];
        for (int b = 0; b < bins; b++) {
            x[b] = rows.get(LabWeightsViewModel.binStart(b, rows.size(), bins)).step() + 1;
        }
        List<Curve> out = new ArrayList<>();
        for (int g = 0; g < order.size(); g++) {
            double[] y = new double[bins];
            for (int b = 0; b < bins; b++) {
                y[b] = binned[b][g];
            }
            out.add(new Curve(order.get(g).shortLabel(), x, y));
        }
        return out;
    }
}
