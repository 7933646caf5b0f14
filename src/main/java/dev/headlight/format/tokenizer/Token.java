package dev.headlight.format.tokenizer;

/** A token a model produced for one word: id, vocabulary string, and its UTF-16 range in that word. */
record Token(int id, String value, int start, int end) {
}
