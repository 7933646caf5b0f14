package dev.headlight.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrorMessagesTest {
    @Test
    void filesAndReasonsAreNamedWithoutExceptionClasses() {
        assertEquals("f.json: no such file or folder", ErrorMessages.describe(new NoSuchFileException("f.json")));
        assertEquals("f: permission denied",
                ErrorMessages.describe(new UncheckedIOException(new AccessDeniedException("f"))));
        assertEquals("a/config.json: bad", ErrorMessages.describe(
                new ExecutionException(new RuntimeException(new FormatException(Path.of("a/config.json"), "bad")))));
        assertTrue(ErrorMessages.describe(new OutOfMemoryError()).contains("HEADLIGHT_JAVA_OPTS"));
        assertEquals("unknown error", ErrorMessages.describe(null));
    }

    @Test
    void programmingFaultsSayInternalErrorAndWhere() {
        String npe = ErrorMessages.describe(new NullPointerException("boom"));
        assertTrue(npe.startsWith("internal error in Headlight (NullPointerException at ErrorMessagesTest."), npe);
        String bare = ErrorMessages.describe(new IllegalStateException());
        assertTrue(bare.startsWith("internal error in Headlight (IllegalStateException"), bare);
        assertFalse(ErrorMessages.describe(new ArrayIndexOutOfBoundsException(-2147483616)).contains("-2147483616"));
    }

    @Test
    void jsonErrorsGiveLineAndColumnWithoutParserInternals() {
        JsonProcessingException e = assertThrows(JsonProcessingException.class,
                () -> JsonTrees.parse("{\n  \"a\": [1,,]\n}", false));
        String line = FormatException.json(Path.of("m/config.json"), e).getMessage();
        assertTrue(line.startsWith("m/config.json: is not valid JSON at line 2, column "), line);
        assertFalse(line.contains("Source"), line);
        assertFalse(line.contains("REDACTED"), line);
        assertFalse(line.contains("StreamReadFeature"), line);
        assertFalse(line.contains("\n"), line);
        String raw = ErrorMessages.describe(e);
        assertTrue(raw.startsWith("invalid JSON at line 2, column "), raw);
        assertFalse(raw.contains("REDACTED"), raw);
    }

    @Test
    void everyControlCharacterIsEscaped() {
        String hostile = "llama\u001b]0;owned\u0007\u001b[2J\r\n\t\u0085\u009b\u202e\u2066x\u007f";
        String shown = ErrorMessages.describe(new FormatException(Path.of("m\u001b[31m/config.json"),
                "model_type \"" + hostile + "\" is not supported"));
        for (char c : shown.toCharArray()) {
            assertFalse(Character.isISOControl(c) || c == '\u202e' || c == '\u2066',
                    "raw control U+" + Integer.toHexString(c) + " in " + shown);
        }
        assertTrue(shown.startsWith("m\\e[31m/config.json: model_type \"llama\\e]0;owned\\u0007\\e[2J\\r\\n\\t"),
                shown);
        assertEquals("plain text stays as it is: é ∑ 🙂", ErrorMessages.escape("plain text stays as it is: é ∑ 🙂"));
    }
}
