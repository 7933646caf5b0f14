package dev.headlight.analysis;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI's --ids and the prompt of a folder without tokenizer.json (CLI and window) read ids the same way. */
class TokenIdsTest {
    @Test
    void idsSeparatedBySpacesOrCommas() {
        assertArrayEquals(new int[]{464, 3290, 3332}, TokenIds.parse(" 464 3290,3332 ", 50257));
        assertArrayEquals(new int[]{1, 2, 30}, TokenIds.parse("1, 2,30", Integer.MAX_VALUE));
        assertArrayEquals(new int[0], TokenIds.parse("   ", 50257));
    }

    @Test
    void wordsNegativeAndOutOfRangeIdsAreExplained() {
        var word = assertThrows(IllegalArgumentException.class, () -> TokenIds.parse("12 cat", 100));
        assertTrue(word.getMessage().contains("\"cat\" is not a token id"), word.getMessage());
        var negative = assertThrows(IllegalArgumentException.class, () -> TokenIds.parse("1,-2", 100));
        assertTrue(negative.getMessage().contains("-2"), negative.getMessage());
        var outside = assertThrows(IllegalArgumentException.class, () -> TokenIds.parse("100", 100));
        assertTrue(outside.getMessage().contains("0–99"), outside.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TokenIds.parse("99999999999", Integer.MAX_VALUE));
    }
}
