package dev.headlight.ui.shell;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class HeadlightAppTest {

    @Test
    void launchAppIsPublicAndStatic() throws NoSuchMethodException {
        var m = HeadlightApp.class.getMethod("launchApp", String[].class);
        assertTrue(java.lang.reflect.Modifier.isStatic(m.getModifiers()));
    }
}
