package dev.headlight.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headlight.format.safetensors.SafetensorsFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The reference fixtures in src/test/resources/fixtures (see its README.md). */
final class Fixtures {
    private Fixtures() {
    }

    static Path root() {
        try {
            return Path.of(Fixtures.class.getResource("/fixtures/index.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every model fixture listed in index.json. */
    static List<String> names() {
        try {
            JsonNode index = new ObjectMapper().readTree(root().resolve("index.json").toFile());
            List<String> names = new ArrayList<>();
            index.forEach(row -> names.add(row.get("name").asText()));
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path modelFolder(String name) {
        return root().resolve(name).resolve("model");
    }

    /** The reference outputs of one fixture, all float32 copies. */
    record Reference(int[] inputIds, float[] logits, float[] attentions, float[] residual, float[] lensLogprobs,
                     long[] attentionShape, long[] residualShape) {
    }

    static Reference reference(String name) {
        try (SafetensorsFile file = SafetensorsFile.open(root().resolve(name).resolve("reference.safetensors"))) {
            long[] ids = file.tensor("input_ids").toLongs();
            int[] inputIds = new int[ids.length];
            for (int i = 0; i < ids.length; i++) {
                inputIds[i] = Math.toIntExact(ids[i]);
            }
            return new Reference(inputIds, file.tensor("logits").toFloats(), file.tensor("attentions").toFloats(),
                    file.tensor("residual").toFloats(), file.tensor("lens_logprobs").toFloats(),
                    file.tensor("attentions").shape(), file.tensor("residual").shape());
        }
    }

    static float maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            float d = Math.abs(a[i] - b[i]);
            if (!(d <= max)) {
                max = Float.isNaN(d) ? Float.POSITIVE_INFINITY : d;
            }
        }
        return max;
    }

    /** log_softmax over each row of {@code x // [rows][width]}, in double. */
    static float[] logSoftmax(float[] x, int rows, int width) {
        float[] out = new float[x.length];
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < width; i++) {
                max = Math.max(max, x[r * width + i]);
            }
            double sum = 0;
            for (int i = 0; i < width; i++) {
                sum += Math.exp(x[r * width + i] - max);
            }
            double log = max + Math.log(sum);
            for (int i = 0; i < width; i++) {
                out[r * width + i] = (float) (x[r * width + i] - log);
            }
        }
        return out;
    }
}
