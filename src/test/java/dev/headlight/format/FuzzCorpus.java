package dev.headlight.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fuzz corpus of {@link ModelFileFuzzTest}: recording (with {@code -Dheadlight.fuzz.record=DIR}, the first
 * input of every distinct outcome per kind, appended to DIR/KIND.jsonl) and reading the committed cases
 * (src/test/resources/fuzz-corpus/KIND.jsonl, one JSON object of the property's parameters per line).
 */
final class FuzzCorpus {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RECORD = System.getProperty("headlight.fuzz.record");
    private static final Map<String, Set<String>> SEEN = new HashMap<>();

    private FuzzCorpus() {
    }

    /** A refusal message reduced to its shape: numbers and quoted text left out, its first 60 characters. */
    static String shape(String message) {
        String s = message.replaceAll("'[^']*'", "'…'").replaceAll("\"[^\"]*\"", "\"…\"")
                .replaceAll("-?\\d+", "#");
        return s.length() > 60 ? s.substring(0, 60) : s;
    }

    /** Records the case {@code keyValues} (name, value, ...) of {@code kind} if its outcome is new this run. */
    static synchronized void keep(String kind, String outcome, Object... keyValues) {
        if (RECORD == null || !seen(kind).add(outcome)) {
            return;
        }
        ObjectNode line = JSON.createObjectNode();
        for (int i = 0; i < keyValues.length; i += 2) {
            line.set((String) keyValues[i], JSON.valueToTree(keyValues[i + 1]));
        }
        line.put("outcome", outcome);   // what the run saw: documentation, not checked on replay
        try {
            Path dir = Path.of(RECORD);
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(kind + ".jsonl"), JSON.writeValueAsString(line) + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Outcomes of {@code kind} already recorded, by this run or an earlier one into the same folder. */
    private static Set<String> seen(String kind) {
        return SEEN.computeIfAbsent(kind, k -> {
            Set<String> outcomes = new HashSet<>();
            Path file = Path.of(RECORD, kind + ".jsonl");
            try {
                if (Files.exists(file)) {
                    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                        if (!line.isBlank()) {
                            outcomes.add(JSON.readTree(line).path("outcome").asText());
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return outcomes;
        });
    }

    /** The committed cases of {@code kind}; none when there is no file for it. */
    static List<JsonNode> cases(String kind) {
        List<JsonNode> cases = new ArrayList<>();
        try (InputStream in = FuzzCorpus.class.getResourceAsStream("/fuzz-corpus/" + kind + ".jsonl")) {
            if (in == null) {
                return cases;
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    cases.add(JSON.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cases;
    }
}
