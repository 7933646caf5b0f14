package dev.headlight.train;

import dev.headlight.analysis.circuits.HeadCircuits;
import dev.headlight.engine.Model;

import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;

/**
 * The weights-only circuit scores of one checkpoint, as the circuits analysis defines them
 * ({@link HeadCircuits}): each head's copying score and the K-composition score of every pair of heads in
 * different layers. A timeline computes one per checkpoint; the scores of a checkpoint never change, so they can be
 * cached by folder.
 *
 * @param step         the checkpoint's step
 * @param copying      copying score [layer][head]; NaN where it is undefined (no unembedding, or a null circuit)
 * @param kComposition K-composition [l1][h1][l2][h2] of head (l1, h1) into head (l2, h2) for l1 &lt; l2; NaN
 *                     elsewhere and where undefined
 */
public record CheckpointCircuits(int step, double[][] copying, double[][][][] kComposition) {

    /** Computes the scores of the model in {@code folder}; {@code cancelled} throws a CancellationException. */
    public static CheckpointCircuits compute(int step, Path folder, BooleanSupplier cancelled,
                                             DoubleConsumer progress) {
        try (Model model = Model.open(folder)) {
            return of(step, model, cancelled, progress);
        }
    }

    /** The scores of an open model. */
    public static CheckpointCircuits of(int step, Model model, BooleanSupplier cancelled, DoubleConsumer progress) {
        DoubleConsumer report = progress == null ? x -> { } : progress;
        HeadCircuits circuits = HeadCircuits.of(model);
        HeadCircuits.Copying[][] copy = circuits.copyingAll(cancelled, x -> report.accept(0.3 * x));
        double[][] copying = HeadCircuits.Copying.scores(copy);
        // only K is plotted: the K-only table does a third of the full table's products
        double[][][][] k = circuits.kCompositionAll(cancelled, x -> report.accept(0.3 + 0.7 * x));
        report.accept(1);
        return new CheckpointCircuits(step, copying, k);
    }

    public int layers() {
        return copying.length;
    }

    public int heads() {
        return copying.length == 0 ? 0 : copying[0].length;
    }

    /** The largest copying score over all heads, NaN when none is defined. */
    public double maxCopying() {
        double best = Double.NaN;
        for (double[] row : copying) {
            for (double v : row) {
                best = max(best, v);
            }
        }
        return best;
    }

    /** The strongest K-composition of any pair (the largest score), NaN when none is defined (one layer). */
    public double strongestKComposition() {
        double best = Double.NaN;
        for (double[][][] a : kComposition) {
            for (double[][] b : a) {
                for (double[] c : b) {
                    for (double v : c) {
                        best = max(best, v);
                    }
                }
            }
        }
        return best;
    }

    /** The strongest K-composition into head (layer, head) from any earlier head, NaN when none (layer 0). */
    public double strongestKCompositionInto(int layer, int head) {
        double best = Double.NaN;
        for (int l1 = 0; l1 < layer; l1++) {
            for (int h1 = 0; h1 < heads(); h1++) {
                best = max(best, kComposition[l1][h1][layer][head]);
            }
        }
        return best;
    }

    private static double max(double best, double v) {
        return Double.isNaN(v) ? best : Double.isNaN(best) ? v : Math.max(best, v);
    }
}
