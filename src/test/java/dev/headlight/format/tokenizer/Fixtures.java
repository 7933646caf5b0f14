package dev.headlight.format.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** Test fixtures: the tokenizer kinds, the model folders and the recorded variants, all inside the project. */
final class Fixtures {
    static final Path ROOT = Path.of("src/test/resources/fixtures");
    static final Path TOKENIZERS = ROOT.resolve("tokenizers");
    static final Path VARIANTS = Path.of("src/test/resources/dev/headlight/format/tokenizer/variants");
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Path, Tokenizer> LOADED = new ConcurrentHashMap<>();

    private Fixtures() {
    }

    static Tokenizer tokenizer(Path tokenizerJson) {
        return LOADED.computeIfAbsent(tokenizerJson, Tokenizer::load);
    }

    static Tokenizer kind(String kind) {
        return tokenizer(TOKENIZERS.resolve(kind).resolve("tokenizer.json"));
    }

    static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> dirs(Path parent) {
        try (Stream<Path> s = Files.list(parent)) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    static String[] strings(JsonNode array) {
        String[] out = new String[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asText();
        }
        return out;
    }

    /** A short printable form of a text for test names. */
    static String label(String text) {
        StringBuilder sb = new StringBuilder();
        text.codePoints().limit(40).forEach(cp -> {
            if (cp < 0x20 || cp == 0x7F || cp == 0x85 || cp == 0x2028 || cp == 0x2029) {
                sb.append(String.format("\\u%04X", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return '"' + sb.toString() + (text.codePointCount(0, text.length()) > 40 ? "…" : "") + '"';
    }
}
