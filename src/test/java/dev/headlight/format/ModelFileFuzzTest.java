package dev.headlight.format;

import dev.headlight.format.config.ConfigReader;
import dev.headlight.format.safetensors.DamagedModels;
import dev.headlight.format.safetensors.SafetensorsFile;
import dev.headlight.format.tokenizer.Tokenizer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fuzzing of the readers of model files with jqwik: whatever bytes a file holds, each reader either gives a
 * result or a {@link FormatException} whose message is one line naming the file with every control character
 * escaped, never another exception, a hang or a crash. The tries per property are set in
 * junit-platform.properties (a bounded run in every build); a longer run:
 * {@code ./build test -Dtest=ModelFileFuzzTest -Djqwik.tries.default=20000}. The corpus: with
 * {@code -Dheadlight.fuzz.record=DIR} a run keeps, per property, the first input of every distinct outcome (read, or
 * refused with a message of a new shape, not already in DIR) as a JSON line in DIR/KIND.jsonl; the files committed under
 * src/test/resources/fuzz-corpus are replayed by {@link #corpusFilesReadOrRefuseCleanly} in every build, and the
 * cases found by hand are kept in {@link #corpusCasesReadOrRefuseCleanly}.
 */
class ModelFileFuzzTest {
    private static final Path DIR;
    private static final byte[] GPT2_WEIGHTS;
    private static final String GPT2_TOKENIZER;

    static {
        try {
            DIR = Files.createTempDirectory("headlight-fuzz");
            DIR.toFile().deleteOnExit();
            Path fixture = DamagedModels.fixtures().resolve("gpt2-tiny/model");
            GPT2_WEIGHTS = Files.readAllBytes(fixture.resolve("model.safetensors"));
            GPT2_TOKENIZER = Files.readString(fixture.resolve("tokenizer.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path write(String name, byte[] bytes) {
        try {
            Path dir = Files.createTempDirectory(DIR, "case");
            Path file = dir.resolve(name);
            Files.write(file, bytes);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code reader}; a failure must be a one-line FormatException naming {@code file}, escaped. Returns the
     * outcome's shape for the corpus: "read", or the message with the file and the numbers left out.
     */
    private static String readsOrRefusesCleanly(Path file, Runnable reader) {
        try {
            reader.run();
            return "read";
        } catch (FormatException e) {
            String message = e.getMessage();
            assertTrue(message.startsWith(file.toString()) || message.startsWith(file.getParent().toString()),
                    "names the file: " + message);
            for (char c : message.toCharArray()) {
                assertFalse(Character.isISOControl(c), "raw control character in: " + message);
            }
            assertFalse(message.contains("internal error"), message);
            return FuzzCorpus.shape(message.replace(file.toString(), "FILE")
                    .replace(file.getParent().toString(), "DIR"));
        } catch (RuntimeException | StackOverflowError e) {
            fail("not a FormatException: " + e, e);
            return null;
        } finally {
            removeCase(file);
        }
    }

    /**
     * Deletes a case's file and folder once it was read: a build runs ~1,100 cases (~220 MB) and a long run 20,000,
     * and deleteOnExit removes only an empty folder, so every run used to leave them all in the temp folder.
     */
    private static void removeCase(Path file) {
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.getParent());
        } catch (IOException e) {
            // best effort (a file still mapped cannot be deleted on Windows): the temp folder is the OS's to clean
        }
    }

    // ---- safetensors header

    @Property
    void safetensorsWithBytesChangedInTheHeader(@ForAll @IntRange(min = 0, max = 1500) int at,
                                                @ForAll byte value, @ForAll @IntRange(min = 1, max = 8) int count) {
        FuzzCorpus.keep("safetensors-bytes", safetensorsBytes(at, value, count), "at", at, "value", value,
                "count", count);
    }

    /** The gpt2-tiny weights with {@code count} header bytes from {@code at} (every 37th) set to {@code value}. */
    static String safetensorsBytes(int at, byte value, int count) {
        byte[] bytes = GPT2_WEIGHTS.clone();
        int headerEnd = (int) Math.min(bytes.length, 8 + ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)
                .getLong(0));
        for (int i = 0; i < count; i++) {
            int position = Math.min(at + i * 37, headerEnd - 1);
            bytes[position] = value;
        }
        Path file = write("model.safetensors", bytes);
        return readsOrRefusesCleanly(file, () -> {
            try (SafetensorsFile f = SafetensorsFile.open(file)) {
                f.tensorInfos().keySet().forEach(f::tensor);
            }
        });
    }

    @Property
    void safetensorsWithAnyHeaderText(@ForAll("jsonish") String header, @ForAll @IntRange(min = 0, max = 64) int data) {
        FuzzCorpus.keep("safetensors-header", safetensorsHeader(header, data), "header", header, "data", data);
    }

    static String safetensorsHeader(String header, int data) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + json.length + data).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(json.length).put(json);
        Path file = write("model.safetensors", out.array());
        return readsOrRefusesCleanly(file, () -> {
            try (SafetensorsFile f = SafetensorsFile.open(file)) {
                f.tensorInfos().keySet().forEach(f::tensor);
            }
        });
    }

    /** JSON-like text made of the header's own vocabulary, so the parser gets past the first bytes. */
    @Provide
    Arbitrary<String> jsonish() {
        Arbitrary<String> pieces = Arbitraries.of("{", "}", "[", "]", ":", ",", "\"", "\"t\"", "\"dtype\"",
                "\"F32\"", "\"BF16\"", "\"I8\"", "\"shape\"", "\"data_offsets\"", "\"__metadata__\"", "0", "1", "4",
                "-1", "18446744073709551615", "9223372036854775807", "1e308", "null", "true", " ", "\u001b[2J",
                "\"\\u0000\"", "{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}");
        return pieces.list().ofMaxSize(30).map(l -> String.join("", l));
    }

    // ---- config.json

    @Property
    void configWithAnySettings(@ForAll("configs") String json) {
        FuzzCorpus.keep("config", config(json), "json", json);
    }

    static String config(String json) {
        Path file = write("config.json", json.getBytes(StandardCharsets.UTF_8));
        return readsOrRefusesCleanly(file, () -> ConfigReader.read(file));
    }

    @Provide
    Arbitrary<String> configs() {
        Arbitrary<String> keys = Arbitraries.of("model_type", "hidden_size", "n_embd", "num_hidden_layers",
                "n_layer", "num_attention_heads", "n_head", "num_key_value_heads", "head_dim", "intermediate_size",
                "vocab_size", "max_position_embeddings", "rms_norm_eps", "layer_norm_epsilon", "rope_theta",
                "rope_scaling", "sliding_window", "layer_types", "hidden_act", "partial_rotary_factor",
                "tie_word_embeddings", "max_window_layers", "use_sliding_window");
        Arbitrary<String> values = Arbitraries.oneOf(
                Arbitraries.of("\"llama\"", "\"gpt2\"", "\"qwen2\"", "\"gemma2\"", "\"phi3\"", "\"bert\"",
                        "\"gpt_neox\"", "\"qwen3\"", "\"mistral\"", "\"silu\"", "null", "true", "[]", "{}",
                        "{\"rope_type\":\"llama3\",\"factor\":8}", "[\"sliding_attention\"]",
                        "\"\\u001b]0;x\\u0007\""),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.integers().between(-4, 70000).map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf));
        Arbitrary<String> entry = Combinators.combine(keys, values).as((k, v) -> "\"" + k + "\":" + v);
        return entry.list().ofMaxSize(16).map(l -> "{" + String.join(",", l) + "}");
    }

    // ---- tokenizer.json

    @Property
    void tokenizerJsonWithAPieceReplaced(@ForAll @IntRange(min = 0, max = 56000) int at,
                                         @ForAll @IntRange(min = 1, max = 40) int length,
                                         @ForAll("tokenizerPieces") String replacement) {
        FuzzCorpus.keep("tokenizer-piece", tokenizerPiece(at, length, replacement), "at", at, "length", length,
                "replacement", replacement);
    }

    /** gpt2-tiny's tokenizer.json with {@code length} characters from {@code at} replaced. */
    static String tokenizerPiece(int at, int length, String replacement) {
        int from = Math.min(at, GPT2_TOKENIZER.length());
        int to = Math.min(from + length, GPT2_TOKENIZER.length());
        String json = GPT2_TOKENIZER.substring(0, from) + replacement + GPT2_TOKENIZER.substring(to);
        Path file = write("tokenizer.json", json.getBytes(StandardCharsets.UTF_8));
        return readsOrRefusesCleanly(file, () -> Tokenizer.load(file).encode("Hello, world! 12 ünïcode\t\n"));
    }

    @Provide
    Arbitrary<String> tokenizerPieces() {
        return Arbitraries.oneOf(
                Arbitraries.of("", "null", "[]", "{}", "\"", "-1", "2147483648", "\"type\":\"Split\"",
                        "{\"type\":\"Sequence\",\"pretokenizers\":[null]}", "\"Regex\":\"(\"", "\"Regex\":\"(a*)*b\"",
                        "\"merges\":[[\"a\"]]", "\"vocab\":{\"a\":-5}", "\"added_tokens\":[{\"id\":99999999}]",
                        "\"content\":\"\"", "\"\\u001b[2J\""),
                Arbitraries.strings().ofMaxLength(12));
    }

    // ---- pre-tokenizers and the whole encode on the real tokenizer

    @Property
    void anyTextEncodesWithOffsetsInsideIt(@ForAll @StringLength(max = 200) String text) {
        FuzzCorpus.keep("text", encodeText(text), "text", text);
    }

    /** Encodes with gpt2-tiny's tokenizer; the shape of the outcome is the number of tokens' order of magnitude. */
    static String encodeText(String text) {
        Tokenizer tokenizer = Gpt2.TOKENIZER;
        var encoding = tokenizer.encode(text);
        assertEquals(encoding.ids().length, encoding.offsets().length);
        for (int[] offset : encoding.offsets()) {
            assertTrue(offset[0] >= 0 && offset[0] <= offset[1] && offset[1] <= text.length(),
                    java.util.Arrays.toString(offset) + " in a text of " + text.length());
        }
        return "tokens " + Integer.toString(encoding.ids().length).length() + " digits, first char class "
                + (text.isEmpty() ? "none" : Character.getType(text.codePointAt(0)));
    }

    @Property
    void anySplitPatternCompilesRefusesOrRunsBounded(@ForAll("patterns") String regex,
                                                    @ForAll @StringLength(max = 80) String text) {
        FuzzCorpus.keep("split", split(regex, text), "regex", regex, "text", text);
    }

    static String split(String regex, String text) {
        String json = "{\"pre_tokenizer\":{\"type\":\"Split\",\"pattern\":{\"Regex\":"
                + quote(regex) + "},\"behavior\":\"Isolated\",\"invert\":false},"
                + "\"model\":{\"type\":\"WordLevel\",\"vocab\":{\"a\":0,\"[UNK]\":1},\"unk_token\":\"[UNK]\"}}";
        Path file = write("tokenizer.json", json.getBytes(StandardCharsets.UTF_8));
        String[] encoded = {"read"};
        String outcome = readsOrRefusesCleanly(file, () -> {
            Tokenizer tokenizer = Tokenizer.load(file);
            try {
                tokenizer.encode(text);
            } catch (RuntimeException e) {
                // the budget's refusal names the pattern; anything else is a defect
                assertTrue(e.getMessage() != null && e.getMessage().contains("tokenizer.json's regex"), e.toString());
                encoded[0] = "over budget";
            }
        });
        return outcome.equals("read") ? encoded[0] : outcome;
    }

    @Provide
    Arbitrary<String> patterns() {
        return Arbitraries.of("a", "b", "(", ")", "*", "+", "?", "*?", "+?", "|", "[", "]", "^", "\\s", "\\p{L}",
                "\\d", "(?!", "(?=", "\\1", "{2,}", ".", "$").list().ofMaxSize(12).map(l -> String.join("", l));
    }

    private static String quote(String s) {
        try {
            return DamagedModelsJson.MAPPER.writeValueAsString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class DamagedModelsJson {
        static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
                new com.fasterxml.jackson.databind.ObjectMapper();
    }

    private static final class Gpt2 {
        static final Tokenizer TOKENIZER = Tokenizer.load(DamagedModels.fixtures().resolve("gpt2-tiny/model"));
    }

    // ---- the corpus: cases earlier runs found, kept as regression tests

    /** Every case in src/test/resources/fuzz-corpus, through the same check as the property that found it. */
    @Example
    void corpusFilesReadOrRefuseCleanly() {
        int cases = 0;
        for (var c : FuzzCorpus.cases("safetensors-bytes")) {
            safetensorsBytes(c.get("at").asInt(), (byte) c.get("value").asInt(), c.get("count").asInt());
            cases++;
        }
        for (var c : FuzzCorpus.cases("safetensors-header")) {
            safetensorsHeader(c.get("header").asText(), c.get("data").asInt());
            cases++;
        }
        for (var c : FuzzCorpus.cases("config")) {
            config(c.get("json").asText());
            cases++;
        }
        for (var c : FuzzCorpus.cases("tokenizer-piece")) {
            tokenizerPiece(c.get("at").asInt(), c.get("length").asInt(), c.get("replacement").asText());
            cases++;
        }
        for (var c : FuzzCorpus.cases("text")) {
            encodeText(c.get("text").asText());
            cases++;
        }
        for (var c : FuzzCorpus.cases("split")) {
            split(c.get("regex").asText(), c.get("text").asText());
            cases++;
        }
        assertTrue(cases >= 150, "the committed corpus has " + cases + " cases");
    }

    @Example
    void corpusCasesReadOrRefuseCleanly() {
        List<String> configs = List.of(
                "{\"model_type\":\"llama\",\"hidden_size\":64,\"num_hidden_layers\":2,\"num_attention_heads\":4,"
                        + "\"intermediate_size\":8,\"vocab_size\":10,\"head_dim\":1073741828}",
                "{\"model_type\":\"\\u001b]0;owned\\u0007\"}");
        for (String json : configs) {
            Path file = write("config.json", json.getBytes(StandardCharsets.UTF_8));
            readsOrRefusesCleanly(file, () -> ConfigReader.read(file));
        }
        List<String> tokenizers = List.of(
                // id 2^31 - 1 wrapped the id table's size: "unusable tokenizer: ArrayIndexOutOfBoundsException"
                "{\"model\":{\"type\":\"WordLevel\",\"vocab\":{\"a\":2147483647,\"[UNK]\":0},"
                        + "\"unk_token\":\"[UNK]\"}}",
                "{\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0,\"b\":1073741824},\"merges\":[]}}");
        for (String json : tokenizers) {
            Path file = write("tokenizer.json", json.getBytes(StandardCharsets.UTF_8));
            readsOrRefusesCleanly(file, () -> Tokenizer.load(file).encode("a b"));
        }
    }
}
