package dev.headlight.format.tokenizer;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A piece of text as the normalizers and pre-tokenizers see it, with, for every UTF-16 unit of the normalized
 * text, the range of the original input it came from. Offsets are absolute UTF-16 indices into the text given
 * to {@code encode}. Immutable: every operation returns a new instance.
 */
final class NormalizedString {
    /** The text after normalization so far. */
    final String text;
    /** Original range of each UTF-16 unit of {@link #text}. */ // [text.length()]
    private final int[] alignStart;
    private final int[] alignEnd; // [text.length()]
    /** The original span this piece covers (kept even when normalization empties the text). */
    final int originalStart;
    final int originalEnd;

    private NormalizedString(String text, int[] alignStart, int[] alignEnd, int originalStart, int originalEnd) {
        this.text = text;
        this.alignStart = alignStart;
        this.alignEnd = alignEnd;
        this.originalStart = originalStart;
        this.originalEnd = originalEnd;
    }

    /** A piece of the original input, {@code s} starting at absolute offset {@code base}. */
    static NormalizedString of(String s, int base) {
        int n = s.length();
        int[] start = new int[n];
        int[] end = new int[n];
        for (int i = 0; i < n; ) {
            int cp = s.codePointAt(i);
            int w = Character.charCount(cp);
            for (int k = 0; k < w; k++) {
                start[i + k] = base + i;
                end[i + k] = base + i + w;
            }
            i += w;
        }
        return new NormalizedString(s, start, end, base, base + n);
    }

    boolean isEmpty() {
        return text.isEmpty();
    }

    int length() {
        return text.length();
    }

    /** Original range {start, end} of normalized units [from, to). */
    int[] originalRange(int from, int to) {
        if (from >= to) {
            if (text.isEmpty()) {
                return new int[] {originalStart, originalStart};
            }
            int at = Math.min(from, text.length() - 1);
            int pos = from >= text.length() ? alignEnd[at] : alignStart[at];
            return new int[] {pos, pos};
        }
        return new int[] {alignStart[from], alignEnd[to - 1]};
    }

    /** The sub-piece of normalized units [from, to). */
    NormalizedString slice(int from, int to) {
        int[] s = java.util.Arrays.copyOfRange(alignStart, from, to);
        int[] e = java.util.Arrays.copyOfRange(alignEnd, from, to);
        int[] range = originalRange(from, to);
        return new NormalizedString(text.substring(from, to), s, e, range[0], range[1]);
    }

    /** Accumulates the output of a transformation, each appended unit carrying an original range. */
    static final class Builder {
        private final StringBuilder sb;
        private int[] start;
        private int[] end;
        private int n;

        Builder(int capacity) {
            sb = new StringBuilder(capacity);
            start = new int[Math.max(4, capacity)];
            end = new int[Math.max(4, capacity)];
        }

        void append(CharSequence s, int origStart, int origEnd) {
            for (int i = 0; i < s.length(); i++) {
                appendUnit(s.charAt(i), origStart, origEnd);
            }
        }

        void appendCodePoint(int cp, int origStart, int origEnd) {
            if (Character.isBmpCodePoint(cp)) {
                appendUnit((char) cp, origStart, origEnd);
            } else {
                appendUnit(Character.highSurrogate(cp), origStart, origEnd);
                appendUnit(Character.lowSurrogate(cp), origStart, origEnd);
            }
        }

        void appendUnit(char c, int origStart, int origEnd) {
            if (n == start.length) {
                start = java.util.Arrays.copyOf(start, n * 2);
                end = java.util.Arrays.copyOf(end, n * 2);
            }
            sb.append(c);
            start[n] = origStart;
            end[n] = origEnd;
            n++;
        }

        NormalizedString build(NormalizedString from) {
            return new NormalizedString(sb.toString(), java.util.Arrays.copyOf(start, n),
                    java.util.Arrays.copyOf(end, n), from.originalStart, from.originalEnd);
        }
    }

