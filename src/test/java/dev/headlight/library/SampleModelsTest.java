package dev.headlight.library;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SampleModelsTest {

    @Test
    void firstModelFolderByName(@TempDir Path root) throws IOException {
        assertTrue(SampleModels.firstModelUnder(root).isEmpty());
        Path b = Files.createDirectories(root.resolve("b-model"));
        Files.writeString(b.resolve("config.json"), "{}");
        Path a = Files.createDirectories(root.resolve("a-model").resolve("model"));
        Files.writeString(a.resolve("config.json"), "{}");
        Files.createDirectories(root.resolve("0-empty"));
        assertEquals(a, SampleModels.firstModelUnder(root).orElseThrow());
        assertEquals(b, SampleModels.firstModelUnder(b).orElseThrow());
    }

    @Test
    void samplesRootFromTheSystemProperty(@TempDir Path root) throws IOException {
        Path m = Files.createDirectories(root.resolve("tiny"));
        Files.writeString(m.resolve("config.json"), "{}");
        String before = System.getProperty("headlight.samples");
        try {
            System.setProperty("headlight.samples", root.toString());
            assertEquals(m, SampleModels.defaultModel().orElseThrow());
        } finally {
            if (before == null) {
                System.clearProperty("headlight.samples");
            } else {
                System.setProperty("headlight.samples", before);
            }
        }
    }

    @Test
    void knownSamplesComeFirstWithTheirPrompts(@TempDir Path root) throws IOException {
        for (String name : new String[]{"aaa-other", "tiny-lm", "induction-2l"}) {
            Path m = Files.createDirectories(root.resolve(name));
            Files.writeString(m.resolve("config.json"), "{}");
        }
        Files.createDirectories(root.resolve("not-a-model"));
        assertEquals(java.util.List.of(root.resolve("induction-2l"), root.resolve("tiny-lm"), root.resolve("aaa-other")),
                SampleModels.list(root));
        assertEquals(SampleModels.PROMPTS.get("tiny-lm"), SampleModels.examplePrompt(root.resolve("tiny-lm")));
        assertEquals(SampleModels.PROMPTS.get("induction-2l"),
                SampleModels.examplePrompt(root.resolve("induction-2l").resolve("step-000400")));
        assertEquals(SampleModels.EXAMPLE_PROMPT, SampleModels.examplePrompt(root.resolve("aaa-other")));
    }

    @Test
    void theBundledInductionModelOpensFirst() {
        // the project's own sample-models/ folder, found from the working directory
        assertEquals("induction-2l", SampleModels.defaultModel().orElseThrow().getFileName().toString());
    }
}
