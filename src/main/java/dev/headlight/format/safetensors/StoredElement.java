package dev.headlight.format.safetensors;

import java.util.HexFormat;
import java.util.Locale;

/**
 * One stored element taken apart: its bytes as they sit in the file (little-endian), its bits, and for the
 * floating-point dtypes the IEEE-style fields sign | exponent | mantissa and the value they encode:
 * <pre>
 *   normal     (-1)^sign × 2^(exponent − bias) × 1.mantissa
 *   subnormal  (-1)^sign × 2^(1 − bias) × 0.mantissa          (exponent bits all 0)
 * </pre>
 * F32 1|8|23 (bias 127), BF16 1|8|7 (127, the upper half of an F32), F16 1|5|10 (15), F64 1|11|52 (1023),
 * F8_E4M3 1|4|3 (7, no infinities), F8_E5M2 1|5|2 (15). Integer dtypes have no fields ({@code exponentBits} 0).
 *
 * @param bits        the element's bits, zero-extended                 (bit 0 = least significant)
 * @param fileOffset  absolute byte offset of the element in its file
 * @param bytes       the stored bytes in file order, e.g. "00 00 80 3f"
 */
public record StoredElement(DType dtype, long bits, long fileOffset, String bytes, int exponentBits,
                            int mantissaBits, int bias, double value) {

    /** Decodes {@code stored} (the element's bytes in file order) of {@code dtype}. */
    public static StoredElement of(DType dtype, byte[] stored, long fileOffset) {
        if (stored.length != dtype.byteSize()) {
            throw new IllegalArgumentException(stored.length + " bytes for a " + dtype + " element");
        }
        long bits = 0;
        for (int i = stored.length - 1; i >= 0; i--) {
            bits = (bits << 8) | (stored[i] & 0xFF);
        }
        String hex = HexFormat.ofDelimiter(" ").formatHex(stored);
        return switch (dtype) {
            case F32 -> new StoredElement(dtype, bits, fileOffset, hex, 8, 23, 127, Float.intBitsToFloat((int) bits));
            case BF16 -> new StoredElement(dtype, bits, fileOffset, hex, 8, 7, 127,
                    Float.intBitsToFloat((int) bits << 16));
            case F16 -> new StoredElement(dtype, bits, fileOffset, hex, 5, 10, 15, Float.float16ToFloat((short) bits));
            case F64 -> new StoredElement(dtype, bits, fileOffset, hex, 11, 52, 1023, Double.longBitsToDouble(bits));
            case F8_E4M3 -> new StoredElement(dtype, bits, fileOffset, hex, 4, 3, 7, Fp8.e4m3ToFloat((byte) bits));
            case F8_E5M2 -> new StoredElement(dtype, bits, fileOffset, hex, 5, 2, 15, Fp8.e5m2ToFloat((byte) bits));
            default -> new StoredElement(dtype, bits, fileOffset, hex, 0, 0, 0, integerValue(dtype, bits));
        };
    }

    private static double integerValue(DType dtype, long bits) {
        int width = dtype.byteSize() * 8;
        boolean signed = switch (dtype) {
            case I8, I16, I32, I64 -> true;
            default -> false;
        };
        if (signed && width < 64) {
            return (bits << (64 - width)) >> (64 - width); // sign-extend
        }
        // U64 past Long.MAX_VALUE: halve, convert, double (the lowest bit is below a double's precision there)
        return bits >= 0 ? bits : (double) (bits >>> 1) * 2;
    }

    public boolean isFloatingPoint() {
        return exponentBits > 0;
    }

    public int width() {
        return dtype.byteSize() * 8;
    }

    public int sign() {
        return (int) (bits >>> (width() - 1)) & 1;
    }

    /** The raw exponent field (biased). */
    public long exponent() {
        return (bits >>> mantissaBits) & ((1L << exponentBits) - 1);
    }

    public long mantissa() {
        return bits & ((1L << mantissaBits) - 1);
    }

    /** All bits, most significant first, e.g. "0011111110000000…". */
    public String bitString() {
        return binary(bits, width());
    }

    public String signBits() {
        return isFloatingPoint() ? String.valueOf(sign()) : "";
    }

    public String exponentBitString() {
        return isFloatingPoint() ? binary(exponent(), exponentBits) : "";
    }

    public String mantissaBitString() {
        return isFloatingPoint() ? binary(mantissa(), mantissaBits) : "";
    }

    /** The bits in groups "s | exponent | mantissa" (floating point) or as one group. */
    public String groupedBits() {
        return isFloatingPoint()
                ? signBits() + " | " + exponentBitString() + " | " + mantissaBitString()
                : bitString();
    }

    /**
     * How the fields give the value, e.g. "(−1)^0 × 2^(124 − 127) × 1.25 = 0.15625", "subnormal …", "NaN",
     * "+∞"; the integer for integer dtypes.
     */
    public String formula() {
        if (!isFloatingPoint()) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        long allOnes = (1L << exponentBits) - 1;
        String s = (sign() == 0 ? "+" : "−");
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return s + "∞ (exponent all ones, mantissa 0)";
        }
        double fraction = mantissa() / (double) (1L << mantissaBits);
        String signPart = "(−1)^" + sign();
        if (exponent() == 0) {
            return String.format(Locale.ROOT, "%s × 2^(1 − %d) × %s = %s (subnormal)", signPart, bias,
                    trim(fraction), trim(value));
        }
        assert exponent() != allOnes || dtype == DType.F8_E4M3;
        return String.format(Locale.ROOT, "%s × 2^(%d − %d) × %s = %s", signPart, exponent(), bias,
                trim(1 + fraction), trim(value));
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.9g", v);
        if (s.contains("e") || !s.contains(".")) {
            return s;
        }
        return s.replaceAll("0+$", "").replaceAll("\\.$", ".0");
    }

    private static String binary(long v, int width) {
        StringBuilder b = new StringBuilder(width);
        for (int i = width - 1; i >= 0; i--) {
            b.append((v >>> i & 1) == 0 ? '0' : '1');
        }
        return b.toString();
    }
}
