package dev.headlight.format.tokenizer;

import java.util.List;

/** The "model" of tokenizer.json: turns one pre-tokenized word into tokens. */
interface TokenModel {
    List<Token> tokenize(String word);

    /** The vocabulary string of an id, or null. */
    String idToToken(int id);

    /** The id of a vocabulary string, or -1. */
    int tokenToId(String token);

    /** Number of entries in the model's vocabulary. */
    int size();

    /** One more than the largest id of the model's vocabulary. */
    int idLimit();

    /**
     * The UTF-16 ranges {start, end} of {@code word} that the model drops without a token (a BPE without an unknown
     * token or byte fallback), in order. The tokens' own offsets do not show them: as in Hugging Face's library,
     * they are counted over the kept characters only.
     */
    default java.util.List<int[]> droppedRanges(String word) {
        return java.util.List.of();
    }

    /** The id of the unknown token (what a word or character outside the vocabulary becomes), or -1 without one. */
    default int unknownId() {
        return -1;
    }
}
