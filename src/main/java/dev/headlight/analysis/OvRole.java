package dev.headlight.analysis;

import java.util.OptionalDouble;

/**
 * What a head's OV circuit does to the tokens it attends to, read off its copying score (the eigenvalue sum of the
 * full OV circuit W_E W_OV W_U over the sum of their magnitudes; see analysis.circuits.HeadCircuits), beside its
 * attention {@link HeadKind} (an induction head is usually induction and copying).
 *
 * <table>
 *   <caption>OV role rules</caption>
 *   <tr><th>role</th><th>rule</th></tr>
 *   <tr><td>copying</td><td>copying score &ge; {@value #COPYING_MIN}</td></tr>
 *   <tr><td>copy-suppression</td><td>copying score &le; {@value #COPY_SUPPRESSION_MAX}</td></tr>
 *   <tr><td>neither</td><td>in between</td></tr>
 * </table>
 * No role (null) where the copying score is null (no linear unembedding, as in BERT, or a zero OV circuit).
 */
public enum OvRole {
    COPYING("copying"),
    COPY_SUPPRESSION("copy-suppression"),
    NEITHER("neither");

    public static final double COPYING_MIN = 0.5;
    public static final double COPY_SUPPRESSION_MAX = -0.5;

    private final String key;

    OvRole(String key) {
        this.key = key;
    }

    /** The JSON / display name. */
    public String key() {
        return key;
    }

    /** The role of a copying score, or null when the score is null. */
    public static OvRole of(OptionalDouble copying) {
        if (copying.isEmpty()) {
            return null;
        }
        double c = copying.getAsDouble();
        return c >= COPYING_MIN ? COPYING : c <= COPY_SUPPRESSION_MAX ? COPY_SUPPRESSION : NEITHER;
    }

    public static String rulesText() {
        return "copying: copying score ≥ " + COPYING_MIN + "; copy-suppression: copying score ≤ "
                + COPY_SUPPRESSION_MAX + "; neither: in between; none where the copying score is null";
    }
}
