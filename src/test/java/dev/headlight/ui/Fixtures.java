package dev.headlight.ui;

import dev.headlight.format.safetensors.SafetensorsFile;

import java.nio.file.Path;

/** Paths and reference tensors of the reference fixtures (tiny real models). */
final class Fixtures {
    static final Path ROOT = Path.of("src/test/resources/fixtures");

    private Fixtures() {
    }

    static Path model(String name) {
        return ROOT.resolve(name).resolve("model");
    }

    /** The reference ids, as int. */
    static int[] referenceIds(String name) {
        try (SafetensorsFile ref = SafetensorsFile.open(ROOT.resolve(name).resolve("reference.safetensors"))) {
            long[] ids = ref.tensor("input_ids").toLongs();
            int[] out = new int[ids.length];
            for (int i = 0; i < ids.length; i++) {
                out[i] = Math.toIntExact(ids[i]);
            }
            return out;
        }
    }

    /** A reference tensor as float32. */
    static float[] reference(String name, String tensor) {
        try (SafetensorsFile ref = SafetensorsFile.open(ROOT.resolve(name).resolve("reference.safetensors"))) {
            return ref.tensor(tensor).toFloats();
        }
    }
}
