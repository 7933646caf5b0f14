package dev.headlight.analysis;

import dev.headlight.engine.Model;
import dev.headlight.engine.RunOptions;
import dev.headlight.format.safetensors.SafetensorsWriter;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A one-layer GPT-2 whose head 0 attends exactly {@code offset} tokens back through its position embeddings alone
 * (token embeddings are zero): with the offset equal to a probe period (or one less) a single-period probe calls it
 * duplicate-token (or induction); the multi-period probe calls it positional.
 */
class PositionalHeadTest {
    static final int D = 64;
    static final int POSITIONS = 128;

    @ParameterizedTest
    @ValueSource(ints = {15, 19, 20})
    void aFixedOffsetHeadIsPositionalNotInduction(int offset, @TempDir Path dir) throws IOException {
        writeModel(dir, offset);
        try (Model model = Model.open(dir)) {
            int[] single = Probe.ids(null, model.info().vocab(), 3, offset == 19 ? 20 : offset);
            HeadScores onOnePeriod = HeadScoring.score(model.run(single, RunOptions.exact()).attentions().head(0, 0),
                    single, true);
            HeadKind fooled = HeadKind.classify(onOnePeriod);
            assertEquals(offset == 19 ? HeadKind.INDUCTION : HeadKind.DUPLICATE_TOKEN, fooled,
                    "one period alone is fooled: " + onOnePeriod);

            HeadAnalysisResult r = HeadAnalysis.analyze(model, model.run(new int[]{1, 2, 3, 4}, RunOptions.exact()),
                    ProbeOptions.defaults());
            HeadReport head = r.report(0, 0);
            assertEquals(HeadKind.POSITIONAL, head.kind());
            assertEquals(offset, head.positionalOffset().getAsInt());
            assertEquals("positional (offset " + offset + ")", head.kindLabel());
            assertTrue(HeadAnalysis.kinds(model, null)[0][0].kind() == HeadKind.POSITIONAL);
            // the content-blind second head (zero q/k: uniform attention) is not positional
            assertTrue(r.report(0, 1).positionalOffset().isEmpty());
        }
    }

    /** Position i as (cos, sin) of 2 pi i / 128 (and their negatives: zero mean for the LayerNorm). */
    static void writeModel(Path dir, int offset) throws IOException {
        int vocab = 64;
        float[] wpe = new float[POSITIONS * D];
        for (int i = 0; i < POSITIONS; i++) {
            double phi = 2 * Math.PI * i / POSITIONS;
            wpe[i * D] = (float) Math.cos(phi);
            wpe[i * D + 1] = (float) Math.sin(phi);
            wpe[i * D + 2] = (float) -Math.cos(phi);
            wpe[i * D + 3] = (float) -Math.sin(phi);
        }
        // head 0: q = a (x0, x1), k = a Rot(psi) (x0, x1), so q_i . k_j ~ cos(phi_i - phi_j - psi): largest at i - j =
        // offset; a = 34 leaves a logit margin of ~8 to the neighbouring keys
        float a = 34f;
        double psi = 2 * Math.PI * offset / POSITIONS;
        float[] cAttn = new float[D * 3 * D]; // Conv1D [in][q|k|v]
        cAttn[0 * 3 * D] = a;
        cAttn[1 * 3 * D + 1] = a;
        cAttn[0 * 3 * D + D] = (float) (a * Math.cos(psi));
        cAttn[1 * 3 * D + D] = (float) (-a * Math.sin(psi));
        cAttn[0 * 3 * D + D + 1] = (float) (a * Math.sin(psi));
        cAttn[1 * 3 * D + D + 1] = (float) (a * Math.cos(psi));
        float[] ones = new float[D];
        java.util.Arrays.fill(ones, 1f);
        new SafetensorsWriter()
                .addFloat32("transformer.wte.weight", new float[vocab * D], vocab, D)
                .addFloat32("transformer.wpe.weight", wpe, POSITIONS, D)
                .addFloat32("transformer.h.0.ln_1.weight", ones, D)
                .addFloat32("transformer.h.0.ln_1.bias", new float[D], D)
                .addFloat32("transformer.h.0.attn.c_attn.weight", cAttn, D, 3 * D)
                .addFloat32("transformer.h.0.attn.c_attn.bias", new float[3 * D], 3 * D)
                .addFloat32("transformer.h.0.attn.c_proj.weight", new float[D * D], D, D)
                .addFloat32("transformer.h.0.attn.c_proj.bias", new float[D], D)
                .addFloat32("transformer.h.0.ln_2.weight", ones, D)
                .addFloat32("transformer.h.0.ln_2.bias", new float[D], D)
                .addFloat32("transformer.h.0.mlp.c_fc.weight", new float[D * 4 * D], D, 4 * D)
                .addFloat32("transformer.h.0.mlp.c_fc.bias", new float[4 * D], 4 * D)
                .addFloat32("transformer.h.0.mlp.c_proj.weight", new float[4 * D * D], 4 * D, D)
                .addFloat32("transformer.h.0.mlp.c_proj.bias", new float[D], D)
                .addFloat32("transformer.ln_f.weight", ones, D)
                .addFloat32("transformer.ln_f.bias", new float[D], D)
                .write(dir.resolve("model.safetensors"));
        Files.writeString(dir.resolve("config.json"), """
                {"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"], "n_embd": %d, "n_head": 2,
                 "n_layer": 1, "n_positions": %d, "vocab_size": %d, "layer_norm_epsilon": 1e-5,
                 "activation_function": "gelu_new", "tie_word_embeddings": true}
                """.formatted(D, POSITIONS, vocab));
    }
}
