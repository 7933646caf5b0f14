package dev.headlight.format.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tokenizer.json variants of variants/ (made by make_variants.py), each case recorded from the tokenizers
 * library: Unigram, WordPiece chains, added-token flags, the o200k regex, split behaviors, BPE with suffix or
 * prefix, Metaspace pre-tokenizers, and texts in many scripts, emoji and whitespace runs; unseen_<kind> runs the
 * five fixture kinds on random texts from every Unicode plane.
 */
class TokenizerVariantsTest {
    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Path dir : Fixtures.dirs(Fixtures.VARIANTS)) {
            String variant = dir.getFileName().toString();
            int i = 0;
            for (JsonNode c : Fixtures.read(dir.resolve("cases.json"))) {
                out.add(Arguments.of(Named.of(variant + " #" + i++ + " " + Fixtures.label(c.get("text").asText()),
                        variant), c));
            }
        }
        return out;
    }

    /** A variant's own tokenizer.json, or (unseen_<kind>) the fixture kind named in fixture.txt. */
    private static Path tokenizerJson(Path dir) {
        Path own = dir.resolve("tokenizer.json");
        if (Files.exists(own)) {
            return own;
        }
        try {
            return Fixtures.TOKENIZERS.resolve(Files.readString(dir.resolve("fixture.txt")).strip()).resolve("tokenizer.json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTheLibrary(String variant, JsonNode c) {
        Tokenizer tokenizer = Fixtures.tokenizer(tokenizerJson(Fixtures.VARIANTS.resolve(variant)));
        String text = c.get("text").asText();
        Encoding e = tokenizer.encode(text);
        assertArrayEquals(Fixtures.ints(c.get("ids")), e.ids(), "ids");
        assertArrayEquals(Fixtures.strings(c.get("tokens")), e.tokens(), "tokens");
        assertArrayEquals(Fixtures.ints(c.get("ids_without_special")), tokenizer.encode(text, false).ids(),
                "ids without special tokens");
        assertEquals(c.get("decoded").asText(), tokenizer.decode(e.ids(), false), "decoded");
        assertEquals(c.get("decoded_skip_special").asText(), tokenizer.decode(e.ids(), true),
                "decoded skipping special tokens");
        JsonNode offsets = c.get("offsets");
        for (int i = 0; i < e.length(); i++) {
            // the library reports code point offsets; Encoding has UTF-16 offsets
            int start = text.offsetByCodePoints(0, offsets.get(i).get(0).asInt());
            int end = text.offsetByCodePoints(0, offsets.get(i).get(1).asInt());
            assertArrayEquals(new int[] {start, end}, e.offsets()[i], "offsets of token " + i);
        }
    }
}
