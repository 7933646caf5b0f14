package dev.headlight.analysis;

import dev.headlight.engine.AttentionMaps;
import dev.headlight.engine.Model;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-head Jensen–Shannon distances against a direct double-precision computation. */
class ComparisonTest {
    private static final Path INDUCTION = Path.of("sample-models/induction-2l");

    @Test
    void twoCheckpointsOnOnePrompt() {
        try (Model a = Model.open(INDUCTION.resolve("step-000100")); Model b = Model.open(INDUCTION.resolve("step-000800"))) {
            int[] ids = a.tokenizer().encode("KxQ7mPKxQ7mP").ids();
            Comparison.Result r = Comparison.models(a, b, ids, null);
            assertEquals(ids.length, r.alignedPositions());
            double[][] direct = direct(r.a().attentions(), r.b().attentions(), ids.length);
            double largest = 0;
            for (int l = 0; l < direct.length; l++) {
                for (int h = 0; h < direct[l].length; h++) {
                    assertEquals(direct[l][h], r.jsDistance()[l][h], 1e-5, "L" + l + "H" + h);
                    largest = Math.max(largest, r.jsDistance()[l][h]);
                }
            }
            assertTrue(largest > 0.1, "the induction head changed its pattern: " + largest);
        }
    }

    @Test
    void aModelAgainstItselfIsExactlyZero() {
        try (Model a = Model.open(INDUCTION)) {
            int[] ids = a.tokenizer().encode("abcabc").ids();
            double[][] js = Comparison.models(a, a, ids, null).jsDistance();
            for (double[] row : js) {
                for (double v : row) {
                    assertEquals(0.0, v);
                }
            }
        }
    }

    /** Two prompts of different lengths: the first min(n_a, n_b) positions, rows 1..n-1. */
    @Test
    void twoPromptsAlignOverTheShorterLength() {
        try (Model m = Model.open(INDUCTION)) {
            int[] a = m.tokenizer().encode("KxQ7mPKxQ7mP").ids();
            int[] b = m.tokenizer().encode("KxQ7mPzzQ7mPKx").ids();
            Comparison.Result r = Comparison.prompts(m, a, b, null);
            assertEquals(a.length, r.alignedPositions());
            double[][] direct = direct(r.a().attentions(), r.b().attentions(), a.length);
            for (int l = 0; l < direct.length; l++) {
                for (int h = 0; h < direct[l].length; h++) {
                    assertEquals(direct[l][h], r.jsDistance()[l][h], 1e-5, "L" + l + "H" + h);
                }
            }
        }
    }

    @Test
    void bidirectionalPromptsMustHaveTheSameLength() {
        try (Model m = Model.open(Fixtures.model("bert-tiny"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Comparison.prompts(m, new int[] {1, 2, 3}, new int[] {1, 2}, null));
            assertTrue(e.getMessage().contains("same number of tokens"), e.getMessage());
        }
    }

    /** Mean over causal rows 1..n-1 of JSD(p, q) in bits, in doubles with Math.log. */
    private static double[][] direct(AttentionMaps a, AttentionMaps b, int n) {
        double[][] out = new double[a.layers()][a.heads()];
        for (int l = 0; l < a.layers(); l++) {
            for (int h = 0; h < a.heads(); h++) {
                double sum = 0;
                for (int i = 1; i < n; i++) {
                    double jsd = 0;
                    for (int j = 0; j <= i; j++) {
                        double p = a.get(l, h, i, j);
                        double q = b.get(l, h, i, j);
                        double m = (p + q) / 2;
                        jsd += 0.5 * (xlogy(p, m) + xlogy(q, m));
                    }
                    sum += jsd / Math.log(2);
                }
                out[l][h] = sum / (n - 1);
            }
        }
        return out;
    }

    private static double xlogy(double x, double m) {
        return x > 0 ? x * Math.log(x / m) : 0;
    }
}
