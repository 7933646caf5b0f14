package dev.headlight.format.tokenizer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headlight.format.FormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Damaged tokenizer.json files give one-line FormatExceptions naming the file and the problem. */
class TokenizerFormatErrorTest {
    @TempDir
    Path dir;

    private static final String VALID_BPE = """
            {"added_tokens": [], "normalizer": null, "pre_tokenizer": null, "post_processor": null, "decoder": null,
             "model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b"]}}""";

    private FormatException loadFails(String json) throws IOException {
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, json, StandardCharsets.UTF_8);
        FormatException e = assertThrows(FormatException.class, () -> Tokenizer.load(file));
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e;
    }

    @Test
    void theValidBaseFileLoads() throws IOException {
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, VALID_BPE, StandardCharsets.UTF_8);
        assertTrue(java.util.Arrays.equals(new int[] {2, 0}, Tokenizer.load(file).encode("aba").ids()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            invalid JSON            | {"model": {"type": "BPE", | is not valid JSON at line 1, column
            truncated file          | {"model": {"type": "BPE", "vocab": {"a": 0}, "merges": [] | is not valid JSON at line 1, column
            top level not an object | [1, 2, 3] | not a tokenizer.json
            no model                | {"added_tokens": []} | missing "model"
            unknown model type      | {"model": {"type": "Magic", "vocab": {}}} | unknown model type 'Magic'
            missing vocab           | {"model": {"type": "BPE", "merges": []}} | no "vocab"
            vocab of wrong shape    | {"model": {"type": "WordPiece", "vocab": [1, 2]}} | "vocab" is not an object
            merge outside vocab     | {"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a z"]}} | 'z' which is not in the vocabulary
            merge of three tokens   | {"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a a a"]}} | is not two tokens
            unknown normalizer      | {"normalizer": {"type": "Shout"}, "model": {"type": "WordLevel", "vocab": {"a": 0}}} | unsupported normalizer 'Shout'
            bad regex               | {"pre_tokenizer": {"type": "Split", "pattern": {"Regex": "(["}, "behavior": "Isolated"}, "model": {"type": "WordLevel", "vocab": {"a": 0}}} | bad regex
            unigram entry malformed | {"model": {"type": "Unigram", "unk_id": 0, "vocab": [["a", -1.0], ["b"]]}} | Unigram vocab entry 2 is not [piece, score]
            merge pair malformed    | {"model": {"type": "BPE", "vocab": {"a": 0}, "merges": [["a"]]}} | merge 1 is neither
            vocab id not a number   | {"model": {"type": "BPE", "vocab": {"a": "zero"}, "merges": []}} | vocab entry 'a' has no valid id
            unigram unk outside     | {"model": {"type": "Unigram", "unk_id": 9, "vocab": [["a", -1.0]]}} | unk_id 9 is outside
            template without token  | {"post_processor": {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}], "special_tokens": {}}, "model": {"type": "WordLevel", "vocab": {"a": 0}}} | missing from special_tokens
            """)
    void damagedFileIsReported(String what, String json, String problem) throws IOException {
        FormatException e = loadFails(json);
        assertTrue(e.getMessage().contains(problem), what + ": " + e.getMessage());
        assertFalse(e.getMessage().contains("Source:") || e.getMessage().contains("StreamReadFeature"),
                "parser internals in " + e.getMessage());
    }

    @Test
    void missingFileIsReported() {
        Path file = dir.resolve("absent/tokenizer.json");
        FormatException e = assertThrows(FormatException.class, () -> Tokenizer.load(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void emptyFileIsReported() throws IOException {
        assertTrue(loadFails("").getMessage().contains("tokenizer.json"));
    }

    @Test
    void specialFilesAreRefusedWithoutReading() throws IOException {
        Path pipe = dir.resolve("pipe/tokenizer.json");
        Files.createDirectories(pipe.getParent());
        dev.headlight.format.safetensors.DamagedModels.namedPipe(pipe);
        FormatException e = assertThrows(FormatException.class, () -> Tokenizer.load(pipe));
        assertTrue(e.getMessage().startsWith(pipe + ": is not a regular file"), e.getMessage());
        Path zero = dir.resolve("zero/tokenizer.json");
        Files.createDirectories(zero.getParent());
        dev.headlight.format.safetensors.DamagedModels.linkToDevZero(zero);
        e = assertThrows(FormatException.class, () -> Tokenizer.load(zero.getParent()));
        assertTrue(e.getMessage().startsWith(zero + ": is not a regular file"), e.getMessage());
    }
}
