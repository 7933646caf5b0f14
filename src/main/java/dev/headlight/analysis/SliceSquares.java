package dev.headlight.analysis;

import dev.headlight.engine.TensorPlacement.Axis;
import dev.headlight.engine.TensorPlacement.HeadSlice;

import java.util.List;

/**
 * Sums of squares of one stored tensor and of each of its head slices, fed a block of rows at a time (row-major,
 * as safetensors and the trainer's flat arrays store them). A 1-D tensor is one column; its slices run along its
 * only axis. The trainer's gradient and update norms and {@link WeightChange} both sum with this, so a slice means
 * the same in training.json and in a comparison.
 */
public final class SliceSquares {
    private final List<HeadSlice> slices;
    private final long rows;
    private final int columns;
    private final double[] sliceSums; // [slice]
    private double total;

    /** For a tensor of {@code shape} split into {@code slices} (may be empty). */
    public SliceSquares(long[] shape, List<HeadSlice> slices) {
        this.slices = List.copyOf(slices);
        this.rows = shape.length == 0 ? 1 : shape[0];
        long cols = 1;
        for (int i = 1; i < shape.length; i++) {
            cols *= shape[i];
        }
        if (cols > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("rows of " + cols + " elements are too long");
        }
        this.columns = (int) cols;
        this.sliceSums = new double[slices.size()];
    }

    /** Elements per stored row. */
    public int columns() {
        return columns;
    }

    public long rows() {
        return rows;
    }

    /** Adds rows [firstRow, firstRow + count) whose elements start at {@code data[offset]}. */
    public void add(float[] data, int offset, long firstRow, int count) {
        int n = count * columns;
        double sum = 0;
        for (int k = 0; k < n; k++) {
            double v = data[offset + k];
            sum += v * v;
        }
        total += sum;
        for (int s = 0; s < slices.size(); s++) {
            HeadSlice slice = slices.get(s);
            double part = 0;
            if (slice.axis() == Axis.ROWS) {
                long from = Math.max(firstRow, slice.from());
                long to = Math.min(firstRow + count, slice.to());
                for (long r = from; r < to; r++) {
                    int base = offset + (int) (r - firstRow) * columns;
                    for (int c = 0; c < columns; c++) {
                        double v = data[base + c];
                        part += v * v;
                    }
                }
            } else {
                for (int r = 0; r < count; r++) {
                    int base = offset + r * columns;
                    for (int c = slice.from(); c < slice.to(); c++) {
                        double v = data[base + c];
                        part += v * v;
                    }
                }
            }
            sliceSums[s] += part;
        }
    }

    /** Sum of squares of every element added so far. */
    public double total() {
        return total;
    }

    /** Sum of squares of slice {@code index} (in the order given to the constructor). */
    public double slice(int index) {
        return sliceSums[index];
    }

    public List<HeadSlice> slices() {
        return slices;
    }
}
