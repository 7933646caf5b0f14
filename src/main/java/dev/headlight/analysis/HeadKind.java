package dev.headlight.analysis;

/**
 * What a head mostly does, read off the standard multi-period probe ({@link ProbeEvidence}: scores averaged over
 * the periods, offset profiles per period) by the first matching rule below (checked top to bottom; absent scores
 * never match).
 *
 * <table>
 *   <caption>Kind rules and thresholds</caption>
 *   <tr><th>kind</th><th>rule</th></tr>
 *   <tr><td>positional (offset k)</td><td>at one relative offset k with |k| &ge; 2, the mean attention over the
 *       queries that have a key there is &ge; {@value #POSITIONAL_MIN} on every period (whatever the content)</td></tr>
 *   <tr><td>induction</td><td>induction &ge; {@value #INDUCTION_MIN}</td></tr>
 *   <tr><td>previous-token</td><td>previous_token &ge; {@value #PREVIOUS_TOKEN_MIN}</td></tr>
 *   <tr><td>duplicate-token</td><td>duplicate_token &ge; {@value #DUPLICATE_TOKEN_MIN}</td></tr>
 *   <tr><td>sink</td><td>first_token &ge; {@value #SINK_MIN}</td></tr>
 *   <tr><td>self</td><td>self &ge; {@value #SELF_MIN}</td></tr>
 *   <tr><td>local</td><td>self + previous_token &ge; {@value #LOCAL_MIN}</td></tr>
 *   <tr><td>broad</td><td>entropy &ge; {@value #BROAD_ENTROPY_MIN}</td></tr>
 *   <tr><td>mixed</td><td>none of the above</td></tr>
 * </table>
 *
 * Positional comes first: a head that always looks k tokens back scores as induction on a probe of period k + 1
 * and as duplicate-token on one of period k, but only a fixed offset attends there on every period. Sink is a
 * positional kind too (absolute position 0 rather than a relative offset). Induction comes next because an induction head on a repeated sequence also scores on nothing else, and it is
 * the rarest, most specific pattern; duplicate-token after previous-token because on a repeated probe a
 * previous-token head never attends to duplicates. Sink is checked after the content patterns since many heads
 * park leftover attention on the first token.
 */
public enum HeadKind {
    POSITIONAL("positional"),
    INDUCTION("induction"),
    PREVIOUS_TOKEN("previous-token"),
    DUPLICATE_TOKEN("duplicate-token"),
    SINK("sink"),
    SELF("self"),
    LOCAL("local"),
    BROAD("broad"),
    MIXED("mixed");

    public static final double POSITIONAL_MIN = 0.5;
    public static final double INDUCTION_MIN = 0.3;
    public static final double PREVIOUS_TOKEN_MIN = 0.5;
    public static final double DUPLICATE_TOKEN_MIN = 0.3;
    public static final double SINK_MIN = 0.6;
    public static final double SELF_MIN = 0.5;
    public static final double LOCAL_MIN = 0.5;
    public static final double BROAD_ENTROPY_MIN = 0.75;

    private final String key;

    HeadKind(String key) {
        this.key = key;
    }

    /** The JSON / display name, e.g. "previous-token". */
    public String key() {
        return key;
    }

    /** One line per rule, for the UI's legend. */
    public static String rulesText() {
        return String.join("\n",
                "positional (offset k): mean attention at one offset |k| ≥ 2 is ≥ " + POSITIONAL_MIN
                        + " on every probe period",
                "induction: induction ≥ " + INDUCTION_MIN,
                "previous-token: previous_token ≥ " + PREVIOUS_TOKEN_MIN,
                "duplicate-token: duplicate_token ≥ " + DUPLICATE_TOKEN_MIN,
                "sink: first_token ≥ " + SINK_MIN + " (a positional kind: absolute position 0)",
                "self: self ≥ " + SELF_MIN,
                "local: self + previous_token ≥ " + LOCAL_MIN,
                "broad: entropy ≥ " + BROAD_ENTROPY_MIN,
                "mixed: none of the above (rules checked in this order)");
    }

    /** A head's kind with its offset when it is positional. */
    public record Verdict(HeadKind kind, java.util.OptionalInt offset) {
        /** e.g. "induction" or "positional (offset 19)". */
        public String label() {
            return kind == POSITIONAL ? "positional (offset " + offset.getAsInt() + ")" : kind.key();
        }
    }

    /** The kind from probe scores and the positional offset found on every period (or empty). */
    public static Verdict classify(HeadScores s, java.util.OptionalInt positionalOffset) {
        if (positionalOffset.isPresent()) {
            return new Verdict(POSITIONAL, positionalOffset);
        }
        return new Verdict(classify(s), java.util.OptionalInt.empty());
    }

    /** The kind from scores alone (no offset evidence, so never positional). */
    public static HeadKind classify(HeadScores s) {
        if (atLeast(s, Score.INDUCTION, INDUCTION_MIN)) {
            return INDUCTION;
        }
        if (atLeast(s, Score.PREVIOUS_TOKEN, PREVIOUS_TOKEN_MIN)) {
            return PREVIOUS_TOKEN;
        }
        if (atLeast(s, Score.DUPLICATE_TOKEN, DUPLICATE_TOKEN_MIN)) {
            return DUPLICATE_TOKEN;
        }
        if (atLeast(s, Score.FIRST_TOKEN, SINK_MIN)) {
            return SINK;
        }
        if (atLeast(s, Score.SELF, SELF_MIN)) {
            return SELF;
        }
        if (s.self().isPresent() && s.previousToken().isPresent()
                && s.self().getAsDouble() + s.previousToken().getAsDouble() >= LOCAL_MIN) {
            return LOCAL;
        }
        if (atLeast(s, Score.ENTROPY, BROAD_ENTROPY_MIN)) {
            return BROAD;
        }
        return MIXED;
    }

    private static boolean atLeast(HeadScores s, Score score, double min) {
        return s.get(score).isPresent() && s.get(score).getAsDouble() >= min;
    }
}
