package dev.headlight.analysis.circuits;

import dev.headlight.format.safetensors.DType;
import dev.headlight.format.safetensors.Tensor;
import dev.headlight.format.safetensors.TensorInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Rows and transposed columns widened from stored BF16, F16 and F32 bits equal {@link Tensor#getFloat} times the
 * scale, bit for bit, at widths with and without a partial vector.
 */
class StoredFloatsTest {

    @ParameterizedTest
    @CsvSource({
            "BF16, 37, 53", "BF16, 64, 32", "F32, 37, 53", "F32, 16, 5", "F16, 19, 33", "BF16, 3, 2"
    })
    void rowsAndTransposedColumnsMatchElementReads(DType dtype, int rows, int cols) {
        Random random = new Random(rows * 100L + cols);
        Tensor t = tensor(dtype, rows, cols, random);
        float[] columnScale = new float[cols];
        for (int c = 0; c < cols; c++) {
            columnScale[c] = 0.5f + random.nextFloat();
        }
        float[] rowScale = new float[rows];
        for (int r = 0; r < rows; r++) {
            rowScale[r] = 0.5f + random.nextFloat();
        }
        int row0 = rows / 3;
        int count = rows - row0;
        float[] plain = new float[1 + count * cols];
        float[] scaled = new float[1 + count * cols];
        StoredFloats.rows(t, row0, count, plain, 1, null);
        StoredFloats.rows(t, row0, count, scaled, 1, columnScale);
        for (int r = 0; r < count; r++) {
            for (int c = 0; c < cols; c++) {
                float x = t.getFloat((long) (row0 + r) * cols + c);
                assertEquals(x, plain[1 + r * cols + c], 0, r + "," + c);
                assertEquals(x * columnScale[c], scaled[1 + r * cols + c], 0, r + "," + c);
            }
        }
        int col0 = cols / 4;
        int width = cols - col0;
        float[] transposed = new float[2 + width * rows];
        float[] transposedScaled = new float[2 + width * rows];
        StoredFloats.columnsTransposed(t, col0, width, transposed, 2, null);
        StoredFloats.columnsTransposed(t, col0, width, transposedScaled, 2, rowScale);
        for (int j = 0; j < width; j++) {
            for (int i = 0; i < rows; i++) {
                float x = t.getFloat((long) i * cols + col0 + j);
                assertEquals(x, transposed[2 + j * rows + i], 0, i + "," + j);
                assertEquals(x * rowScale[i], transposedScaled[2 + j * rows + i], 0, i + "," + j);
            }
        }
    }

    /** A [rows][cols] tensor of random values (BF16 bits from random floats, negatives and zeros among them). */
    private static Tensor tensor(DType dtype, int rows, int cols, Random random) {
        int n = rows * cols;
        int width = dtype == DType.F32 ? 4 : 2;
        MemorySegment data = Arena.ofAuto().allocate((long) n * width);
        for (int i = 0; i < n; i++) {
            float x = i % 11 == 0 ? 0f : (float) random.nextGaussian() * 3;
            switch (dtype) {
                case F32 -> data.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i, x);
                case BF16 -> data.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i,
                        (short) (Float.floatToIntBits(x) >>> 16));
                default -> data.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i,
                        Float.floatToFloat16(x));
            }
        }
        TensorInfo info = new TensorInfo("w", dtype, new long[]{rows, cols}, 0, (long) n * width);
        return new Tensor(info, data, Path.of("test.safetensors"));
    }
}
