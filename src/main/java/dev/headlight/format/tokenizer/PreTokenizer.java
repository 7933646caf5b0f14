package dev.headlight.format.tokenizer;

import dev.headlight.format.tokenizer.NormalizedString.SplitBehavior;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;

/** One pre-tokenizer of tokenizer.json ("pre_tokenizer"): cuts the normalized text into words. */
@FunctionalInterface
interface PreTokenizer {
    void preTokenize(PreTokenizedString pts);

    static PreTokenizer sequence(List<PreTokenizer> steps) {
        return pts -> {
            for (PreTokenizer step : steps) {
                step.preTokenize(pts);
            }
        };
    }

    static PreTokenizer split(Pattern pattern, SplitBehavior behavior, boolean invert) {
        return pts -> pts.split(ns -> {
            List<int[]> matches = NormalizedString.findMatches(pattern, ns.text);
            return ns.split(invert ? NormalizedString.invert(matches) : matches, behavior);
        });
    }

    static PreTokenizer splitOnChars(IntPredicate delimiter, SplitBehavior behavior) {
        return pts -> pts.split(ns -> ns.split(NormalizedString.findMatches(delimiter, ns.text), behavior));
    }

    static PreTokenizer byteLevel(boolean addPrefixSpace, boolean useRegex) {
        return pts -> {
            pts.split(ns -> {
                NormalizedString s = ns;
                if (addPrefixSpace && !s.text.startsWith(" ")) {
                    s = s.prepend(" ");
                }
                if (useRegex) {
                    return s.split(NormalizedString.findMatches(ByteLevel.GPT2_PATTERN, s.text), SplitBehavior.ISOLATED);
                }
                return List.of(s);
            });
            pts.normalize(ByteLevel::toByteSymbols);
        };
    }

    enum PrependScheme { ALWAYS, FIRST, NEVER }

    static PreTokenizer metaspace(String replacement, PrependScheme scheme, boolean split) {
        Pattern space = OnigRegex.literal(" ");
        int replacementChar = replacement.codePointAt(0);
        return pts -> pts.split(ns -> {
            NormalizedString s = ns.replace(space, replacement);
            boolean needsPrefix = !s.text.startsWith(replacement);
            if (needsPrefix && (scheme == PrependScheme.ALWAYS
                    || (scheme == PrependScheme.FIRST && s.originalStart == 0))) {
                s = s.prepend(replacement);
            }
            if (split) {
                return s.split(NormalizedString.findMatches(cp -> cp == replacementChar, s.text),
                        SplitBehavior.MERGED_WITH_NEXT);
            }
            return List.of(s);
        });
    }

    /** Whitespace: words are runs of \w or runs of other non-space characters. */
    static PreTokenizer whitespace() {
        // the Rust regex crate's \w (Alphabetic, marks, Nd, Pc, Join_Control) is Java's UNICODE_CHARACTER_CLASS \w
        Pattern words = Pattern.compile("\\w+|[^\\w\\s]+", Pattern.UNICODE_CHARACTER_CLASS);
        return pts -> pts.split(ns -> ns.split(NormalizedString.invert(NormalizedString.findMatches(words, ns.text)),
                SplitBehavior.REMOVED));
    }

    static PreTokenizer whitespaceSplit() {
        return splitOnChars(Unicode::isWhiteSpace, SplitBehavior.REMOVED);
    }

    static PreTokenizer bert() {
        PreTokenizer onSpace = splitOnChars(Unicode::isWhiteSpace, SplitBehavior.REMOVED);
        PreTokenizer onPunct = splitOnChars(Unicode::isBertPunctuation, SplitBehavior.ISOLATED);
        return pts -> {
            onSpace.preTokenize(pts);
            onPunct.preTokenize(pts);
        };
    }

    static PreTokenizer punctuation(SplitBehavior behavior) {
        return splitOnChars(Unicode::isPunctuationPreTokenizer, behavior);
    }

    static PreTokenizer digits(boolean individualDigits) {
        return splitOnChars(Unicode::isNumeric, individualDigits ? SplitBehavior.ISOLATED : SplitBehavior.CONTIGUOUS);
    }

    static PreTokenizer charDelimiter(int delimiter) {
        return splitOnChars(cp -> cp == delimiter, SplitBehavior.REMOVED);
    }
}
