package dev.headlight.ui.interventions;

import dev.headlight.analysis.TokenChoice;
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
                ids[i] = TokenChoice.id(parts[i].startsWith("#") ? parts[i].substring(1) : parts[i], model, what);
            }
        }
        if (ids.length == 0) {
            throw new IllegalArgumentException("The " + what + " is empty.");
        }
        return ids;
    }

    /** One token from "#id", a vocabulary string or a one-token text. */
    public static int token(Model model, String text, String what) {
        return TokenChoice.resolve(model, text, what);
    }

    /** A readable label for a vocabulary id. */
    public static String label(Model model, int id) {
        Tokenizer tokenizer = tokenizerOrNull(model);
        String s = tokenizer == null ? null : tokenizer.displayToken(id);
        return s == null ? "#" + id : s;
    }
}
