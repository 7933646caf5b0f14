package dev.headlight.format.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Properties that follow from each tokenizer's configuration, checked on texts no fixture contains. */
class TokenizerPropertiesTest {
    private static final String[] PIECES = {"Hello", "world", " ", "  ", "\t", "\n", "\n\n", "\r\n", "   ", "don't",
        "ΣΟΦΟΣ", "Привет", "мир", "漢字", "ひらがな", "한국어", "عربى", "हिन्दी", "🙂", "👩\u200d💻", "👍🏿",
        "🇯🇵", "e\u0301", "é", "ﬁ", "²", "٣", "12345", "3.5", "!?", "—", "«", "\u00a0", "\u3000", "\u200b", "\t\t",
        "x", "ZZZ", "𝔘𝔫𝔦", "\uD83E\uDEE0"};

    /** Random texts of the pieces above and of random code points from every plane (no lone surrogates). */
    static List<String> unseenTexts() {
        Random random = new Random(42);
        List<String> out = new ArrayList<>(List.of("", " ", "  \n\t ", "a", "\r\n\r\n"));
        for (int i = 0; i < 150; i++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(12);
            for (int k = 0; k < n; k++) {
                if (random.nextInt(5) == 0) {
                    int cp;
                    do {
                        cp = random.nextInt(4) == 0 ? 0x10000 + random.nextInt(0x20000) : 0x20 + random.nextInt(0xFFDE);
                    } while (cp >= 0xD800 && cp <= 0xDFFF);
                    sb.appendCodePoint(cp);
                } else {
                    sb.append(PIECES[random.nextInt(PIECES.length)]);
                }
            }
            out.add(sb.toString());
        }
        return out;
    }

