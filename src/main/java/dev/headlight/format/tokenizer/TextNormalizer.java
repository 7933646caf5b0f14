package dev.headlight.format.tokenizer;

import java.text.Normalizer;
import java.util.List;
import java.util.regex.Pattern;

/** One normalizer of tokenizer.json ("normalizer"): rewrites text while keeping offsets into the original. */
@FunctionalInterface
interface TextNormalizer {
    NormalizedString normalize(NormalizedString s);

    static TextNormalizer sequence(List<TextNormalizer> steps) {
        return s -> {
            NormalizedString out = s;
            for (TextNormalizer step : steps) {
                out = step.normalize(out);
            }
            return out;
        };
    }

    static TextNormalizer unicode(Normalizer.Form form) {
        return s -> s.unicodeNormalize(form);
    }

    static TextNormalizer lowercase() {
        return s -> s.mapCodePoints(Unicode::toLowerCase);
    }

    static TextNormalizer strip(boolean left, boolean right) {
        return s -> s.strip(left, right);
    }

    /** StripAccents: removes every combining mark (category M); meant to follow NFD. */
    static TextNormalizer stripAccents() {
        return s -> s.filter(cp -> !Unicode.isCombiningMark(cp));
    }

    static TextNormalizer replace(Pattern pattern, String content) {
        return s -> s.replace(pattern, content);
    }

    static TextNormalizer prepend(String prefix) {
        return s -> s.prepend(prefix);
    }

    /** ByteLevel as a normalizer: every UTF-8 byte becomes its printable byte-level symbol. */
    static TextNormalizer byteLevel() {
        return ByteLevel::toByteSymbols;
    }

    /** BertNormalizer; {@code stripAccents} null means "do what lowercase does". */
    static TextNormalizer bert(boolean cleanText, boolean handleChineseChars, Boolean stripAccents, boolean lowercase) {
        boolean strip = stripAccents == null ? lowercase : stripAccents;
        return s -> {
            NormalizedString out = s;
            if (cleanText) {
                out = out.mapCodePoints(cp -> {
                    if (Unicode.isBertRemoved(cp)) {
                        return null;
                    }
                    return cp == '\t' || cp == '\n' || cp == '\r' || Unicode.isWhiteSpace(cp) ? " "
                            : Character.toString(cp);
                });
            }
            if (handleChineseChars) {
                out = out.mapCodePoints(cp -> Unicode.isChineseChar(cp) ? " " + Character.toString(cp) + " "
                        : Character.toString(cp));
            }
            if (strip) {
                out = out.unicodeNormalize(Normalizer.Form.NFD).filter(cp -> !Unicode.isNonSpacingMark(cp));
            }
            if (lowercase) {
                out = out.mapCodePoints(Unicode::toLowerCase);
            }
            return out;
        };
    }

    /** Nmt: removes some control characters and maps some spaces to ' ' as SentencePiece's NMT rule does. */
    static TextNormalizer nmt() {
        return s -> s.mapCodePoints(cp -> {
            if ((cp >= 0x0001 && cp <= 0x0008) || cp == 0x000B || (cp >= 0x000E && cp <= 0x001F) || cp == 0x007F
                    || cp == 0x008F || cp == 0x009F) {
                return null;
            }
            return switch (cp) {
                case 0x0009, 0x000A, 0x000C, 0x000D, 0x1680, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2028, 0x2029,
                        0x2581, 0xFEFF, 0xFFFD -> " ";
                default -> (cp >= 0x200B && cp <= 0x200F) ? " " : Character.toString(cp);
            };
        });
    }
}
