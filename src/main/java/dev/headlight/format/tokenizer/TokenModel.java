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
}
