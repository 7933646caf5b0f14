package dev.headlight.engine.kernel;

import dev.headlight.format.safetensors.DType;
import dev.headlight.format.safetensors.Tensor;

import java.lang.foreign.MemorySegment;

/**
 * A 2-D weight over its memory-mapped bytes: {@code rows x cols}, row-major, little-endian, in the stored dtype
 * (F32, F16 or BF16). Kernels read it only through bulk copies of rows or panels ({@code MemorySegment.copy}) into
 * float32 buffers: a file cut short under the mapping then fails as an error instead of crashing the JVM.
 */
public record Matrix(String name, DType dtype, int rows, int cols, MemorySegment data) {

    public Matrix {
        if (dtype != DType.F32 && dtype != DType.F16 && dtype != DType.BF16) {
            throw new IllegalArgumentException(name + ": weights of dtype " + dtype + " are not supported");
        }
        if (data.byteSize() != (long) rows * cols * dtype.byteSize()) {
            throw new IllegalArgumentException(name + ": " + data.byteSize() + " bytes for " + rows + "x" + cols);
        }
    }

    /** A 2-D tensor as a matrix; a 1-D tensor becomes one row. */
    public static Matrix of(Tensor tensor) {
        long[] shape = tensor.shape();
        if (shape.length == 1) {
            return new Matrix(tensor.name(), tensor.dtype(), 1, Math.toIntExact(shape[0]), tensor.segment());
        }
        if (shape.length != 2) {
            throw new IllegalArgumentException(tensor.name() + " is not 2-D: " + tensor.info().shapeString());
        }
        return new Matrix(tensor.name(), tensor.dtype(), Math.toIntExact(shape[0]), Math.toIntExact(shape[1]),
                tensor.segment());
    }

    /**
     * A float32 matrix over a Java array, {@code values[row * cols + col]}, shared not copied (e.g. weights being
     * trained). The kernels read weights as little-endian: true of the array's bytes on every platform the
     * JDK ships the Vector API for; elsewhere this fails rather than read wrong numbers.
     */
    public static Matrix ofFloats(String name, float[] values, int rows, int cols) {
        if ((long) rows * cols != values.length) {
            throw new IllegalArgumentException(name + ": " + values.length + " floats for " + rows + "x" + cols);
        }
        if (java.nio.ByteOrder.nativeOrder() != java.nio.ByteOrder.LITTLE_ENDIAN) {
            throw new UnsupportedOperationException(name + ": float arrays as weights need a little-endian CPU");
        }
        return new Matrix(name, DType.F32, rows, cols, MemorySegment.ofArray(values));
    }

    /** Rows [first, first + count) as a matrix sharing the same bytes. */
    public Matrix rowSlice(int first, int count) {
        long rowBytes = (long) cols * dtype.byteSize();
        return new Matrix(name + "[" + first + ":" + (first + count) + "]", dtype, count, cols,
                data.asSlice(first * rowBytes, count * rowBytes));
    }

    /** Element (row, col) as float. */
    public float get(int row, int col) {
        long index = (long) row * cols + col;
        return switch (dtype) {
            case F32 -> data.getAtIndex(Layouts.F32, index);
            case BF16 -> Float.intBitsToFloat((data.getAtIndex(Layouts.I16, index) & 0xFFFF) << 16);
            case F16 -> Float.float16ToFloat(data.getAtIndex(Layouts.I16, index));
            default -> throw new IllegalStateException();
        };
    }

    /** Row {@code row} converted to float32 into {@code dst[offset..offset+cols)}. */
    public void copyRow(int row, float[] dst, int offset) {
        long base = (long) row * cols;
        switch (dtype) {
            case F32 -> MemorySegment.copy(data, Layouts.F32, base * 4, dst, offset, cols);
            case BF16 -> {
                for (int c = 0; c < cols; c++) {
                    dst[offset + c] = Float.intBitsToFloat((data.getAtIndex(Layouts.I16, base + c) & 0xFFFF) << 16);
                }
            }
            case F16 -> {
                for (int c = 0; c < cols; c++) {
                    dst[offset + c] = Float.float16ToFloat(data.getAtIndex(Layouts.I16, base + c));
                }
            }
            default -> throw new IllegalStateException();
        }
    }
}
