package dev.headlight.ui.interventions;

import dev.headlight.engine.Model;
import dev.headlight.format.tokenizer.Tokenizer;

/**
 * Reads prompts and single tokens typed into the intervention panels, the way the CLI reads them: a prompt is
 * encoded by the model's tokenizer (or read as ids "464 3290" without one); a token is "#123", an exact
 * vocabulary string (e.g. "ĠParis"), or a text that encodes to exactly one token (e.g. " Paris").
 * Errors are {@link IllegalArgumentException}s with a one-line reason.
 */
public final class TokenInput {
    private TokenInput() {
    }

    static Tokenizer tokenizerOrNull(Model model) {
        try {
            return model.hasTokenizer() ? model.tokenizer() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The prompt's ids (with the tokenizer's special tokens, as the explorer encodes it). */
    public static int[] prompt(Model model, String text, String what) {
        Tokenizer tokenizer = tokenizerOrNull(model);
        int[] ids;
        if (tokenizer != null) {
            ids = tokenizer.encode(text).ids();
        } else {
            String trimmed = text.trim();
            String[] parts = trimmed.isEmpty() ? new String[0] : trimmed.split("[\\s,]+");
            ids = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                ids[i] = id(parts[i].startsWith("#") ? parts[i].substring(1) : parts[i], model, what);
            }
        }
        if (ids.length == 0) {
            throw new IllegalArgumentException("The " + what + " is empty.");
        }
        return ids;
    }

    /** One token from "#id", a vocabulary string or a one-token text. */
    public static int token(Model model, String text, String what) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("Give the " + what + ": a one-token text or #id.");
        }
        Tokenizer tokenizer = tokenizerOrNull(model);
        if (text.matches("#\\d+") || (tokenizer == null && text.matches("\\d+"))) {
            return id(text.startsWith("#") ? text.substring(1) : text, model, what);
        }
        if (tokenizer == null) {
            throw new IllegalArgumentException("The " + what + " \"" + text
                    + "\": this model folder has no tokenizer.json; give #id.");
        }
        int vocab = model.info().vocab();
        int id = tokenizer.tokenToId(text);
        if (id >= 0 && id < vocab) {
            return id;
        }
        int[] ids = tokenizer.encode(text, false).ids();
        if (ids.length == 1 && ids[0] < vocab) {
            return ids[0];
        }
        throw new IllegalArgumentException("The " + what + " \"" + text + "\" is not one token (it encodes to "
                + ids.length + "); give a vocabulary string or #id.");
    }

    /** A readable label for a vocabulary id. */
    public static String label(Model model, int id) {
        Tokenizer tokenizer = tokenizerOrNull(model);
        String s = tokenizer == null ? null : tokenizer.displayToken(id);
        return s == null ? "#" + id : s;
    }

    private static int id(String digits, Model model, String what) {
        int vocab = model.info().vocab();
        try {
            int id = Integer.parseInt(digits);
            if (id >= 0 && id < vocab) {
                return id;
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("The " + what + " \"" + digits + "\" is not a token id.");
        }
        throw new IllegalArgumentException("The " + what + " #" + digits + " is outside the vocabulary (0–"
                + (vocab - 1) + ").");
    }
}