    /** Replaces every code point by {@code map.apply(cp)} (null or "" removes it), keeping its alignment. */
    NormalizedString mapCodePoints(IntFunction<String> map) {
        Builder b = new Builder(text.length() + 8);
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int w = Character.charCount(cp);
            String out = map.apply(cp);
            if (out != null) {
                b.append(out, alignStart[i], alignEnd[i + w - 1]);
            }
            i += w;
        }
        return b.build(this);
    }

    NormalizedString filter(IntPredicate keep) {
        return mapCodePoints(cp -> keep.test(cp) ? Character.toString(cp) : null);
    }

    NormalizedString prepend(String s) {
        if (text.isEmpty() || s.isEmpty()) {
            return this;
        }
        Builder b = new Builder(text.length() + s.length());
        b.append(s, alignStart[0], alignEnd[0]);
        for (int i = 0; i < text.length(); i++) {
            b.appendUnit(text.charAt(i), alignStart[i], alignEnd[i]);
        }
        return b.build(this);
    }

    NormalizedString append(String s) {
        if (text.isEmpty() || s.isEmpty()) {
            return this;
        }
        Builder b = new Builder(text.length() + s.length());
        for (int i = 0; i < text.length(); i++) {
            b.appendUnit(text.charAt(i), alignStart[i], alignEnd[i]);
        }
        int last = text.length() - 1;
        b.append(s, alignStart[last], alignEnd[last]);
        return b.build(this);
    }

    /** Replaces every match of {@code pattern} by the literal {@code content}. */
    NormalizedString replace(Pattern pattern, String content) {
        List<int[]> matches = findMatches(pattern, text);
        boolean any = false;
        for (int[] m : matches) {
            any |= m[2] == 1;
        }
        if (!any) {
            return this;
        }
        Builder b = new Builder(text.length() + 8);
        for (int[] m : matches) {
            if (m[2] == 0) {
                for (int i = m[0]; i < m[1]; i++) {
                    b.appendUnit(text.charAt(i), alignStart[i], alignEnd[i]);
                }
            } else {
                // like the library, the replacement takes the place of the last replaced character
                int[] r = m[1] > m[0] ? new int[] {alignStart[m[1] - 1], alignEnd[m[1] - 1]}
                        : originalRange(m[0], m[1]);
                b.append(content, r[0], r[1]);
            }
        }
        return b.build(this);
    }

    /** Removes leading and/or trailing Unicode whitespace. */
    NormalizedString strip(boolean left, boolean right) {
        int from = 0;
        int to = text.length();
        if (left) {
            while (from < to) {
                int cp = text.codePointAt(from);
                if (!Unicode.isWhiteSpace(cp)) {
                    break;
                }
                from += Character.charCount(cp);
            }
        }
        if (right) {
            while (to > from) {
                int cp = text.codePointBefore(to);
                if (!Unicode.isWhiteSpace(cp)) {
                    break;
                }
                to -= Character.charCount(cp);
            }
        }
        if (from == 0 && to == text.length()) {
            return this;
        }
        NormalizedString s = slice(from, to);
        return new NormalizedString(s.text, s.alignStart, s.alignEnd, originalStart, originalEnd);
    }

    /**
     * Unicode normalization. The text is exactly {@link Normalizer#normalize}; alignments come from normalizing
     * each base character with its following marks on its own, which agrees with the whole-text result except in
     * rare cases (then each output unit gets an approximate, proportional alignment).
     */
    NormalizedString unicodeNormalize(Normalizer.Form form) {
        if (Normalizer.isNormalized(text, form)) {
            return this;
        }
        String whole = normalizeLikeLibrary(text, form);
        Builder b = new Builder(whole.length() + 4);
        int i = 0;
        while (i < text.length()) {
            int j = i + Character.charCount(text.codePointAt(i));
            while (j < text.length()) {
                int cp = text.codePointAt(j);
                if (!Unicode.isMark(cp) && !isHangulJamoContinuation(cp)) {
                    break;
                }
                j += Character.charCount(cp);
            }
            String seg = normalizeLikeLibrary(text.substring(i, j), form);
            // when each character normalizes on its own to the same result (decomposition, no reordering),
            // each output character points at its own source
            StringBuilder perChar = new StringBuilder();
            for (int q = i; q < j; ) {
                int w = Character.charCount(text.codePointAt(q));
                perChar.append(normalizeLikeLibrary(text.substring(q, q + w), form));
                q += w;
            }
            if (perChar.toString().equals(seg)) {
                for (int q = i; q < j; ) {
                    int w = Character.charCount(text.codePointAt(q));
                    b.append(normalizeLikeLibrary(text.substring(q, q + w), form), alignStart[q], alignEnd[q + w - 1]);
                    q += w;
                }
                i = j;
                continue;
            }
            // the first output character takes the first input character's place and the others line up with
            // the input from its end: composed characters point at their base character, characters left after
            // a composition at the ones they were, decomposed ones all at their source, as in the library
            int[] inStarts = text.substring(i, j).codePoints().map(Character::charCount).toArray();
            for (int q = 0, at = i; q < inStarts.length; q++) {
                int width = inStarts[q];
                inStarts[q] = at;
                at += width;
            }
            int inCount = inStarts.length;
            int outCount = seg.codePointCount(0, seg.length());
            int outIndex = 0;
            for (int k = 0; k < seg.length(); ) {
                int cp = seg.codePointAt(k);
                int src = outIndex == 0 ? 0 : Math.min(inCount - 1, Math.max(1, inCount - outCount + outIndex));
                int from = inStarts[src];
                int to = from + Character.charCount(text.codePointAt(from));
                b.appendCodePoint(cp, alignStart[from], alignEnd[to - 1]);
                k += Character.charCount(cp);
                outIndex++;
            }
            i = j;
        }
        NormalizedString segmented = b.build(this);
        if (segmented.text.equals(whole)) {
            return segmented;
        }
        Builder p = new Builder(whole.length());
        for (int k = 0; k < whole.length(); k++) {
            int src = text.isEmpty() ? 0 : (int) ((long) k * text.length() / Math.max(1, whole.length()));
            src = Math.min(src, text.length() - 1);
            p.appendUnit(whole.charAt(k), alignStart[src], alignEnd[src]);
        }
        return p.build(this);
    }

    /** {@link Normalizer#normalize}, except characters newer than the library's tables stay as they are. */
    static String normalizeLikeLibrary(String s, Normalizer.Form form) {
        int inertAt = -1;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (cp >= 0x32FF && UnicodeTables.contains(UnicodeTables.NORMALIZATION_INERT, cp)) {
                inertAt = i;
                break;
            }
            i += Character.charCount(cp);
        }
        if (inertAt < 0) {
            return Normalizer.normalize(s, form);
        }
        int w = Character.charCount(s.codePointAt(inertAt));
        return Normalizer.normalize(s.substring(0, inertAt), form) + s.substring(inertAt, inertAt + w)
                + normalizeLikeLibrary(s.substring(inertAt + w), form);
    }

    private static boolean isHangulJamoContinuation(int cp) {
        return (cp >= 0x1160 && cp <= 0x11FF) || (cp >= 0xD7B0 && cp <= 0xD7FF);
    }

    // ---- splitting ----

    enum SplitBehavior { REMOVED, ISOLATED, MERGED_WITH_PREVIOUS, MERGED_WITH_NEXT, CONTIGUOUS }

    /**
     * Matches of {@code pattern} covering the whole of {@code s}: {start, end, isMatch}. After an empty match the
     * search moves on one code point, and an empty match right after a match is skipped, as Oniguruma does.
     */
    static List<int[]> findMatches(Pattern pattern, String s) {
        List<int[]> out = new ArrayList<>();
        if (s.isEmpty()) {
            out.add(new int[] {0, 0, 0});
            return out;
        }
        RegexBudget.Bounded m = RegexBudget.matcher(pattern, s);
        int prev = 0;
        int searchFrom = 0;
        int lastMatchEnd = -1;
        while (searchFrom <= s.length() && m.find(searchFrom)) {
            int start = m.start();
            int end = m.end();
            if (start == end && end == lastMatchEnd) {
                if (end >= s.length()) {
                    break;
                }
                searchFrom = end + Character.charCount(s.codePointAt(end));
                continue;
            }
            if (prev != start) {
                out.add(new int[] {prev, start, 0});
            }
            out.add(new int[] {start, end, 1});
            prev = end;
            lastMatchEnd = end;
            if (start == end) {
                if (end >= s.length()) {
                    break;
                }
                searchFrom = end + Character.charCount(s.codePointAt(end));
            } else {
                searchFrom = end;
            }
        }
        if (prev != s.length()) {
            out.add(new int[] {prev, s.length(), 0});
        }
        return out;
    }

    /** Each code point accepted by {@code isDelimiter} is its own match. */
    static List<int[]> findMatches(IntPredicate isDelimiter, String s) {
        List<int[]> out = new ArrayList<>();
        if (s.isEmpty()) {
            out.add(new int[] {0, 0, 0});
            return out;
        }
        int last = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int w = Character.charCount(cp);
            if (isDelimiter.test(cp)) {
                if (last < i) {
                    out.add(new int[] {last, i, 0});
                }
                out.add(new int[] {i, i + w, 1});
                last = i + w;
            }
            i += w;
        }
        if (last < s.length()) {
            out.add(new int[] {last, s.length(), 0});
        }
        return out;
    }

    static List<int[]> invert(List<int[]> matches) {
        for (int[] m : matches) {
            m[2] = 1 - m[2];
        }
        return matches;
    }

    /** Splits this piece by the given matches and behavior; empty pieces are kept (callers drop them). */
    List<NormalizedString> split(List<int[]> matches, SplitBehavior behavior) {
        List<int[]> pieces = new ArrayList<>(); // {start, end, remove}
        switch (behavior) {
            case ISOLATED -> {
                for (int[] m : matches) {
                    pieces.add(new int[] {m[0], m[1], 0});
                }
            }
            case REMOVED -> {
                for (int[] m : matches) {
                    pieces.add(new int[] {m[0], m[1], m[2]});
                }
            }
            case CONTIGUOUS -> joinToPrevious(matches, pieces, true);
            case MERGED_WITH_PREVIOUS -> joinToPrevious(matches, pieces, false);
            case MERGED_WITH_NEXT -> {
                boolean previousMatch = false;
                List<int[]> reversed = new ArrayList<>();
                for (int k = matches.size() - 1; k >= 0; k--) {
                    int[] m = matches.get(k);
                    boolean isMatch = m[2] == 1;
                    if (isMatch && !previousMatch && !reversed.isEmpty()) {
                        reversed.get(reversed.size() - 1)[0] = m[0];
                    } else {
                        reversed.add(new int[] {m[0], m[1], 0});
                    }
                    previousMatch = isMatch;
                }
                for (int k = reversed.size() - 1; k >= 0; k--) {
                    pieces.add(reversed.get(k));
                }
            }
        }
        List<NormalizedString> out = new ArrayList<>(pieces.size());
        for (int[] p : pieces) {
            if (p[2] == 0) {
                out.add(slice(p[0], p[1]));
            }
        }
        return out;
    }

    /**
     * Appends the matches and the text between them to {@code pieces}, extending the piece before instead where
     * {@code contiguous} (a run of matches, or of non-matches) or MergedWithPrevious (a match after a non-match) joins.
     */
    private static void joinToPrevious(List<int[]> matches, List<int[]> pieces, boolean contiguous) {
        boolean previousMatch = false;
        for (int[] m : matches) {
            boolean isMatch = m[2] == 1;
            boolean join = contiguous ? isMatch == previousMatch : isMatch && !previousMatch;
            if (join && !pieces.isEmpty()) {
                pieces.get(pieces.size() - 1)[1] = m[1];
            } else {
                pieces.add(new int[] {m[0], m[1], 0});
            }
            previousMatch = isMatch;
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
