package dev.headlight.format.tokenizer;

/**
 * Characters of a text that no token stands for: the vocabulary lacks them and the tokenizer (as Hugging Face's
 * does) either dropped them ({@code unknown} false: a BPE without an unknown token or byte fallback) or turned them
 * into the unknown token ({@code unknown} true). Whitespace that the pre-tokenizer removes by design (BERT's word
 * splitting) is not lost: only characters given to the vocabulary count.
 *
 * @param start UTF-16 offset of the first character in the original text
 * @param end   UTF-16 offset after the last
 * @param text  the characters, {@code text.substring(start, end)} of the original
 */
public record LostCharacters(int start, int end, String text, boolean unknown) {
    /** The characters made readable: a space as "␣", a newline as "⏎", a tab as "⇥". */
    public String display() {
        return text.replace(" ", "␣").replace("\n", "⏎").replace("\t", "⇥");
    }

    /** One line for the CLI and the status bar, e.g. "not in the vocabulary, dropped: '␣' ×5, '.'; made the unknown token: 'é'". */
    public static String describe(java.util.List<LostCharacters> lost) {
        StringBuilder sb = new StringBuilder("not in the vocabulary");
        String separator = ", ";
        for (boolean unknown : new boolean[] {false, true}) {
            java.util.Map<String, Integer> counts = new java.util.LinkedHashMap<>();
            for (LostCharacters l : lost) {
                if (l.unknown() == unknown) {
                    counts.merge(l.display(), 1, Integer::sum);
                }
            }
            if (counts.isEmpty()) {
                continue;
            }
            sb.append(separator).append(unknown ? "made the unknown token: " : "dropped: ");
            separator = "; ";
            StringBuilder list = new StringBuilder();
            counts.forEach((chars, n) -> list.append(list.isEmpty() ? "" : ", ").append('\'').append(chars)
                    .append('\'').append(n > 1 ? " ×" + n : ""));
            sb.append(list);
        }
        return sb.toString();
    }
}
