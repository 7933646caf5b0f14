package dev.headlight.engine.synth;

import dev.headlight.format.tokenizer.ByteLevel;
import dev.headlight.format.tokenizer.TokenizerFiles;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A GPT-2 style byte-level BPE tokenizer.json of any vocabulary size: the 256 byte symbols (GPT-2's
 * bytes-to-unicode map, in GPT-2's id order), then generated merges up to {@code vocab - 1}, then
 * {@code <|endoftext|>} as the last id. Merges join a token of the previous length with one byte symbol,
 * starting with the space marker and lower-case letters, so every merge is valid and every id is used.
 * Meaningless as a language tokenizer, but a complete, loadable one.
 */
final class ByteLevelTokenizer {
    static final String END_OF_TEXT = "<|endoftext|>";
    static final int MIN_VOCAB = 257;

    private ByteLevelTokenizer() {
    }

    /** GPT-2's printable stand-in for each byte, indexed by byte value ({@link ByteLevel}). */
    static String[] byteSymbols() {
        String[] symbols = new String[256];
        for (int b = 0; b < 256; b++) {
            symbols[b] = String.valueOf(ByteLevel.charOf(b));
        }
        return symbols;
    }

    /** Vocabulary (id order) and merges for {@code vocab} ids including {@code <|endoftext|>}. */
    record Bpe(List<String> tokens, List<String[]> merges) {
    }

    static Bpe generate(int vocab) {
        if (vocab < MIN_VOCAB) {
            throw new IllegalArgumentException("vocab " + vocab + " is below " + MIN_VOCAB);
        }
        Bpe bpe = generateRegular(vocab - 1);
        bpe.tokens().add(END_OF_TEXT);
        return bpe;
    }

    /** {@code count} (at least 256) byte-level tokens: the 256 byte symbols, then one token per merge. */
    static Bpe generateRegular(int count) {
        if (count < 256) {
            throw new IllegalArgumentException(count + " tokens cannot hold the 256 byte symbols");
        }
        String[] symbols = byteSymbols();
        List<String> tokens = new ArrayList<>(count + 1);
        for (int b : ByteLevel.bytesInGpt2Order()) {
            tokens.add(symbols[b]);
        }
        // symbols to append, most "word-like" first: space marker, a-z, A-Z, digits, then the rest
        Set<String> preferred = new LinkedHashSet<>();
        preferred.add(symbols[' ']);
        for (char c = 'a'; c <= 'z'; c++) {
            preferred.add(symbols[c]);
        }
        for (char c = 'A'; c <= 'Z'; c++) {
            preferred.add(symbols[c]);
        }
        for (char c = '0'; c <= '9'; c++) {
            preferred.add(symbols[c]);
        }
        preferred.addAll(tokens);
        List<String> appendable = new ArrayList<>(preferred);

        List<String[]> merges = new ArrayList<>();
        int wanted = count;
        List<String> previousLevel = appendable;      // tokens of length L - 1, in creation order
        while (tokens.size() < wanted) {
            List<String> level = new ArrayList<>();
            outer:
            for (String left : previousLevel) {
                for (String right : appendable) {
                    if (tokens.size() >= wanted) {
                        break outer;
                    }
                    String merged = left + right;
                    merges.add(new String[] {left, right});
                    tokens.add(merged);
                    level.add(merged);
                }
            }
            previousLevel = level;
        }
        return new Bpe(tokens, merges);
    }

    /** Writes tokenizer.json and tokenizer_config.json for a generated vocabulary of {@code vocab} entries. */
    static void write(java.nio.file.Path dir, int vocab) throws java.io.IOException {
        Bpe bpe = generate(vocab);
        TokenizerFiles.writeByteLevelBpe(dir, bpe.tokens().toArray(String[]::new), bpe.merges(), END_OF_TEXT);
    }

    /** Qwen2's special tokens, in id order after the byte-level vocabulary. */
    static final List<String> QWEN2_SPECIALS = List.of(END_OF_TEXT, "<|im_start|>", "<|im_end|>");

    /**
     * A tokenizer.json laid out as Qwen2's (NFC, regex split then byte-level, the three chat specials as added
     * tokens after the vocabulary) filling all {@code vocab} ids: {@code vocab - 3} byte-level tokens and
     * {@code vocab - 259} merges. At Qwen2's 151,936 that is about the size of the real file (151,643 tokens,
     * 151,387 merges), so loading it costs what loading the real one does.
     */
    static void writeQwen2(java.nio.file.Path dir, int vocab) throws java.io.IOException {
        if (vocab < 256 + QWEN2_SPECIALS.size()) {
            throw new IllegalArgumentException("vocab " + vocab + " is below " + (256 + QWEN2_SPECIALS.size()));
        }
        Bpe bpe = generateRegular(vocab - QWEN2_SPECIALS.size());
        TokenizerFiles.writeQwen2Bpe(dir, bpe.tokens().toArray(String[]::new), bpe.merges(), QWEN2_SPECIALS);
    }
}
