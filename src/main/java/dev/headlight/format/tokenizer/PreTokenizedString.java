package dev.headlight.format.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** The input cut into pieces; pieces already resolved to tokens (added tokens) are left alone by later steps. */
final class PreTokenizedString {
    /** One piece: its text, and its tokens once known (null until the model or an added token gives them). */
    static final class Split {
        NormalizedString normalized;
        List<Token> tokens;

        Split(NormalizedString normalized, List<Token> tokens) {
            this.normalized = normalized;
            this.tokens = tokens;
        }
    }

    final List<Split> splits = new ArrayList<>();

    /** Replaces each untokenized piece by the pieces {@code fn} cuts it into, dropping empty ones. */
    void split(Function<NormalizedString, List<NormalizedString>> fn) {
        List<Split> out = new ArrayList<>(splits.size() * 2);
        for (Split s : splits) {
            if (s.tokens != null) {
                out.add(s);
                continue;
            }
            for (NormalizedString piece : fn.apply(s.normalized)) {
                if (!piece.isEmpty()) {
                    out.add(new Split(piece, null));
                }
            }
        }
        splits.clear();
        splits.addAll(out);
    }

    void normalize(UnaryOperator<NormalizedString> fn) {
        for (Split s : splits) {
            if (s.tokens == null) {
                s.normalized = fn.apply(s.normalized);
            }
        }
    }
}
