package dev.headlight.format.tokenizer;

import java.util.Map;

/**
 * A token model with a string-to-id vocabulary (BPE, WordPiece, WordLevel): the lookups they share and the unknown
 * token (null when the model has none).
 */
abstract class VocabularyModel implements TokenModel {
    protected final Map<String, Integer> vocab;
    protected final String[] vocabById; // [idLimit], null where an id is unused
    protected final String unkToken;

    protected VocabularyModel(Map<String, Integer> vocab, String unkToken) {
        this.vocab = vocab;
        this.unkToken = unkToken;
        int limit = 0;
        for (int id : vocab.values()) {
            limit = Math.max(limit, id + 1);
        }
        this.vocabById = new String[limit];
        vocab.forEach((token, id) -> vocabById[id] = token);
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
    public int unknownId() {
        return unkToken == null ? -1 : tokenToId(unkToken);
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
