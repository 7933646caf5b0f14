package dev.headlight.analysis;

/**
 * Token ids typed as text, e.g. "464, 3290 3332": the CLI's --ids and the prompt of a model folder without
 * tokenizer.json (in the CLI and in the window). One reading for both, so the same text gives the same ids.
 */
public final class TokenIds {
    private TokenIds() {
    }

    /**
     * The ids in {@code text}, separated by commas and/or white space; empty for blank text (callers decide whether
     * that is allowed).
     *
     * @param vocab ids must be below it; {@link Integer#MAX_VALUE} when no model is known yet
     * @throws IllegalArgumentException naming the first word that is not an id in [0, vocab)
     */
    public static int[] parse(String text, int vocab) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return new int[0];
        }
        String[] words = trimmed.split("[,\\s]+");
        int[] ids = new int[words.length];
        for (int i = 0; i < words.length; i++) {
            try {
                ids[i] = Integer.parseInt(words[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("\"" + words[i] + "\" is not a token id (ids are whole numbers "
                        + "separated by commas or spaces)");
            }
            if (ids[i] < 0) {
                throw new IllegalArgumentException("token ids are not negative, got " + ids[i]);
            }
            if (ids[i] >= vocab) {
                throw new IllegalArgumentException("token id " + ids[i] + " is outside the vocabulary (0–"
                        + (vocab - 1) + ")");
            }
        }
        return ids;
    }
}
