package dev.headlight.format.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * GPT-2's byte-level alphabet (bytes_to_unicode): each byte 0..255 is shown as one printable character (space is
 * 'Ġ'), and GPT-2's pre-tokenization regex. The one copy of both: the tokenizer reads with them, the synthetic
 * models and the trainer write vocabularies with them.
 */
public final class ByteLevel {
    /** The byte-level character of each byte. */ // [256]
    static final char[] BYTE_TO_CHAR = new char[256];
    /** The byte of each byte-level character, or -1. */ // [0x180]
    private static final int[] CHAR_TO_BYTE = new int[0x180];

    /** The GPT-2 pre-tokenization regex, as the ByteLevel pre-tokenizer uses it. */
    static final Pattern GPT2_PATTERN =
            OnigRegex.compile("'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int n = 0;
        for (int b = 0; b < 256; b++) {
            char c = standsForItself(b) ? (char) b : (char) (256 + n++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    /** The byte-fallback token name of each byte, "<0x0A>" style. */ // [256]
    static final String[] BYTE_TOKEN_NAMES = new String[256];

    static {
        for (int b = 0; b < 256; b++) {
            BYTE_TOKEN_NAMES[b] = "<0x" + Character.toUpperCase(Character.forDigit(b >> 4, 16))
                    + Character.toUpperCase(Character.forDigit(b & 15, 16)) + ">";
        }
    }

    private ByteLevel() {
    }

    /** The printable bytes GPT-2 keeps as their own character; the others become 256, 257, ... in byte order. */
    private static boolean standsForItself(int b) {
        return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    }

    /** The byte-level character of byte {@code b} (0..255). */
    public static char charOf(int b) {
        return BYTE_TO_CHAR[b];
    }

    /** The byte-level form of a text: one character per UTF-8 byte. */
    public static String toByteLevel(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            sb.append(BYTE_TO_CHAR[b & 0xFF]);
        }
        return sb.toString();
    }

    /** Byte values in GPT-2's vocabulary order: the bytes that stand for themselves first, then the rest. */
    public static int[] bytesInGpt2Order() {
        int[] order = new int[256];
        int n = 0;
        for (int b = 0; b < 256; b++) {
            if (standsForItself(b)) {
                order[n++] = b;
            }
        }
        for (int b = 0; b < 256; b++) {
            if (!standsForItself(b)) {
                order[n++] = b;
            }
        }
        return order;
    }

    /** The pieces GPT-2's pre-tokenization regex splits a text into, in order. */
    public static java.util.List<String> splitGpt2(String text) {
        java.util.List<String> pieces = new java.util.ArrayList<>();
        java.util.regex.Matcher m = GPT2_PATTERN.matcher(text);
        while (m.find()) {
            pieces.add(m.group());
        }
        return pieces;
    }

    /** The byte a byte-level character stands for, or -1 when it is not one. */
    static int byteOf(int c) {
        return c >= 0 && c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }

    /** Each UTF-8 byte of each code point becomes a byte-level character aligned with that code point. */
    static NormalizedString toByteSymbols(NormalizedString s) {
        return s.mapCodePoints(cp -> {
            if (cp < 0x80) {
                return String.valueOf(BYTE_TO_CHAR[cp]);
            }
            byte[] bytes = Character.toString(cp).getBytes(StandardCharsets.UTF_8);
            StringBuilder sb = new StringBuilder(bytes.length);
            for (byte b : bytes) {
                sb.append(BYTE_TO_CHAR[b & 0xFF]);
            }
            return sb.toString();
        });
    }

    /**
     * The bytes of a token written in byte-level characters, or null if some character is not one of them.
     */
    static byte[] bytesOf(String token) {
        byte[] out = new byte[token.length()];
        for (int i = 0; i < token.length(); i++) {
            int b = byteOf(token.charAt(i));
            if (b < 0) {
                return null;
            }
            out[i] = (byte) b;
        }
        return out;
    }

    /**
     * Decodes UTF-8 replacing each maximal invalid subsequence with U+FFFD, exactly as Rust's
     * String::from_utf8_lossy does.
     */
    static String decodeUtf8Lossy(byte[] b, int from, int to) {
        StringBuilder sb = new StringBuilder(to - from);
        int i = from;
        while (i < to) {
            int b0 = b[i] & 0xFF;
            if (b0 < 0x80) {
                sb.append((char) b0);
                i++;
                continue;
            }
            int width = b0 >= 0xC2 && b0 <= 0xDF ? 2 : b0 >= 0xE0 && b0 <= 0xEF ? 3 : b0 >= 0xF0 && b0 <= 0xF4 ? 4 : 0;
            if (width == 0) {
                sb.append('\uFFFD');
                i++;
                continue;
            }
            int valid = validPrefix(b, i, to, b0, width);
            if (valid < width) {
                sb.append('\uFFFD');
                i += Math.max(1, valid);
                continue;
            }
            int cp = switch (width) {
                case 2 -> ((b0 & 0x1F) << 6) | (b[i + 1] & 0x3F);
                case 3 -> ((b0 & 0x0F) << 12) | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F);
                default -> ((b0 & 0x07) << 18) | ((b[i + 1] & 0x3F) << 12) | ((b[i + 2] & 0x3F) << 6)
                        | (b[i + 3] & 0x3F);
            };
            sb.appendCodePoint(cp);
            i += width;
        }
        return sb.toString();
    }

    static String decodeUtf8Lossy(byte[] b) {
        return decodeUtf8Lossy(b, 0, b.length);
    }

    /** How many bytes of the sequence starting at i form a valid prefix (1 = only the lead byte). */
    private static int validPrefix(byte[] b, int i, int to, int b0, int width) {
        if (i + 1 >= to) {
            return 1;
        }
        int b1 = b[i + 1] & 0xFF;
        boolean secondOk = switch (width) {
            case 2 -> b1 >= 0x80 && b1 <= 0xBF;
            case 3 -> b0 == 0xE0 ? (b1 >= 0xA0 && b1 <= 0xBF) : b0 == 0xED ? (b1 >= 0x80 && b1 <= 0x9F)
                    : (b1 >= 0x80 && b1 <= 0xBF);
            default -> b0 == 0xF0 ? (b1 >= 0x90 && b1 <= 0xBF) : b0 == 0xF4 ? (b1 >= 0x80 && b1 <= 0x8F)
                    : (b1 >= 0x80 && b1 <= 0xBF);
        };
        if (!secondOk) {
            return 1;
        }
        for (int k = 2; k < width; k++) {
            if (i + k >= to) {
                return k;
            }
            int bk = b[i + k] & 0xFF;
            if (bk < 0x80 || bk > 0xBF) {
                return k;
            }
        }
        return width;
    }
}
