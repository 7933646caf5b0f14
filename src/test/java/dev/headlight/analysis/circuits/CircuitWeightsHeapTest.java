package dev.headlight.analysis.circuits;

import dev.headlight.analysis.Fixtures;
import dev.headlight.engine.Model;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The heap estimate the window uses to decide whether to read a model's factors before anyone asked covers what
 * {@link CircuitWeights#read} really allocates, and overshoots only by the learned positions it counts for every
 * family.
 */
class CircuitWeightsHeapTest {

    @ParameterizedTest
    @ValueSource(strings = {"gpt2-tiny", "llama-tiny", "llama-tiny-bf16-sharded", "qwen3-tiny", "gpt-neox-tiny",
            "gemma2-tiny", "phi3-tiny", "bert-tiny"})
    void theEstimateCoversTheFactorsRead(String fixture) {
        try (Model model = Model.open(Fixtures.model(fixture))) {
            CircuitWeights w = CircuitWeights.read(model);
            long floats = w.embedding().length + (w.unembedding() == null ? 0 : w.unembedding().length)
                    + (w.positions() == null ? 0 : w.positions().length);
            for (LayerFactors f : w.layers()) {
                floats += f.q().length + f.k().length + f.v().length + f.o().length;
            }
            long actual = Float.BYTES * floats;
            long estimate = CircuitWeights.heapBytes(model.config());
            var c = model.config();
            long positions = Float.BYTES * (long) c.maxPositions() * c.hidden();
            long embedding = Float.BYTES * (long) c.vocab() * c.hidden();
            assertTrue(estimate >= actual, fixture + ": estimate " + estimate + " < read " + actual);
            // BERT has no unembedding, so W_U's share is over too
            long slack = positions + (w.unembedding() == null ? embedding : 0);
            assertTrue(estimate <= actual + slack, fixture + ": estimate " + estimate + " > read " + actual
                    + " + " + slack);
        }
    }
}
