package dev.headlight.format.tokenizer;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles the Oniguruma (Ruby syntax) regexes found in tokenizer.json into java.util.regex with the same meaning:
 * {@code \s} is Unicode White_Space, {@code \d} any decimal digit, {@code \w} letters, marks, numbers and
 * connector punctuation, {@code \h} a hex digit, case-insensitive matching is Unicode-aware, and only {@code \n}
 * ends a line.
 */
final class OnigRegex {
    private static final String WORD = "\\p{L}\\p{M}\\p{N}\\p{Pc}";

    private OnigRegex() {
    }

    static Pattern compile(String onig) throws PatternSyntaxException {
        return RegexBudget.remember(Pattern.compile(translate(onig),
                Pattern.UNICODE_CASE | Pattern.UNIX_LINES | Pattern.MULTILINE), onig);
    }

    /** A pattern matching {@code literal} exactly. */
    static Pattern literal(String literal) {
        return Pattern.compile(Pattern.quote(literal));
    }

    static String translate(String p) {
        StringBuilder out = new StringBuilder(p.length() + 32);
        int classDepth = 0;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '\\' && i + 1 < p.length()) {
                char e = p.charAt(++i);
                boolean inClass = classDepth > 0;
                switch (e) {
                    case 's' -> out.append("\\p{IsWhite_Space}");
                    case 'S' -> out.append(inClass ? "[^\\p{IsWhite_Space}]" : "\\P{IsWhite_Space}");
                    case 'd' -> out.append("\\p{Nd}");
                    case 'D' -> out.append(inClass ? "[^\\p{Nd}]" : "\\P{Nd}");
                    case 'w' -> out.append(inClass ? WORD : "[" + WORD + "]");
                    case 'W' -> out.append("[^" + WORD + "]");
                    case 'h' -> out.append(inClass ? "0-9a-fA-F" : "[0-9a-fA-F]");
                    case 'H' -> out.append("[^0-9a-fA-F]");
                    case 'p', 'P' -> {
                        // \p{^L} is Oniguruma's negation
                        if (i + 2 < p.length() && p.charAt(i + 1) == '{' && p.charAt(i + 2) == '^') {
                            out.append('\\').append(e == 'p' ? 'P' : 'p').append('{');
                            i += 2;
                        } else {
                            out.append('\\').append(e);
                        }
                    }
                    default -> out.append('\\').append(e);
                }
                continue;
            }
            if (c == '[') {
                classDepth++;
                out.append(c);
                // a ']' right after '[' or '[^' is a literal in both dialects
                if (i + 1 < p.length() && p.charAt(i + 1) == '^') {
                    out.append('^');
                    i++;
                }
                if (i + 1 < p.length() && p.charAt(i + 1) == ']') {
                    out.append("\\]");
                    i++;
                }
                continue;
            }
            if (c == ']' && classDepth > 0) {
                classDepth--;
            }
            out.append(c);
        }
        return out.toString();
    }
}
