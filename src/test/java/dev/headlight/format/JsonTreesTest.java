package dev.headlight.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** JsonTrees gives the tree ObjectMapper.readTree gives (the reference), without an ObjectMapper. */
class JsonTreesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectMapper STRICT_MAPPER = JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    @ParameterizedTest
    @ValueSource(strings = {
            "{}", "[]", "null", "true", "\"text\"", "0", "-7", "2147483647", "2147483648", "-9223372036854775808",
            "123456789012345678901234567890", "1e-5", "1.0", "-0.0", "6.02214076e23", "1E400",
            "{\"a\": [1, 2.5, \"x\", null, false, {\"b\": {}}], \"c\": \"\\u00e9\\n\"}",
            "[[[[]]], {\"k\": [{}]}]", "{\"a\": 1} trailing", "  {\"padded\": true}        "})
    void sameTreeAsObjectMapper(String json) throws JsonProcessingException {
        JsonNode expected = MAPPER.readTree(json);
        JsonNode actual = JsonTrees.parse(json, false);
        assertEquals(expected, actual, json);
        assertEquals(expected.getNodeType(), actual.getNodeType(), json);
        if (expected.isNumber()) {
            assertEquals(expected.numberType(), actual.numberType(), json);
        }
    }

    @Test
    void everyFixtureConfigAndSafetensorsHeaderReadsAsObjectMapperReadsIt() throws IOException {
        Path fixtures = Path.of("src/test/resources/fixtures");
        List<Path> configs = new ArrayList<>();
        List<Path> weights = new ArrayList<>();
        try (Stream<Path> files = Files.walk(fixtures)) {
            files.forEach(p -> {
                String name = p.getFileName().toString();
                if (name.equals("config.json")) {
                    configs.add(p);
                } else if (name.endsWith(".safetensors")) {
                    weights.add(p);
                }
            });
        }
        assertTrue(configs.size() >= 9 && weights.size() >= 9, configs + " " + weights);
        for (Path config : configs) {
            String text = Files.readString(config);
            assertEquals(MAPPER.readTree(text), JsonTrees.parse(text, false), config.toString());
        }
        for (Path file : weights) {
            byte[] bytes = Files.readAllBytes(file);
            long length = java.nio.ByteBuffer.wrap(bytes, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
            String header = new String(bytes, 8, (int) length, StandardCharsets.UTF_8);
            assertEquals(STRICT_MAPPER.readTree(header), JsonTrees.parse(header, true), file.toString());
        }
    }

    @Test
    void readingFromAParserGivesEachValueAsObjectMapperDoes() throws IOException {
        // as TokenizerJson reads tokenizer.json: field by field, each value as a tree
        List<Path> tokenizers;
        try (Stream<Path> files = Files.walk(Path.of("src/test/resources/fixtures"))) {
            tokenizers = files.filter(p -> p.getFileName().toString().equals("tokenizer.json")).toList();
        }
        assertTrue(tokenizers.size() >= 9, tokenizers.toString());
        com.fasterxml.jackson.core.JsonFactory factory = new com.fasterxml.jackson.core.JsonFactory();
        for (Path file : tokenizers) {
            String text = Files.readString(file);
            JsonNode expected = MAPPER.readTree(text);
            try (com.fasterxml.jackson.core.JsonParser p = factory.createParser(text)) {
                assertEquals(com.fasterxml.jackson.core.JsonToken.START_OBJECT, p.nextToken());
                int fields = 0;
                while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    assertEquals(expected.get(name), JsonTrees.read(p), file + " " + name);
                    fields++;
                }
                assertEquals(expected.size(), fields, file.toString());
            }
        }
    }

    @Test
    void duplicateKeysLastWinsUnlessStrict() throws JsonProcessingException {
        String json = "{\"a\": 1, \"b\": {\"c\": 2, \"c\": 3}, \"a\": 4}";
        assertEquals(MAPPER.readTree(json), JsonTrees.parse(json, false));
        JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> JsonTrees.parse(json, true));
        JsonProcessingException reference = assertThrows(JsonProcessingException.class,
                () -> STRICT_MAPPER.readTree(json));
        assertEquals(reference.getOriginalMessage(), e.getOriginalMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"a\": }", "[1, 2", "{\"a\" 1}", "nul", "{'a': 1}", "[1,]", "\"open"})
    void malformedJsonFailsWithTheParsersReason(String json) {
        JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> JsonTrees.parse(json, false));
        assertTrue(e.getOriginalMessage() != null && !e.getOriginalMessage().isBlank(), json);
        assertThrows(JsonProcessingException.class, () -> MAPPER.readTree(json), "the reference refuses it too");
    }

    @Test
    void emptyTextIsNoValue() throws JsonProcessingException {
        assertNull(JsonTrees.parse("", false));
        assertNull(JsonTrees.parse("   \n", true));
        assertTrue(MAPPER.readTree("").isMissingNode()); // the reference's "nothing", which callers refuse alike
    }
}