    static List<String> kinds() {
        return List.of("bytelevel", "regex", "regex_bos", "spm", "wordpiece");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bytelevel", "regex", "regex_bos", "spm"})
    void decodingReturnsTheTextForLosslessTokenizers(String kind) {
        // byte-level BPE and byte-fallback SentencePiece lose nothing; the Qwen-style kinds normalize to NFC first
        Tokenizer tokenizer = Fixtures.kind(kind);
        boolean nfc = kind.startsWith("regex");
        for (String text : unseenTexts()) {
            String expected = nfc ? Normalizer.normalize(text, Normalizer.Form.NFC) : text;
            assertEquals(expected, tokenizer.decode(tokenizer.encode(text).ids(), true), Fixtures.label(text));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void everyTokenIsAVocabularyEntryWithinTheText(String kind) {
        Tokenizer tokenizer = Fixtures.kind(kind);
        for (String text : unseenTexts()) {
            Encoding e = tokenizer.encode(text);
            assertEquals(e.ids().length, e.tokens().length);
            for (int i = 0; i < e.length(); i++) {
                int id = e.ids()[i];
                assertTrue(id >= 0 && id < tokenizer.vocabSize(), "id " + id + " in " + Fixtures.label(text));
                assertEquals(tokenizer.idToToken(id), e.tokens()[i], "token string of id " + id);
                assertEquals(id, tokenizer.tokenToId(e.tokens()[i]));
                int[] o = e.offsets()[i];
                assertTrue(0 <= o[0] && o[0] <= o[1] && o[1] <= text.length(),
                        "offsets " + o[0] + ".." + o[1] + " in " + Fixtures.label(text));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void specialTokensAreAddedOnlyWhenAsked(String kind) {
        Tokenizer tokenizer = Fixtures.kind(kind);
        for (String text : unseenTexts()) {
            int[] with = tokenizer.encode(text, true).ids();
            int[] without = tokenizer.encode(text, false).ids();
            int bos = tokenizer.bosTokenId();
            if (bos < 0) {
                assertArrayEquals(without, with, Fixtures.label(text));
            } else {
                assertEquals(bos, with[0]);
                assertArrayEquals(without, java.util.Arrays.copyOfRange(with, 1, with.length), Fixtures.label(text));
            }
        }
    }

    @Test
    void wordPieceLowercasesAndStripsAccentsAsConfigured() {
        // BertNormalizer lowercase=true, strip_accents=null (follows lowercase)
        Tokenizer wordPiece = Fixtures.kind("wordpiece");
        assertArrayEquals(wordPiece.encode("unicode cafe naive resume the cat").ids(),
                wordPiece.encode("ÜNÏCÖDÉ Café NAÏVE re\u0301sume\u0301 THE\tCAT").ids());
        // clean_text drops control and format characters; whitespace runs only separate words
        assertArrayEquals(wordPiece.encode("the cat").ids(), wordPiece.encode("  the\u200b \n\n\u0007cat  ").ids());
        // punctuation is split off, CJK ideographs stand alone
        Encoding e = wordPiece.encode("cat,cat");
        assertEquals(",", e.tokens()[e.length() / 2]);
        assertEquals(3, wordPiece.encode("漢字字").length());
    }

    @Test
    void wordPieceReplacesOverlongWordsByUnknown() {
        Tokenizer wordPiece = Fixtures.kind("wordpiece");
        int unk = wordPiece.tokenToId("[UNK]");
        assertArrayEquals(new int[] {unk}, wordPiece.encode("a".repeat(101)).ids()); // max_input_chars_per_word 100
        assertFalse(wordPiece.encode("a".repeat(100)).ids()[0] == unk);
    }

    @Test
    void bosAndSpecialTokens() {
        assertEquals(1, Fixtures.kind("spm").bosTokenId());
        assertEquals(3, Fixtures.kind("regex_bos").bosTokenId());
        assertEquals(-1, Fixtures.kind("bytelevel").bosTokenId());
        assertEquals(-1, Fixtures.kind("wordpiece").bosTokenId());
        Tokenizer spm = Fixtures.kind("spm");
        assertTrue(spm.isSpecial(1));
        assertFalse(spm.isSpecial(spm.tokenToId("▁the")));
        Encoding e = spm.encode("the cat");
        assertTrue(e.special()[0]);
        assertArrayEquals(new int[] {0, 0}, e.offsets()[0]);
        assertEquals(-1, spm.tokenToId("no such token"));
        assertEquals(null, spm.idToToken(spm.vocabSize()));
    }

    @Test
    void addedSpecialTokensInTheTextAreMatchedBeforeEverythingElse() {
        Tokenizer regex = Fixtures.kind("regex");
        Encoding e = regex.encode("a<|im_start|>b<|im_end|>");
        assertEquals(List.of("a", "<|im_start|>", "b", "<|im_end|>"), List.of(e.tokens()));
        assertTrue(e.special()[1] && e.special()[3]);
        assertArrayEquals(new int[] {1, 13}, e.offsets()[1]);
        assertEquals("ab", regex.decode(e.ids(), true));
        assertEquals("a<|im_start|>b<|im_end|>", regex.decode(e.ids(), false));
    }

    @Test
    void displayTokensAreReadable() {
        Tokenizer bytes = Fixtures.kind("bytelevel");
        assertEquals("␣w", bytes.displayToken(bytes.tokenToId("Ġw")));
        assertEquals("↵", bytes.displayToken(bytes.tokenToId("Ċ")));
        assertEquals("⇥", bytes.displayToken(bytes.tokenToId("ĉ")));
        assertEquals("ол", bytes.displayToken(bytes.tokenToId("Ð¾Ð»")));
        assertEquals("\\xD0", bytes.displayToken(bytes.tokenToId("Ð"))); // first byte of a Cyrillic letter alone
        assertEquals("<|endoftext|>", bytes.displayToken(0));
        Tokenizer spm = Fixtures.kind("spm");
        assertEquals("␣the", spm.displayToken(spm.tokenToId("▁the")));
        assertEquals("↵", spm.displayToken(spm.tokenToId("<0x0A>")));
        assertEquals("⇥", spm.displayToken(spm.tokenToId("<0x09>")));
        assertEquals("\\xD0", spm.displayToken(spm.tokenToId("<0xD0>")));
        Tokenizer wordPiece = Fixtures.kind("wordpiece");
        assertEquals("##ing", wordPiece.displayToken(wordPiece.tokenToId("##ing")));
        assertEquals("", wordPiece.displayToken(-1));
    }

    @Test
    void repeatedEncodingGivesTheSameResult() {
        // the BPE word cache must not change results
        Tokenizer tokenizer = Fixtures.tokenizer(Path.of("src/test/resources/fixtures/gpt2-tiny/model/tokenizer.json"));
        String text = String.join(" ", unseenTexts());
        Encoding first = tokenizer.encode(text);
        Encoding second = tokenizer.encode(text);
        assertArrayEquals(first.ids(), second.ids());
        assertNotNull(first.tokens());
    }
}
