package dev.headlight.analysis;

import dev.headlight.engine.AttentionMaps;
import dev.headlight.format.safetensors.SafetensorsFile;
import dev.headlight.format.safetensors.Tensor;

import java.nio.file.Path;

/** The reference fixtures in src/test/resources/fixtures (the ui tests use them through a subclass). */
public class Fixtures {
    public static final Path ROOT = Path.of("src/test/resources/fixtures");

    protected Fixtures() {
    }

    public static Path model(String name) {
        return ROOT.resolve(name).resolve("model");
    }

    /** The reference input ids. */
    public static int[] referenceIds(String name) {
        try (SafetensorsFile f = SafetensorsFile.open(ROOT.resolve(name).resolve("reference.safetensors"))) {
            long[] ids = f.tensor("input_ids").toLongs();
            int[] out = new int[ids.length];
            for (int i = 0; i < ids.length; i++) {
                out[i] = Math.toIntExact(ids[i]);
            }
            return out;
        }
    }

    /** Hugging Face's attention probabilities for the reference prompt. */
    public static AttentionMaps referenceAttentions(String name) {
        try (SafetensorsFile f = SafetensorsFile.open(ROOT.resolve(name).resolve("reference.safetensors"))) {
            Tensor t = f.tensor("attentions"); // [L, H, T, T]
            int layers = (int) t.dim(0);
            int heads = (int) t.dim(1);
            int tokens = (int) t.dim(2);
            AttentionMaps maps = new AttentionMaps(layers, heads, tokens, false);
            for (int l = 0; l < layers; l++) {
                for (int h = 0; h < heads; h++) {
                    for (int i = 0; i < tokens; i++) {
                        long offset = (((long) l * heads + h) * tokens + i) * tokens;
                        maps.putRow(l, h, i, t.toFloats(offset, tokens), 0);
                    }
                }
            }
            return maps;
        }
    }

    /** A reference tensor as float32. */
    public static float[] reference(String name, String tensor) {
        try (SafetensorsFile ref = SafetensorsFile.open(ROOT.resolve(name).resolve("reference.safetensors"))) {
            return ref.tensor(tensor).toFloats();
        }
    }
}
