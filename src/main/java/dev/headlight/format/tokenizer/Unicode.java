package dev.headlight.format.tokenizer;

import java.util.Locale;

/** Character classes with the meanings Rust's char methods (used by the tokenizers library) give them. */
final class Unicode {
    private Unicode() {
    }

    /** Rust char::is_whitespace: the Unicode White_Space property. */
    static boolean isWhiteSpace(int cp) {
        return switch (cp) {
            case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000 -> true;
            default -> cp >= 0x2000 && cp <= 0x200A;
        };
    }

    /** Rust char::is_numeric: general category Nd, Nl or No. */
    static boolean isNumeric(int cp) {
        return UnicodeTables.contains(UnicodeTables.NUMERIC, cp);
    }

    /** General category M (Mn, Mc, Me). */
    static boolean isMark(int cp) {
        int t = Character.getType(cp);
        return t == Character.NON_SPACING_MARK || t == Character.COMBINING_SPACING_MARK
                || t == Character.ENCLOSING_MARK;
    }

    /** Category Mn as the library's (older) tables have it. */
    static boolean isNonSpacingMark(int cp) {
        return UnicodeTables.contains(UnicodeTables.NONSPACING_MARK, cp);
    }

    /** BERT punctuation: any ASCII punctuation (including $+<=>^`|~) or Unicode category P. */
    static boolean isBertPunctuation(int cp) {
        return UnicodeTables.contains(UnicodeTables.PUNCTUATION, cp);
    }

    /** What BertNormalizer's clean_text deletes. */
    static boolean isBertRemoved(int cp) {
        return UnicodeTables.contains(UnicodeTables.BERT_REMOVED, cp);
    }

    /** The CJK ideograph blocks BERT surrounds with spaces. */
    static boolean isChineseChar(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B920 && cp <= 0x2CEAF) || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }

    /** Rust char::to_lowercase: the full (context-free) lowercase mapping of one code point. */
    static String toLowerCase(int cp) {
        if (cp < 0x80) {
            return String.valueOf((char) (cp >= 'A' && cp <= 'Z' ? cp + 32 : cp));
        }
        int[] extra = UnicodeTables.EXTRA_LOWERCASE;
        if (cp >= extra[0]) {
            for (int i = 0; i < extra.length; i += 2) {
                if (extra[i] == cp) {
                    return Character.toString(extra[i + 1]);
                }
            }
        }
        return Character.toString(cp).toLowerCase(Locale.ROOT);
    }

    /** Category M as the library's StripAccents sees it. */
    static boolean isCombiningMark(int cp) {
        return UnicodeTables.contains(UnicodeTables.COMBINING_MARK, cp);
    }

    /** Punctuation as the library's Punctuation pre-tokenizer sees it. */
    static boolean isPunctuationPreTokenizer(int cp) {
        return UnicodeTables.contains(UnicodeTables.PUNCTUATION, cp);
    }
}
