package dev.headlight.train;

import dev.headlight.format.tokenizer.TokenizerFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ByteLevelBpeTest {
    private static final Path FIXTURE = Path.of("src/test/resources/fixtures/tokenizers/bytelevel");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Our encoder, given the fixture's vocab and merges, must give the ids Hugging Face tokenizers gave. */
    @Test
    void encodesLikeHuggingFaceTokenizers() throws Exception {
        ByteLevelBpe bpe = read(FIXTURE.resolve("tokenizer.json"));
        JsonNode cases = JSON.readTree(FIXTURE.resolve("cases.json").toFile());
        int checked = 0;
        for (JsonNode c : cases) {
            String text = c.get("text").asText();
            if (text.contains(ByteLevelBpe.END_OF_TEXT)) {
                continue; // added special tokens inside the text are the tokenizer's job, not the trainer's
            }
            int[] expected = new int[c.get("ids").size()];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = c.get("ids").get(i).asInt();
            }
            assertArrayEquals(expected, bpe.encode(text), text);
            checked++;
        }
        assertTrue(checked >= 20, "cases checked: " + checked);
    }

    private static ByteLevelBpe read(Path tokenizerJson) throws Exception {
        JsonNode model = JSON.readTree(tokenizerJson.toFile()).get("model");
        String[] vocab = new String[model.get("vocab").size()];
        model.get("vocab").properties().forEach(e -> vocab[e.getValue().asInt()] = e.getKey());
        List<String[]> merges = new ArrayList<>();
        for (JsonNode m : model.get("merges")) {
            merges.add(m.isArray() ? new String[] {m.get(0).asText(), m.get(1).asText()} : m.asText().split(" ", 2));
        }
        return ByteLevelBpe.of(Arrays.asList(vocab), merges);
    }

    @Test
    void trainedMergesCompressTheCorpusAndRoundTrip(@TempDir Path dir) throws Exception {
        String text = GrammarCorpus.generate(300, 3);
        ByteLevelBpe bpe = ByteLevelBpe.train(text, 400);
        assertEquals(400, bpe.vocabSize());
        int[] ids = bpe.encode(text);
        assertTrue(ids.length < text.length() / 2, ids.length + " tokens for " + text.length() + " characters");
        // decoding the byte-level strings gives the text back
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            sb.append(bpe.vocab().get(id));
        }
        assertEquals(dev.headlight.format.tokenizer.ByteLevel.toByteLevel(text), sb.toString());
        // the written tokenizer.json reads back to the same ids
        TokenizerFiles.writeByteLevelBpe(dir, bpe.vocab().toArray(new String[0]), bpe.merges(),
                ByteLevelBpe.END_OF_TEXT);
        JsonNode root = JSON.readTree(dir.resolve("tokenizer.json").toFile());
        assertEquals("BPE", root.get("model").get("type").asText());
        assertEquals("ByteLevel", root.get("pre_tokenizer").get("type").asText());
        assertEquals("ByteLevel", root.get("decoder").get("type").asText());
        assertEquals("ByteLevel", root.get("post_processor").get("type").asText());
        assertEquals(0, root.get("model").get("vocab").get(ByteLevelBpe.END_OF_TEXT).asInt());
        assertArrayEquals(ids, read(dir.resolve("tokenizer.json")).encode(text));
        assertTrue(Files.exists(dir.resolve("tokenizer_config.json")));
    }
}
