package dev.headlight.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArgsTest {
    private static final List<Option> OPTIONS = List.of(
            Option.value("model", "DIR", "m"), Option.repeatable("text", "T", "t"), Option.flag("json", "j"),
            Option.value("ids", "1,2", "i"), Option.value("runs", "R", "r"));

    private static Args parse(String... words) {
        return Args.parse("x", OPTIONS, List.of(words));
    }

    @Test
    void valuesFlagsAndRepeats() {
        Args a = parse("--model", "m1", "--text", "a", "--text=--json", "--json", "--text", "");
        assertEquals(Path.of("m1"), a.requirePath("model", "DIR"));
        assertEquals(List.of("a", "--json", ""), a.all("text"));
        assertTrue(a.has("json"));
        assertFalse(a.has("ids"));
        assertNull(a.get("ids"));
        assertNull(a.intList("ids"));
        assertEquals(5, a.intValue("runs", 5, 1, 10));
    }

    @Test
    void numbers() {
        assertArrayEquals(new int[]{1, 2, 30}, parse("--ids", "1, 2,30").intList("ids"));
        assertArrayEquals(new int[]{7}, parse("--ids=7").intList("ids"));
        assertEquals(3, parse("--runs", "3").intValue("runs", 5, 1, 10));
        assertThrows(UsageException.class, () -> parse("--runs", "11").intValue("runs", 5, 1, 10));
        assertThrows(UsageException.class, () -> parse("--runs", "2.5").intValue("runs", 5, 1, 10));
        assertThrows(UsageException.class, () -> parse("--ids", "1,-2").intList("ids"));
        assertThrows(UsageException.class, () -> parse("--ids", " ").intList("ids"));
        assertThrows(UsageException.class, () -> parse("--ids", "99999999999").intList("ids"));
    }

    @Test
    void mistakes() {
        assertThrows(UsageException.class, () -> parse("--nope"));
        assertThrows(UsageException.class, () -> parse("--model"));
        assertThrows(UsageException.class, () -> parse("--model", "--json"));
        assertThrows(UsageException.class, () -> parse("--json=1"));
        assertThrows(UsageException.class, () -> parse("--model", "a", "--model", "b"));
        assertThrows(UsageException.class, () -> parse("positional"));
        assertThrows(UsageException.class, () -> parse("--"));
        assertThrows(UsageException.class, () -> parse().require("model", "DIR"));
        assertThrows(UsageException.class, () -> parse("--model", "").requirePath("model", "DIR"));
    }
}
