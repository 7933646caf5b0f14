package dev.headlight.engine.kernel;

import dev.headlight.format.safetensors.DType;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The vectorized weight conversions against the JDK's scalar ones, for every 16-bit pattern. */
class ConversionTest {

    @Test
    void everyHalfConvertsExactlyAsTheJdkDoes() {
        checkAllPatterns(DType.F16);
    }

    @Test
    void everyBfloat16ConvertsExactly() {
        checkAllPatterns(DType.BF16);
    }

    private static void checkAllPatterns(DType dtype) {
        try (Arena arena = Arena.ofConfined()) {
            // all 65536 patterns, one byte off alignment, plus 5 more to leave a scalar tail
            int n = 65536 + 5;
            MemorySegment data = arena.allocate(2L * n + 8, 8).asSlice(1, 2L * n);
            for (int i = 0; i < n; i++) {
                data.setAtIndex(Layouts.I16, i, (short) i);
            }
            float[] out = new float[n + 3];
            VectorKernels.convert(data, dtype, 0, out, 3, n, VectorKernels.rawBuffer(dtype, n));
            for (int i = 0; i < n; i++) {
                short bits = (short) i;
                float expected = dtype == DType.F16 ? Float.float16ToFloat(bits)
                        : Float.intBitsToFloat((bits & 0xFFFF) << 16);
                // compare bit patterns: NaN payloads and signed zeros must survive too
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(out[i + 3]),
                        dtype + " pattern 0x" + Integer.toHexString(i & 0xFFFF));
            }
        }
    }
}
