package dev.headlight.format.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every case of fixtures/tokenizers/<kind>/cases.json, recorded from the tokenizers library. */
class TokenizerCasesTest {

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Path dir : Fixtures.dirs(Fixtures.TOKENIZERS)) {
            String kind = dir.getFileName().toString();
            int i = 0;
            for (JsonNode c : Fixtures.read(dir.resolve("cases.json"))) {
                out.add(Arguments.of(Named.of(kind + " #" + i++ + " " + Fixtures.label(c.get("text").asText()), kind), c));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void encodesAndDecodesLikeTheLibrary(String kind, JsonNode c) {
        Tokenizer tokenizer = Fixtures.kind(kind);
        String text = c.get("text").asText();
        Encoding e = tokenizer.encode(text);
        assertArrayEquals(Fixtures.ints(c.get("ids")), e.ids(), "ids");
        assertArrayEquals(Fixtures.strings(c.get("tokens")), e.tokens(), "tokens");
        // "decoded" was recorded with special tokens kept (skip_special_tokens=False)
        assertEquals(c.get("decoded").asText(), tokenizer.decode(e.ids(), false), "decoded");
    }
}
