package dev.headlight.format.tokenizer;

import java.nio.file.Path;

/** A Hugging Face tokenizer read from tokenizer.json, giving the same ids as the tokenizers library. */
public interface Tokenizer {

    /**
     * Loads tokenizer.json. The ids are those of the tokenizers library reading tokenizer.json alone, so
     * tokenizer_config.json beside it does not change them.
     *
     * @throws dev.headlight.format.FormatException naming the file and the problem when it cannot be used
     */
    static Tokenizer load(Path tokenizerJson) {
        return TokenizerJson.load(tokenizerJson);
    }

    /** Encodes with special tokens added as the post-processor adds them (HF add_special_tokens=True). */
    Encoding encode(String text);

    Encoding encode(String text, boolean addSpecialTokens);

    /**
     * The characters of {@code text} that the vocabulary lacks: dropped, or made the unknown token, in text order
     * (empty when every character has a token). The ids of {@link #encode} are unchanged by this: tokenizing stays
     * as Hugging Face's tokenizers does it.
     */
    default java.util.List<LostCharacters> lostCharacters(String text) {
        return java.util.List.of();
    }

    /** Decodes ids back to text through the tokenizer's decoder. */
    String decode(int[] ids, boolean skipSpecialTokens);

    /** The vocabulary string of an id (null when out of range). */
    String idToToken(int id);

    /** The id of a vocabulary string or added token, or -1. */
    int tokenToId(String token);

    /** Vocabulary size including added tokens. */
    int vocabSize();

    boolean isSpecial(int id);

    /** A readable form of one token for display: byte-level symbols mapped back, spaces and newlines made visible. */
    String displayToken(int id);

    /** The id of the BOS token the post-processor prepends, or -1 if it adds none. */
    int bosTokenId();
}
