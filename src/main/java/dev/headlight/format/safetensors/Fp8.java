package dev.headlight.format.safetensors;

/** Decoding of the two 8-bit float formats safetensors knows (OCP FP8: E4M3 "fn" variant and E5M2). */
final class Fp8 {
    private Fp8() {
    }

    static float e4m3ToFloat(byte b) {
        int bits = b & 0xFF;
        int sign = (bits >> 7) != 0 ? -1 : 1;
        int exponent = (bits >> 3) & 0xF;
        int mantissa = bits & 0x7;
        if (exponent == 0xF && mantissa == 0x7) {
            return Float.NaN; // E4M3FN has no infinities
        }
        if (exponent == 0) {
            return sign * (mantissa / 8f) * (float) Math.pow(2, -6);
        }
        return sign * (1 + mantissa / 8f) * (float) Math.pow(2, exponent - 7);
    }

    static float e5m2ToFloat(byte b) {
        // E5M2 is the upper byte of an IEEE half
        return Float.float16ToFloat((short) ((b & 0xFF) << 8));
    }
}
