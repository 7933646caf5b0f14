package dev.headlight.format.tokenizer;

/** Text for showing token bytes to a person. */
final class DisplayText {
    private DisplayText() {
    }

    /** UTF-8 text of the bytes, with each byte of an invalid or partial sequence shown as e.g. "\xE2". */
    static String utf8WithEscapes(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < bytes.length) {
            int width = sequenceLength(bytes, i);
            if (width == 0) {
                sb.append(String.format("\\x%02X", bytes[i] & 0xFF));
                i++;
            } else {
                sb.append(new String(bytes, i, width, java.nio.charset.StandardCharsets.UTF_8));
                i += width;
            }
        }
        return sb.toString();
    }

    /** Length of the valid UTF-8 sequence starting at i, or 0 if none. */
    private static int sequenceLength(byte[] b, int i) {
        String one = ByteLevel.decodeUtf8Lossy(b, i, Math.min(b.length, i + 4));
        if (one.isEmpty() || one.charAt(0) == '\uFFFD') {
            // a real U+FFFD encoded in the input is valid too
            if (i + 2 < b.length && (b[i] & 0xFF) == 0xEF && (b[i + 1] & 0xFF) == 0xBF && (b[i + 2] & 0xFF) == 0xBD) {
                return 3;
            }
            return 0;
        }
        int cp = one.codePointAt(0);
        return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }
}
