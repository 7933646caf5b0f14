package dev.headlight.ui.shell;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeadlightAppTest {

    @Test
    void folderArgumentOfEachInvocation() {
        assertTrue(HeadlightApp.folderArgument(List.of()).isEmpty());
        assertTrue(HeadlightApp.folderArgument(List.of("gui")).isEmpty());
        assertEquals(Path.of("m"), HeadlightApp.folderArgument(List.of("gui", "m")).orElseThrow());
        assertEquals(Path.of("m"), HeadlightApp.folderArgument(List.of("--model", "m")).orElseThrow());
    }

    @Test
    void launchAppIsPublicAndStatic() throws NoSuchMethodException {
        var m = HeadlightApp.class.getMethod("launchApp", String[].class);
        assertTrue(java.lang.reflect.Modifier.isStatic(m.getModifiers()));
    }
}
