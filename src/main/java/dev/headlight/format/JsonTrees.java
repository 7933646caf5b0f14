package dev.headlight.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Reads JSON text into a {@link JsonNode} tree with jackson-core's streaming parser and the tree node classes
 * alone, giving the tree {@code ObjectMapper.readTree} gives. Why: an ObjectMapper's first use loads and
 * initialises its serializer and deserializer machinery, ~0.25 s in a fresh JVM on a busy machine, which was a
 * third of Model.open; config.json and safetensors headers need none of it.
 */
public final class JsonTrees {
    private static final JsonFactory LENIENT = JsonFactory.builder().build();
    private static final JsonFactory STRICT = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonTrees() {
    }

    /**
     * The first JSON value of {@code json} as a tree (what follows it is not read, as ObjectMapper.readTree), or
     * null for empty text. With {@code strictDuplicates} a repeated object key is an error (safetensors'
     * reference parser refuses it); without, the last value wins.
     *
     * @throws JsonProcessingException for malformed JSON; {@code getOriginalMessage()} says what is wrong
     */
    public static JsonNode parse(String json, boolean strictDuplicates) throws JsonProcessingException {
        try (JsonParser p = (strictDuplicates ? STRICT : LENIENT).createParser(json)) {
            JsonToken first = p.nextToken();
            return first == null ? null : value(p, first);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a String source does no I/O
        }
    }

    /**
     * The one JSON value that is the whole of {@code json}: only JSON whitespace may follow it (the safetensors
     * writer pads its header with spaces), anything else is an error, as serde_json::from_str, which the
     * safetensors reference parser uses, decides. Null for text that is empty or only whitespace.
     *
     * @throws JsonProcessingException for malformed JSON or trailing data, with its line and column
     */
    public static JsonNode parseWhole(String json, boolean strictDuplicates) throws JsonProcessingException {
        try (JsonParser p = (strictDuplicates ? STRICT : LENIENT).createParser(json)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return null;
            }
            JsonNode value = value(p, first);
            if (p.nextToken() != null) {
                throw new JsonParseException(p, "trailing data after the JSON value");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a String source does no I/O
        }
    }

    /**
     * The value at the parser's current token as a tree, leaving the parser on its last token (what
     * {@code JsonParser.readValueAsTree} does with an ObjectMapper as codec).
     */
    public static JsonNode read(JsonParser p) throws IOException {
        JsonToken token = p.currentToken();
        if (token == null) {
            throw new IllegalStateException("the parser has no current token");
        }
        return value(p, token);
    }

    private static JsonNode value(JsonParser p, JsonToken token) throws IOException {
        return switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    object.set(name, value(p, p.nextToken()));
                }
                yield object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    array.add(value(p, t));
                }
                yield array;
            }
            case VALUE_STRING -> NODES.textNode(p.getText());
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> NODES.numberNode(p.getIntValue());
                case LONG -> NODES.numberNode(p.getLongValue());
                default -> NODES.numberNode(p.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new IllegalStateException("unexpected JSON token " + token);
        };
    }
}
