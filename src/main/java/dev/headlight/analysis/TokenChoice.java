package dev.headlight.analysis;

import dev.headlight.engine.Model;
import dev.headlight.format.tokenizer.Tokenizer;

/**
 * One token named by a person, as the intervention commands and panels accept it: "#123", an exact vocabulary
 * string (e.g. "ĠParis"), or a text that encodes to exactly one token (e.g. " Paris"). Without a tokenizer a plain
 * number is an id too. Shared by the CLI and the window so both read tokens the same way.
 */
public final class TokenChoice {
    private TokenChoice() {
    }

    /**
     * The id {@code text} names; {@code what} names the field in the one-line {@link IllegalArgumentException}
     * (e.g. "--answer" or "answer").
     */
    public static int resolve(Model model, String text, String what) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("Give the " + what + ": a one-token text or #id.");
        }
        Tokenizer tokenizer = model.hasTokenizer() ? model.tokenizer() : null;
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

    /** A token id given as digits; {@code what} names the field in the error. */
    public static int id(String digits, Model model, String what) {
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
