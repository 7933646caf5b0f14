package dev.headlight.analysis;

import java.util.Locale;

/**
 * The six per-head attention scores. Attention A has row i = query and column j = key over tokens t_0..t_{T-1}.
 *
 * <table>
 *   <caption>Score definitions</caption>
 *   <tr><th>score</th><th>definition</th><th>absent when</th></tr>
 *   <tr><td>previous_token</td><td>mean over i &ge; 1 of A[i, i-1]</td><td>T &lt; 2</td></tr>
 *   <tr><td>first_token</td><td>mean over i &ge; 1 of A[i, 0] (attention sink)</td><td>T &lt; 2</td></tr>
 *   <tr><td>self</td><td>mean over i of A[i, i]</td><td>T = 0</td></tr>
 *   <tr><td>duplicate_token</td><td>mean, over queries i having some j &lt; i with t_j = t_i, of the sum of
 *       A[i, j] over those j</td><td>no token repeats</td></tr>
 *   <tr><td>induction</td><td>mean, over queries i having some j with 1 &le; j &lt; i and t_{j-1} = t_i, of the
 *       sum of A[i, j] over those j</td><td>no such query</td></tr>
 *   <tr><td>entropy</td><td>causal: mean over i &ge; 1 of H(A[i, 0..i]) / ln(i+1); bidirectional (BERT): mean
 *       over all i of H(A[i, 0..T-1]) / ln T (natural logarithms, 0 ln 0 = 0)</td><td>T &lt; 2</td></tr>
 * </table>
 */
public enum Score {
    PREVIOUS_TOKEN("previous token"),
    FIRST_TOKEN("first token (sink)"),
    SELF("self"),
    DUPLICATE_TOKEN("duplicate token"),
    INDUCTION("induction"),
    ENTROPY("entropy");

    private final String label;

    Score(String label) {
        this.label = label;
    }

    /** The JSON / command-line name: the constant's name in lower case, e.g. "previous_token". */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A short label for people. */
    public String label() {
        return label;
    }
}
