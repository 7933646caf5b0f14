package dev.headlight.format.safetensors;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * A tensor as stored: its header entry and a read-only view of its bytes inside the memory-mapped file.
 * Values stay in the stored dtype; {@link #getFloat(long)} converts one element where it is used.
 *
 * @param info    the header entry: name, dtype, shape, byte range
 * @param segment the stored bytes (read-only, little-endian), exactly {@code info.byteSize()} of them
 * @param file    the file this tensor lives in
 */
public record Tensor(TensorInfo info, MemorySegment segment, Path file) {
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public String name() {
        return info.name();
    }

    public DType dtype() {
        return info.dtype();
    }

    public long[] shape() {
        return info.shape().clone();
    }

    public long dim(int axis) {
        return info.shape()[axis];
    }

    public int rank() {
        return info.shape().length;
    }

    public long elementCount() {
        return info.elementCount();
    }

    /** Element {@code index} (row-major) converted to float. */
    public float getFloat(long index) {
        return switch (info.dtype()) {
            case F32 -> segment.getAtIndex(F32, index);
            case BF16 -> Float.intBitsToFloat((segment.getAtIndex(I16, index) & 0xFFFF) << 16);
            case F16 -> Float.float16ToFloat(segment.getAtIndex(I16, index));
            case F64 -> (float) segment.getAtIndex(F64, index);
            case I64, U64 -> (float) segment.getAtIndex(I64, index);
            case I32 -> (float) segment.getAtIndex(I32, index);
            case U32 -> (float) Integer.toUnsignedLong(segment.getAtIndex(I32, index));
            case I16 -> segment.getAtIndex(I16, index);
            case U16 -> segment.getAtIndex(I16, index) & 0xFFFF;
            case I8 -> segment.get(ValueLayout.JAVA_BYTE, index);
            case U8, BOOL -> segment.get(ValueLayout.JAVA_BYTE, index) & 0xFF;
            case F8_E4M3 -> Fp8.e4m3ToFloat(segment.get(ValueLayout.JAVA_BYTE, index));
            case F8_E5M2 -> Fp8.e5m2ToFloat(segment.get(ValueLayout.JAVA_BYTE, index));
        };
    }

    /** Element {@code index} of an integer or bool tensor. */
    public long getLong(long index) {
        return switch (info.dtype()) {
            case I64, U64 -> segment.getAtIndex(I64, index);
            case I32 -> segment.getAtIndex(I32, index);
            case U32 -> Integer.toUnsignedLong(segment.getAtIndex(I32, index));
            case I16 -> segment.getAtIndex(I16, index);
            case U16 -> segment.getAtIndex(I16, index) & 0xFFFF;
            case I8 -> segment.get(ValueLayout.JAVA_BYTE, index);
            case U8, BOOL -> segment.get(ValueLayout.JAVA_BYTE, index) & 0xFF;
            default -> (long) getFloat(index);
        };
    }

    /**
     * A float32 copy of elements [offset, offset + count). Meant for small tensors (norm weights, biases) and
     * slices; large matrices are read in place by the kernels.
     */
    public float[] toFloats(long offset, int count) {
        float[] out = new float[count];
        if (info.dtype() == DType.F32) {
            MemorySegment.copy(segment, F32, offset * 4, out, 0, count);
        } else if (info.dtype() == DType.BF16) {
            // one bulk copy and a shift per element (~10x faster than getFloat's per-element switch)
            short[] bits = new short[count];
            MemorySegment.copy(segment, I16, offset * 2, bits, 0, count);
            for (int i = 0; i < count; i++) {
                out[i] = Float.intBitsToFloat((bits[i] & 0xFFFF) << 16);
            }
        } else {
            for (int i = 0; i < count; i++) {
                out[i] = getFloat(offset + i);
            }
        }
        return out;
    }

    /** A float32 copy of the whole tensor; refuses tensors of more than 2^31-1 elements. */
    public float[] toFloats() {
        long count = elementCount();
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException(name() + " is too large to copy into one float array");
        }
        return toFloats(0, (int) count);
    }

    public long[] toLongs() {
        long[] out = new long[Math.toIntExact(elementCount())];
        for (int i = 0; i < out.length; i++) {
            out[i] = getLong(i);
        }
        return out;
    }

    @Override
    public String toString() {
        return info.toString();
    }
}
