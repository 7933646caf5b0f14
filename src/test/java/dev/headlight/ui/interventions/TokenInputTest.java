package dev.headlight.ui.interventions;

import dev.headlight.engine.Model;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Token and prompt fields read as the CLI reads them, on the gpt2-tiny fixture's real tokenizer. */
class TokenInputTest {
    static Model model;

    @BeforeAll
    static void open() {
        model = Model.open(Path.of("src/test/resources/fixtures/gpt2-tiny/model"));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void hashIdsAreIdsAndOutOfRangeIdsAreRefused() {
        assertEquals(5, TokenInput.token(model, "#5", "answer"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TokenInput.token(model, "#" + model.info().vocab(), "answer"));
        assertTrue(e.getMessage().contains("outside the vocabulary"), e.getMessage());
    }

    @Test
    void aOneTokenTextIsThatToken() {
        int[] ids = model.tokenizer().encode(" the", false).ids();
        assertEquals(1, ids.length, "the fixture encodes \" the\" as one token");
        assertEquals(ids[0], TokenInput.token(model, " the", "answer"));
        // an exact vocabulary string
        String vocabString = model.tokenizer().idToToken(ids[0]);
        assertEquals(ids[0], TokenInput.token(model, vocabString, "answer"));
    }

    @Test
    void aLongerTextIsRefusedWithItsTokenCount() {
        String text = " the cat sat on the mat";
        int count = model.tokenizer().encode(text, false).ids().length;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TokenInput.token(model, text, "wrong token"));
        assertTrue(e.getMessage().contains("not one token (it encodes to " + count + ")"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TokenInput.token(model, "", "answer"));
    }

    @Test
    void promptsEncodeAsTheExplorerEncodesThem() {
        assertArrayEquals(model.tokenizer().encode("Hello world").ids(), TokenInput.prompt(model, "Hello world",
                "clean prompt"));
    }
}
