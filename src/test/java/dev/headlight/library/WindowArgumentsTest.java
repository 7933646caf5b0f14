package dev.headlight.library;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WindowArgumentsTest {

    @Test
    void folderArgumentOfEachInvocation(@TempDir Path dir) {
        assertTrue(WindowArguments.folder(List.of()).isEmpty());
        assertTrue(WindowArguments.folder(List.of("gui")).isEmpty());
        assertEquals(Path.of("m"), WindowArguments.folder(List.of("gui", "m")).orElseThrow());
        assertEquals(Path.of("m"), WindowArguments.folder(List.of("--model", "m")).orElseThrow());
        assertEquals(dir, WindowArguments.folder(List.of(dir.toString())).orElseThrow());
    }

    @Test
    void theWindowOpensWithoutArgumentsForGuiModelOrABareFolder(@TempDir Path dir) {
        assertTrue(WindowArguments.opensWindow(List.of()));
        assertTrue(WindowArguments.opensWindow(List.of("gui")));
        assertTrue(WindowArguments.opensWindow(List.of("gui", "m")));
        assertTrue(WindowArguments.opensWindow(List.of("--model", "m")));
        assertTrue(WindowArguments.opensWindow(List.of(dir.toString())), "headlight path/to/model opens it");
    }

    @Test
    void commandsAndTheirMistakesStayOnTheCommandLine(@TempDir Path dir) {
        assertFalse(WindowArguments.opensWindow(List.of("--help")));
        assertFalse(WindowArguments.opensWindow(List.of("inspect", "--model", "m")));
        assertFalse(WindowArguments.opensWindow(List.of("--model", "m", "--json")));
        assertFalse(WindowArguments.opensWindow(List.of(dir.resolve("absent").toString())), "a typo is a CLI error");
        assertFalse(WindowArguments.opensWindow(List.of(dir.toString(), "extra")));
    }
}
