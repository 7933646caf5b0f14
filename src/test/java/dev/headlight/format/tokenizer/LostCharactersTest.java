package dev.headlight.format.tokenizer;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which characters the vocabulary lacks, while the ids stay those of Hugging Face's tokenizers. */
class LostCharactersTest {
    private static final String CAT = "The cat sat on the mat.";

    @Test
    void theInductionSampleDropsTheSpacesAndThePeriod() {
        Tokenizer t = Tokenizer.load(Path.of("sample-models/induction-2l/tokenizer.json"));
        List<LostCharacters> lost = t.lostCharacters(CAT);
        assertEquals(List.of(new LostCharacters(3, 4, " ", false), new LostCharacters(7, 8, " ", false),
                new LostCharacters(11, 12, " ", false), new LostCharacters(14, 15, " ", false),
                new LostCharacters(18, 19, " ", false), new LostCharacters(22, 23, ".", false)), lost);
        // tokenizing itself is unchanged: the letters only, as the tokenizers library gives them
        Encoding e = t.encode(CAT, false);
        assertEquals("Thecatsatonthemat", String.join("", e.tokens()));
    }

    @Test
    void aWordPieceVocabularyMakesMissingCharactersTheUnknownToken() {
        Tokenizer t = Tokenizer.load(Fixtures.ROOT.resolve("bert-tiny/model/tokenizer.json"));
        String text = "the cat 漢 sat";
        assertEquals(List.of(new LostCharacters(8, 9, "漢", true)), t.lostCharacters(text));
        // the spaces BERT's pre-tokenizer splits on are no loss
        assertEquals(List.of(), t.lostCharacters("the cat sat"));
    }

    @Test
    void byteLevelGpt2LosesNothing() {
        Tokenizer t = Tokenizer.load(Fixtures.ROOT.resolve("gpt2-tiny/model/tokenizer.json"));
        assertEquals(List.of(), t.lostCharacters(CAT + " é 漢 \n"));
    }

    @Test
    void neighbouringLostCharactersAreOneRunWithAReadableForm() {
        Tokenizer t = Tokenizer.load(Path.of("sample-models/induction-2l/tokenizer.json"));
        List<LostCharacters> lost = t.lostCharacters("A. \nB");
        assertEquals(1, lost.size(), lost.toString());
        assertArrayEquals(new int[] {1, 4}, new int[] {lost.getFirst().start(), lost.getFirst().end()});
        assertEquals(".␣⏎", lost.getFirst().display());
    }
}
