package dev.headlight.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headlight.format.FormatException;
import dev.headlight.format.safetensors.SafetensorsWriter;
import dev.headlight.format.safetensors.Tensor;
import dev.headlight.format.safetensors.TensorStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Initialising, reading and writing the flat parameter array of a GPT-2 model. */
public final class GptWeights {
    private GptWeights() {
    }

    /**
     * GPT-2's initialisation: weights and embeddings normal(0, 0.02), the two residual output projections scaled by
     * 1/sqrt(2 * layers), LayerNorm gains 1, biases 0.
     */
    public static float[] initialise(GptConfig c, long seed) {
        return initialise(c, seed, false, 0.02);
    }

    /**
     * As {@link #initialise(GptConfig, long)} with two choices of starting point (the architecture is unchanged):
     * with {@code sinusoidalPositions} the learned position embeddings start from the sinusoids of "Attention is all
     * you need" (scaled to the 0.02 std of the other embeddings) instead of noise, which makes "the position before
     * me" a linear function of "my position"; {@code attentionStd} is the std of the fused q/k/v weights (GPT-2: 0.02),
     * larger values start with uneven attention patterns. Both shorten the plateau before induction heads form.
     */
    public static float[] initialise(GptConfig c, long seed, boolean sinusoidalPositions, double attentionStd) {
        ParamLayout layout = new ParamLayout(c);
        float[] p = new float[layout.total()];
        SplittableRandom random = new SplittableRandom(seed);
        double projStd = 0.02 / Math.sqrt(2.0 * c.layers());
        for (ParamLayout.Slot s : layout.slots()) {
            String n = s.name();
            if (n.endsWith("ln_1.weight") || n.endsWith("ln_2.weight") || n.endsWith("ln_f.weight")) {
                Arrays.fill(p, s.offset(), s.offset() + s.size(), 1f);
            } else if (n.endsWith(".weight")) {
                double std = n.endsWith("c_proj.weight") ? projStd : n.endsWith("c_attn.weight") ? attentionStd : 0.02;
                for (int k = 0; k < s.size(); k++) {
                    p[s.offset() + k] = (float) (gaussian(random) * std);
                }
            }
        }
        if (sinusoidalPositions) {
            int d = c.dModel();
            double amplitude = 0.02 * Math.sqrt(2);
            for (int pos = 0; pos < c.positions(); pos++) {
                for (int k = 0; k < d; k++) {
                    double freq = Math.pow(10000, -2.0 * (k / 2) / d);
                    double v = (k % 2 == 0) ? Math.sin(pos * freq) : Math.cos(pos * freq);
                    p[layout.wpe + pos * d + k] = (float) (amplitude * v);
                }
            }
        }
        return p;
    }

    static double gaussian(SplittableRandom r) {
        double u = 1.0 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** Writes model.safetensors with the Hugging Face names (no lm_head: it is tied to wte). */
    public static void writeSafetensors(GptConfig c, float[] p, Path file) throws IOException {
        ParamLayout layout = new ParamLayout(c);
        SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt");
        for (ParamLayout.Slot s : layout.slots()) {
            long[] shape = Arrays.stream(s.shape()).asLongStream().toArray();
            writer.addFloat32(s.name(), Arrays.copyOfRange(p, s.offset(), s.offset() + s.size()), shape);
        }
        writer.write(file);
    }

    /** Reads the GPT-2 shape from a folder's config.json. */
    public static GptConfig readConfig(Path folder) {
        Path file = folder.resolve("config.json");
        try {
            JsonNode n = new ObjectMapper().readTree(Files.readString(file));
            if (!"gpt2".equals(n.path("model_type").asText())) {
                throw new FormatException(file, "model_type is not gpt2");
            }
            int bos = n.path("bos_token_id").asInt(0);
            return new GptConfig(n.path("vocab_size").asInt(), n.path("n_positions").asInt(), n.path("n_embd").asInt(),
                    n.path("n_head").asInt(), n.path("n_layer").asInt(), bos, n.path("eos_token_id").asInt(bos));
        } catch (IOException e) {
            throw new FormatException(file, "cannot read: " + e.getMessage());
        }
    }

    /** Reads the weights of a GPT-2 folder (float32/16/bf16) into the flat layout of {@code c}. */
    public static float[] readWeights(GptConfig c, Path folder) {
        ParamLayout layout = new ParamLayout(c);
        float[] p = new float[layout.total()];
        try (TensorStore store = TensorStore.open(folder)) {
            for (ParamLayout.Slot s : layout.slots()) {
                if (!store.contains(s.name())) {
                    throw new FormatException(folder.resolve("model.safetensors"), "missing tensor " + s.name());
                }
                Tensor t = store.tensor(s.name());
                long[] expected = Arrays.stream(s.shape()).asLongStream().toArray();
                if (!Arrays.equals(t.shape(), expected)) {
                    throw new FormatException(t.file(), s.name() + " has shape " + Arrays.toString(t.shape())
                            + ", expected " + Arrays.toString(expected));
                }
                System.arraycopy(t.toFloats(), 0, p, s.offset(), s.size());
            }
        }
        return p;
    }
}
