package dev.headlight.train;

import dev.headlight.format.tokenizer.TokenizerFiles;
import dev.headlight.format.FormatException;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Next-token prediction on a plain text: a byte-level BPE tokenizer is trained on the text, the whole text encoded
 * to one token stream, and training sequences are windows at random offsets (GPT-2 style: no BOS is added, id 0
 * {@code <|endoftext|>} is BOS/EOS in the config).
 */
public final class TextTask implements TrainingTask {
    private final String name;
    private final String description;
    private final ByteLevelBpe bpe;
    private final int[] stream; // [token] the encoded text

    private TextTask(String name, String description, ByteLevelBpe bpe, int[] stream) {
        this.name = name;
        this.description = description;
        this.bpe = bpe;
        this.stream = stream;
    }

    /** Reads a UTF-8 text file; fails with a one-line reason naming the file. */
    public static TextTask fromFile(Path file, int vocabSize) {
        String text;
        try {
            byte[] bytes = Files.readAllBytes(file);
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new FormatException(file, "not UTF-8 text");
        } catch (IOException e) {
            throw new FormatException(file, "cannot read: " + e.getMessage());
        }
        if (text.isBlank()) {
            throw new FormatException(file, "the corpus is empty");
        }
        return fromText("text", "plain text " + file.getFileName() + " (" + text.length() + " characters)", text,
                vocabSize);
    }

    public static TextTask fromText(String name, String description, String text, int vocabSize) {
        ByteLevelBpe bpe = ByteLevelBpe.train(text, vocabSize);
        return new TextTask(name, description, bpe, bpe.encode(text));
    }

    public ByteLevelBpe tokenizer() {
        return bpe;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description + ", byte-level BPE of " + bpe.vocabSize() + " tokens, " + stream.length + " tokens";
    }

    @Override
    public int vocab() {
        return bpe.vocabSize();
    }

    @Override
    public boolean addsBos() {
        return false;
    }

    @Override
    public void sample(SplittableRandom random, int[] seq, float[] weights, int tokens) {
        if (stream.length < tokens + 1) {
            throw new IllegalArgumentException("the corpus has " + stream.length + " tokens, fewer than context + 1 = "
                    + (tokens + 1));
        }
        int start = random.nextInt(stream.length - tokens);
        System.arraycopy(stream, start, seq, 0, tokens + 1);
        java.util.Arrays.fill(weights, 0, tokens, 1f);
    }

    @Override
    public void writeTokenizer(Path folder) throws IOException {
        TokenizerFiles.writeByteLevelBpe(folder, bpe.vocab().toArray(new String[0]), bpe.merges(),
                ByteLevelBpe.END_OF_TEXT);
    }
}
