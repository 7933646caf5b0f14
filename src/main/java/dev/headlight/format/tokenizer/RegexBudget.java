package dev.headlight.format.tokenizer;

import java.util.Map;
import java.util.WeakHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bounds the work of a tokenizer.json regex on one text. java.util.regex backtracks: a pattern with nested lazy
 * quantifiers can take exponential time on a 40-character prompt, and a repeated group recurses once per
 * repetition, so a long prompt can overflow the stack. The text is handed to the matcher through a view that
 * counts every character the engine reads; past the budget, or on a stack overflow, matching stops with a
 * {@link TooCostly} naming the pattern as tokenizer.json wrote it.
 *
 * <p>Why not a linear-time engine (RE2/J): the pre-tokenizers of real tokenizers use look-ahead (GPT-2's
 * {@code \s+(?!\S)}), which RE2 does not have, and Hugging Face's results depend on Oniguruma's backtracking
 * semantics, which java.util.regex shares.
 */
final class RegexBudget {
    /** Character reads allowed for one search, on top of {@link #READS_PER_CHAR} per character searched. */
    static final long BASE_READS = 1_000_000;
    /** A simple pattern reads each character a few times; GPT-2's reads it at most ~10 times. */
    static final long READS_PER_CHAR = 256;

    private static final Map<Pattern, String> SOURCES = new WeakHashMap<>();

    private RegexBudget() {
    }

    /** Remembers the tokenizer.json text a pattern was compiled from, for messages. */
    static Pattern remember(Pattern compiled, String source) {
        synchronized (SOURCES) {
            SOURCES.put(compiled, source);
        }
        return compiled;
    }

    static String sourceOf(Pattern pattern) {
        synchronized (SOURCES) {
            return SOURCES.getOrDefault(pattern, pattern.pattern());
        }
    }

    /** A refusal: the pattern needs more work (or stack) than allowed on this text. */
    static final class TooCostly extends RuntimeException {
        TooCostly(String message) {
            super(message);
        }
    }

    /** A matcher over {@code text} whose every {@code find} is bounded. */
    static Bounded matcher(Pattern pattern, String text) {
        return new Bounded(pattern, text);
    }

    static final class Bounded {
        private final Pattern pattern;
        private final CountingText text;
        private final Matcher matcher;

        private Bounded(Pattern pattern, String s) {
            this.pattern = pattern;
            this.text = new CountingText(s);
            this.matcher = pattern.matcher(text);
        }

        boolean find(int from) {
            text.reads = 0;
            text.limit = BASE_READS + READS_PER_CHAR * (text.length() - (long) from);
            try {
                return matcher.find(from);
            } catch (StackOverflowError e) {
                throw new TooCostly("tokenizer.json's regex '" + sourceOf(pattern) + "' recursed too deeply on a "
                        + text.length() + "-character text; refused (shorten the text or fix the pattern)");
            } catch (BudgetExceeded e) {
                throw new TooCostly("tokenizer.json's regex '" + sourceOf(pattern) + "' needed more than "
                        + text.limit + " steps at character " + from + " of a " + text.length()
                        + "-character text (catastrophic backtracking); refused");
            }
        }

        int start() {
            return matcher.start();
        }

        int end() {
            return matcher.end();
        }
    }

    private static final class BudgetExceeded extends RuntimeException {
        BudgetExceeded() {
            super(null, null, false, false); // thrown often under attack: no stack trace
        }
    }

    /** The text as the regex engine sees it, counting reads. */
    private static final class CountingText implements CharSequence {
        private final String s;
        long reads;
        long limit;

        CountingText(String s) {
            this.s = s;
        }

        @Override
        public char charAt(int index) {
            if (++reads > limit) {
                throw new BudgetExceeded();
            }
            return s.charAt(index);
        }

        @Override
        public int length() {
            return s.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return s.subSequence(start, end);
        }

        @Override
        public String toString() {
            return s;
        }
    }
}
