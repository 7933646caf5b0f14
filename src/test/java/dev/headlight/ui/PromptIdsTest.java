package dev.headlight.ui;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Folders without tokenizer.json take the prompt as token ids (read by analysis.TokenIds, as the CLI does). */
class PromptIdsTest {
    @Test
    void idsSeparatedBySpacesOrCommas() {
        assertArrayEquals(new int[]{464, 3290, 3332}, AnalysisService.idsOfPrompt(" 464 3290,3332 ", 50257));
        assertArrayEquals(new int[0], AnalysisService.idsOfPrompt("   ", 50257));
    }

    @Test
    void wordsAndOutOfRangeIdsAreExplained() {
        var notANumber = assertThrows(IllegalArgumentException.class, () -> AnalysisService.idsOfPrompt("12 cat", 100));
        assertTrue(notANumber.getMessage().contains("tokenizer.json"), notANumber.getMessage());
        var outside = assertThrows(IllegalArgumentException.class, () -> AnalysisService.idsOfPrompt("100", 100));
        assertTrue(outside.getMessage().contains("0–99"), outside.getMessage());
    }
}
