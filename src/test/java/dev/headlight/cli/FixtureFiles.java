package dev.headlight.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headlight.format.safetensors.DamagedModels;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Paths of the reference fixtures in the test resources. */
final class FixtureFiles {
    private FixtureFiles() {
    }

    static Path root() {
        return DamagedModels.fixtures();
    }

    static Path model(String name) {
        return root().resolve(name).resolve("model");
    }

    static Path tokenizers() {
        return root().resolve("tokenizers");
    }

    /** The model fixtures listed in index.json. */
    static List<String> modelNames() {
        try {
            List<String> names = new ArrayList<>();
            for (JsonNode row : Json.MAPPER.readTree(root().resolve("index.json").toFile())) {
                names.add(row.get("name").asText());
            }
            return names;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode reference(String name) {
        try {
            return Json.MAPPER.readTree(root().resolve(name).resolve("reference.json").toFile());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
