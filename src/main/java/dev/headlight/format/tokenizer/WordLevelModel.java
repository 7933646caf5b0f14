package dev.headlight.format.tokenizer;

import java.util.List;
import java.util.Map;

/** WordLevel: each word is one vocabulary entry, or the unk token. */
final class WordLevelModel extends VocabularyModel {

    WordLevelModel(Map<String, Integer> vocab, String unkToken) {
        super(vocab, unkToken);
    }

    @Override
    public List<Token> tokenize(String word) {
        Integer id = vocab.get(word);
        if (id != null) {
            return List.of(new Token(id, word, 0, word.length()));
        }
        Integer unk = unkToken == null ? null : vocab.get(unkToken);
        if (unk == null) {
            throw new IllegalStateException("word '" + word + "' is not in the vocabulary and there is no unk_token");
        }
        return List.of(new Token(unk, unkToken, 0, word.length()));
    }

}
