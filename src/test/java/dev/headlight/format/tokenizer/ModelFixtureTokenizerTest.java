package dev.headlight.format.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each model fixture's tokenizer.json gives the input_ids and tokens its reference.json was computed from. */
class ModelFixtureTokenizerTest {

    static List<String> models() {
        return Fixtures.dirs(Fixtures.ROOT).stream()
                .filter(d -> Files.exists(d.resolve("reference.json")))
                .map(d -> d.getFileName().toString())
                .toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void encodesThePromptLikeTheReference(String model) {
        Path dir = Fixtures.ROOT.resolve(model);
        JsonNode reference = Fixtures.read(dir.resolve("reference.json"));
        Tokenizer tokenizer = Fixtures.tokenizer(dir.resolve("model/tokenizer.json"));
        Encoding e = tokenizer.encode(reference.get("prompt").asText());
        assertArrayEquals(Fixtures.ints(reference.get("input_ids")), e.ids(), "input_ids");
        assertArrayEquals(Fixtures.strings(reference.get("tokens")), e.tokens(), "tokens");
    }

    @Test
    void everyModelFixtureIsCovered() {
        // nine models are described in fixtures/README.md; a missing one would silently shrink the test above
        assertEquals(9, models().size(), "model fixtures found: " + models());
    }
}
