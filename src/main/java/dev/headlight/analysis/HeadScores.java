package dev.headlight.analysis;

import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The {@link Score}s of one head on one token sequence. A score whose query set is empty is absent
 * ({@link OptionalDouble#empty()}), never 0 and never NaN.
 */
public record HeadScores(OptionalDouble previousToken, OptionalDouble firstToken, OptionalDouble self,
                         OptionalDouble duplicateToken, OptionalDouble induction, OptionalDouble entropy) {

    public OptionalDouble get(Score score) {
        return switch (score) {
            case PREVIOUS_TOKEN -> previousToken;
            case FIRST_TOKEN -> firstToken;
            case SELF -> self;
            case DUPLICATE_TOKEN -> duplicateToken;
            case INDUCTION -> induction;
            case ENTROPY -> entropy;
        };
    }

    /** The score, or {@code fallback} when it is absent (for colouring). */
    public double getOr(Score score, double fallback) {
        OptionalDouble value = get(score);
        return value.isPresent() ? value.getAsDouble() : fallback;
    }

    /** Present scores only, in {@link Score} order. */
    public Map<Score, Double> present() {
        Map<Score, Double> out = new EnumMap<>(Score.class);
        for (Score s : Score.values()) {
            get(s).ifPresent(v -> out.put(s, v));
        }
        return out;
    }
}
