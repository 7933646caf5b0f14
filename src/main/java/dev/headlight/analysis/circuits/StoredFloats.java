package dev.headlight.analysis.circuits;

import dev.headlight.format.safetensors.DType;
import dev.headlight.format.safetensors.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * Parts of a stored 2-D tensor as float32, straight from the mapped file into the circuit factors' layout, with a
 * norm's per-channel factor multiplied in on the way (one pass over the bytes: reading TinyLlama's factors through
 * whole-tensor copies, per-element transposes and separate scaling passes took seconds). BF16 and F32 are widened
 * a vector at a time; other dtypes go element by element through {@link Tensor#getFloat}.
 */
final class StoredFloats {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = FLOATS.length();
    private static final VectorSpecies<Short> SHORTS = VectorSpecies.of(short.class,
            VectorShape.forBitSize(LANES * Short.SIZE));
    private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, FLOATS.vectorShape());
    /** Source rows per tile of a transposed read: the tile's output runs are this many floats long. */
    private static final int TILE_ROWS = 16;

    private StoredFloats() {
    }

    /**
     * Rows [row0, row0 + rows) of {@code t} (a matrix of {@code cols = t.dim(1)} columns) into
     * {@code dst[dstOff + r * cols + c]}, each element times {@code columnScale[c]} when that is not null.
     */
    static void rows(Tensor t, long row0, int rows, float[] dst, int dstOff, float[] columnScale) {
        int cols = (int) t.dim(1);
        for (int r = 0; r < rows; r++) {
            run(t, (row0 + r) * cols, cols, dst, dstOff + r * cols, columnScale, 1f);
        }
    }

    /**
     * Columns [col0, col0 + count) of {@code t} transposed: {@code dst[dstOff + j * n + i] = t[i][col0 + j] *
     * rowScale[i]} for the n = {@code t.dim(0)} rows i (rowScale may be null), in tiles of 16 source rows so that
     * both the reads and the writes run along memory.
     */
    static void columnsTransposed(Tensor t, int col0, int count, float[] dst, int dstOff, float[] rowScale) {
        int n = (int) t.dim(0);
        int cols = (int) t.dim(1);
        float[] tile = new float[TILE_ROWS * count]; // [source row][column]
        for (int i0 = 0; i0 < n; i0 += TILE_ROWS) {
            int rows = Math.min(TILE_ROWS, n - i0);
            for (int r = 0; r < rows; r++) {
                int i = i0 + r;
                run(t, (long) i * cols + col0, count, tile, r * count, null, rowScale == null ? 1f : rowScale[i]);
            }
            for (int j = 0; j < count; j++) {
                int out = dstOff + j * n + i0;
                for (int r = 0; r < rows; r++) {
                    dst[out + r] = tile[r * count + j];
                }
            }
        }
    }

    /** dst[dstOff + c] = t[from + c] * scale[c] * factor for c &lt; count (scale may be null). */
    private static void run(Tensor t, long from, int count, float[] dst, int dstOff, float[] scale, float factor) {
        MemorySegment seg = t.segment();
        DType dtype = t.dtype();
        int c = 0;
        if (dtype == DType.BF16) {
            long byteOff = from * 2;
            for (; c + LANES <= count; c += LANES) {
                ShortVector bits = ShortVector.fromMemorySegment(SHORTS, seg, byteOff + c * 2L,
                        ByteOrder.LITTLE_ENDIAN);
                FloatVector x = ((IntVector) bits.convertShape(VectorOperators.S2I, INTS, 0))
                        .lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
                store(x, dst, dstOff + c, scale, c, factor);
            }
        } else if (dtype == DType.F32) {
            long byteOff = from * 4;
            for (; c + LANES <= count; c += LANES) {
                FloatVector x = FloatVector.fromMemorySegment(FLOATS, seg, byteOff + c * 4L, ByteOrder.LITTLE_ENDIAN);
                store(x, dst, dstOff + c, scale, c, factor);
            }
        }
        for (; c < count; c++) {
            dst[dstOff + c] = t.getFloat(from + c) * (scale == null ? 1f : scale[c]) * factor;
        }
    }

    private static void store(FloatVector x, float[] dst, int at, float[] scale, int c, float factor) {
        if (scale != null) {
            x = x.mul(FloatVector.fromArray(FLOATS, scale, c));
        }
        if (factor != 1f) {
            x = x.mul(factor);
        }
        x.intoArray(dst, at);
    }
}
