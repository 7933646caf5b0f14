package dev.headlight.analysis;

import dev.headlight.format.safetensors.Tensor;

import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Value statistics of a tensor, or of one head's slice of it, and a histogram over [min, max].
 *
 * @param bins counts per equal-width bin from min to max // [bin]
 */
public record TensorStatistics(long count, double min, double max, double mean, double std, long[] bins) {

    public static final int DEFAULT_BINS = 60;

    /** A rectangular part of a 2-D tensor (or the whole tensor when rowTo/colTo cover it). */
    public record Region(long rowFrom, long rowTo, long colFrom, long colTo) {
        public static Region all(Tensor tensor) {
            long rows = tensor.rank() == 0 ? 1 : tensor.dim(0);
            long cols = tensor.rank() <= 1 ? 1 : tensor.elementCount() / rows;
            return new Region(0, rows, 0, cols);
        }
    }

    /** Two passes over the region (min/max/mean/std in double, then the histogram). */
    public static TensorStatistics of(Tensor tensor, Region region, int binCount, BooleanSupplier cancelled) {
        long rows = tensor.rank() == 0 ? 1 : tensor.dim(0);
        long rowLength = tensor.rank() <= 1 ? 1 : tensor.elementCount() / rows;
        long count = 0;
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        double mean = 0, m2 = 0; // Welford
        for (long r = region.rowFrom(); r < region.rowTo(); r++) {
            checkCancelled(cancelled);
            long base = r * rowLength;
            for (long c = region.colFrom(); c < region.colTo(); c++) {
                double v = tensor.getFloat(base + c);
                count++;
                double delta = v - mean;
                mean += delta / count;
                m2 += delta * (v - mean);
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        long[] bins = new long[binCount];
        double width = (max - min) / binCount;
        for (long r = region.rowFrom(); r < region.rowTo(); r++) {
            checkCancelled(cancelled);
            long base = r * rowLength;
            for (long c = region.colFrom(); c < region.colTo(); c++) {
                double v = tensor.getFloat(base + c);
                int bin = width > 0 ? (int) ((v - min) / width) : 0;
                bins[Math.clamp(bin, 0, binCount - 1)]++;
            }
        }
        double std = count > 1 ? Math.sqrt(m2 / count) : 0;
        return new TensorStatistics(count, count == 0 ? 0 : min, count == 0 ? 0 : max, mean, std, bins);
    }

    private static void checkCancelled(BooleanSupplier cancelled) {
        if (cancelled != null && cancelled.getAsBoolean()) {
            throw new CancellationException();
        }
    }
}
