package dev.headlight.analysis;

import dev.headlight.engine.Model;
import dev.headlight.engine.RunOptions;
import dev.headlight.engine.Trace;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lens top-k and target ranks against Hugging Face's lens log-probabilities of the fixtures. */
class LogitLensFixtureTest {

    @ParameterizedTest
    @ValueSource(strings = {"gpt2-tiny", "llama-tiny", "gemma2-tiny", "bert-tiny"})
    void topKAndRanksMatchTheReference(String name) {
        int[] ids = Fixtures.referenceIds(name);
        float[] reference = Fixtures.reference(name, "lens_logprobs"); // [L+1][T][V]
        try (Model model = Model.open(Fixtures.model(name))) {
            Trace trace = model.run(ids, RunOptions.display());
            LogitLens lens = LogitLens.compute(model, trace, 5, null);
            int rows = lens.rows();
            int tokens = ids.length;
            int vocab = reference.length / (rows * tokens);
            assertEquals(model.info().layers() + 1, rows);
            int[] targets = LogitLens.targets(ids, model.info().causal());
            for (int l = 0; l < rows; l++) {
                for (int t = 0; t < tokens; t++) {
                    int base = (l * tokens + t) * vocab;
                    // every listed probability is the reference's, and they come in the reference's order
                    for (int i = 0; i < lens.k(); i++) {
                        int id = lens.topIds()[l][t][i];
                        assertEquals(Math.exp(reference[base + id]), lens.topProbs()[l][t][i], 2e-3,
                                name + " layer " + l + " token " + t + " rank " + (i + 1));
                        if (i > 0) {
                            int previous = lens.topIds()[l][t][i - 1];
                            assertTrue(reference[base + previous] >= reference[base + id] - 2e-3);
                        }
                    }
                    // no token outside the list beats the k-th by more than the tolerance
                    float kth = reference[base + lens.topIds()[l][t][lens.k() - 1]];
                    for (int v = 0; v < vocab; v++) {
                        assertTrue(reference[base + v] <= kth + 2e-3 || contains(lens.topIds()[l][t], v));
                    }
                    if (targets[t] >= 0) {
                        assertEquals(Math.exp(reference[base + targets[t]]), lens.targetProb()[l][t], 2e-3);
                        int better = 0;
                        for (int v = 0; v < vocab; v++) {
                            if (reference[base + v] > reference[base + targets[t]] + 2e-3) {
                                better++;
                            }
                        }
                        assertTrue(lens.targetRank()[l][t] >= better + 1, "rank not better than the reference");
                    } else {
                        assertEquals(0, lens.targetRank()[l][t]);
                    }
                }
            }
        }
    }

    private static boolean contains(int[] ids, int id) {
        for (int i : ids) {
            if (i == id) {
                return true;
            }
        }
        return false;
    }
}
