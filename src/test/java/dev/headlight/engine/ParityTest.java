package dev.headlight.engine;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every reference fixture: the engine's attentions, residual stream, logits and logit-lens log-probabilities
 * match Hugging Face transformers within the fixtures' tolerances.
 */
class ParityTest {
    static final float ATTENTION_TOLERANCE = 1e-4f;
    static final float TOLERANCE = 2e-3f;

    static List<String> fixtures() {
        return Fixtures.names();
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void matchesTransformers(String name) {
        Fixtures.Reference ref = Fixtures.reference(name);
        try (Model model = Model.open(Fixtures.modelFolder(name))) {
            Trace trace = model.run(ref.inputIds(), RunOptions.exact());
            int tokens = ref.inputIds().length;
            int vocab = model.info().vocab();
            assertEquals(ref.attentionShape()[0], trace.layers());
            assertEquals(ref.attentionShape()[1], trace.heads());
            assertArrayEquals(new long[]{trace.layers() + 1, tokens, trace.hidden()}, ref.residualShape());

            float attention = Fixtures.maxAbsDiff(trace.attentions().toFloats(), ref.attentions());
            float residual = Fixtures.maxAbsDiff(trace.residual(), ref.residual());
            float logits = Fixtures.maxAbsDiff(trace.logits(), ref.logits());
            float[] lens = new float[ref.lensLogprobs().length];
            int hidden = trace.hidden();
            for (int l = 0; l <= trace.layers(); l++) {
                float[] h = Arrays.copyOfRange(trace.residual(), l * tokens * hidden, (l + 1) * tokens * hidden);
                float[] lp = Fixtures.logSoftmax(model.outputHead(h, tokens), tokens, vocab);
                System.arraycopy(lp, 0, lens, l * tokens * vocab, tokens * vocab);
            }
            float lensError = Fixtures.maxAbsDiff(lens, ref.lensLogprobs());
            System.out.printf("parity %-24s attentions %.2e  residual %.2e  logits %.2e  lens %.2e%n",
                    name, attention, residual, logits, lensError);
            assertTrue(attention <= ATTENTION_TOLERANCE, name + " attentions off by " + attention);
            assertTrue(residual <= TOLERANCE, name + " residual off by " + residual);
            assertTrue(logits <= TOLERANCE, name + " logits off by " + logits);
            assertTrue(lensError <= TOLERANCE, name + " lens log-probs off by " + lensError);
        }
    }
}
