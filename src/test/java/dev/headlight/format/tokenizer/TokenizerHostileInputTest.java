package dev.headlight.format.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tokenizer.json files made to hurt: regexes that backtrack exponentially or recurse once per character, and
 * files with 100k added tokens. Each either works or is refused with a line naming the pattern; none hangs.
 * The timeouts guard against a hang (minutes before the fix), they are not speed claims.
 */
class TokenizerHostileInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Tokenizer splitTokenizer(String regex) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "Split");
        pre.putObject("pattern").put("Regex", regex);
        pre.put("behavior", "Isolated");
        pre.put("invert", false);
        ObjectNode model = root.putObject("model");
        model.put("type", "WordLevel");
        model.putObject("vocab").put("a", 0).put("b", 1).put("[UNK]", 2);
        model.put("unk_token", "[UNK]");
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, JSON.writeValueAsString(root));
        return Tokenizer.load(file);
    }

    @ParameterizedTest(name = "{0}")
    @Timeout(120)
    @CsvSource(delimiter = ';', textBlock = """
            nested lazy quantifiers         ; (a*?)*?c           ; 40
            alternation repeated as a group ; (?:a|b)+           ; 60000
            backreference blow-up           ; (a|aa)*\\1c        ; 60
            """)
    void costlyPatternsAreRefusedNamingThePattern(String what, String regex, int length) throws IOException {
        Tokenizer tokenizer = splitTokenizer(regex);
        String prompt = "a".repeat(length);
        RuntimeException e = assertThrows(RuntimeException.class, () -> tokenizer.encode(prompt));
        assertTrue(e instanceof RegexBudget.TooCostly, what + ": " + e);
        assertTrue(e.getMessage().contains("'" + regex + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
    }

    @Test
    void aCheapPatternStillTokenizesALongPrompt() throws IOException {
        Tokenizer tokenizer = splitTokenizer("a|b");
        int[] ids = tokenizer.encode("ab".repeat(30_000)).ids();
        assertEquals(60_000, ids.length);
        assertEquals(0, ids[0]);
        assertEquals(1, ids[59_999]);
    }

    @Test
    @Timeout(120)
    void hundredThousandAddedTokensLoadAndMatch() throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode added = root.putArray("added_tokens");
        int count = 100_000;
        for (int i = 0; i < count; i++) {
            ObjectNode t = added.addObject();
            t.put("id", 3 + i);
            t.put("content", "<extra_" + i + ">");
            t.put("special", i % 2 == 0);
        }
        ObjectNode model = root.putObject("model");
        model.put("type", "WordLevel");
        model.putObject("vocab").put("a", 0).put("b", 1).put("[UNK]", 2);
        model.put("unk_token", "[UNK]");
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, JSON.writeValueAsString(root));
        Tokenizer tokenizer = Tokenizer.load(file);
        assertEquals(3 + count, tokenizer.vocabSize());
        int[] ids = tokenizer.encode("<extra_99999><extra_1>a<extra_5").ids();
        // the added tokens are found longest-first; "a<extra_5" is one unknown word (no pre-tokenizer)
        assertArrayEquals(new int[] {3 + 99_999, 3 + 1, 2}, ids);
    }
}
