package dev.headlight.format.tokenizer;

import java.util.List;
import java.util.Map;

/** WordLevel: each word is one vocabulary entry, or the unk token. */
final class WordLevelModel implements TokenModel {
    private final Map<String, Integer> vocab;
    private final String[] vocabById; // [idLimit]
    private final String unkToken;

    WordLevelModel(Map<String, Integer> vocab, String unkToken) {
        this.vocab = vocab;
        int limit = 0;
        for (int id : vocab.values()) {
            limit = Math.max(limit, id + 1);
        }
        vocabById = new String[limit];
        vocab.forEach((k, v) -> vocabById[v] = k);
        this.unkToken = unkToken;
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

    @Override
    public String idToToken(int id) {
        return id >= 0 && id < vocabById.length ? vocabById[id] : null;
    }

    @Override
    public int tokenToId(String token) {
        Integer id = vocab.get(token);
        return id == null ? -1 : id;
    }

    @Override
    public int size() {
        return vocab.size();
    }

    @Override
    public int idLimit() {
        return vocabById.length;
    }
}
