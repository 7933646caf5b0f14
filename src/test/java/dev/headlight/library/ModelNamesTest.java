package dev.headlight.library;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ModelNamesTest {
    @Test
    void readableNames() {
        assertEquals("gpt2", ModelNames.displayName(Path.of("/models/gpt2")));
        assertEquals("gpt2-tiny", ModelNames.displayName(Path.of("/fixtures/gpt2-tiny/model")));
        assertEquals("Qwen/Qwen3-0.6B", ModelNames.displayName(
                Path.of("/home/u/.cache/huggingface/hub/models--Qwen--Qwen3-0.6B/snapshots/abc")));
        assertEquals("run-7", ModelNames.displayName(Path.of("/x/run-7/" + "a".repeat(40))));
    }
}
