package dev.headlight.analysis;

import dev.headlight.format.safetensors.Tensor;

import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * A stored tensor as a picture of at most {@code maxSide} × {@code maxSide} cells: the tensor viewed as a matrix
 * [rows][cols] (rank 1 as one row, higher ranks as [shape[0]][rest]), each cell standing for a block of
 * {@code rowStep} × {@code colStep} elements and showing the block's value of largest magnitude (signed), so a
 * single large weight stays visible when a big matrix is shrunk. {@code maxAbs} scales the colours.
 *
 * @param cells the picture                                        // [height][width]
 */
public record MatrixPicture(long rows, long cols, int height, int width, long rowStep, long colStep, float[] cells,
                            double maxAbs) {

    /** Reads every element once (off the UI thread for large tensors). */
    public static MatrixPicture of(Tensor tensor, int maxSide, BooleanSupplier cancelled) {
        long rows = tensor.rank() <= 1 ? 1 : tensor.dim(0);
        long cols = tensor.rank() == 0 ? 1 : tensor.elementCount() / Math.max(1, rows);
        long rowStep = Math.max(1, ceilDiv(rows, maxSide));
        long colStep = Math.max(1, ceilDiv(cols, maxSide));
        int height = (int) ceilDiv(rows, rowStep);
        int width = (int) ceilDiv(cols, colStep);
        float[] cells = new float[height * width];
        double maxAbs = 0;
        for (long r = 0; r < rows; r++) {
            if (cancelled != null && cancelled.getAsBoolean()) {
                throw new CancellationException();
            }
            int y = (int) (r / rowStep);
            long base = r * cols;
            for (long c = 0; c < cols; c++) {
                float v = tensor.getFloat(base + c);
                int cell = y * width + (int) (c / colStep);
                if (Math.abs(v) > Math.abs(cells[cell]) || Float.isNaN(v)) {
                    cells[cell] = v;
                }
                if (Math.abs(v) > maxAbs) {
                    maxAbs = Math.abs(v);
                }
            }
        }
        return new MatrixPicture(rows, cols, height, width, rowStep, colStep, cells, maxAbs);
    }

    /** The element under a point of the picture given as fractions of its height and width, in [0, 1). */
    public long rowAt(double fractionDown) {
        return Math.clamp((long) Math.floor(fractionDown * rows), 0, rows - 1);
    }

    public long colAt(double fractionAcross) {
        return Math.clamp((long) Math.floor(fractionAcross * cols), 0, cols - 1);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
