package dev.headlight.engine.kernel;

import dev.headlight.format.safetensors.DType;
import dev.headlight.format.safetensors.SafetensorsWriter;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

/** Random weight matrices in native memory, in any supported dtype, at any byte offset (to test unaligned reads). */
final class TestMatrices {
    private TestMatrices() {
    }

    /** A rows x cols matrix of uniform values in [-1, 1), stored in {@code dtype} starting {@code byteOffset} bytes
     * into an 8-aligned allocation. */
    static Matrix random(Arena arena, DType dtype, int rows, int cols, int byteOffset, SplittableRandom random) {
        long count = (long) rows * cols;
        long bytes = count * dtype.byteSize();
        MemorySegment segment = arena.allocate(bytes + 8, 8).asSlice(byteOffset, bytes);
        for (long i = 0; i < count; i++) {
            float v = (float) (random.nextDouble() * 2 - 1);
            switch (dtype) {
                case F32 -> segment.setAtIndex(Layouts.F32, i, v);
                case BF16 -> segment.setAtIndex(Layouts.I16, i, SafetensorsWriter.toBFloat16(v));
                case F16 -> segment.setAtIndex(Layouts.I16, i, Float.floatToFloat16(v));
                default -> throw new IllegalArgumentException(dtype.toString());
            }
        }
        return new Matrix("w" + rows + "x" + cols, dtype, rows, cols, segment);
    }

    static float[] random(int n, SplittableRandom random) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return a;
    }
}
