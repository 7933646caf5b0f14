package dev.headlight.format.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** WordPiece (BERT): greedy longest-match-first, pieces after the first carry the "##" prefix. */
final class WordPieceModel extends VocabularyModel {
    private final String prefix;
    private final int maxInputCharsPerWord;

    WordPieceModel(Map<String, Integer> vocab, String unkToken, String prefix, int maxInputCharsPerWord) {
        super(vocab, unkToken);
        this.prefix = prefix;
        this.maxInputCharsPerWord = maxInputCharsPerWord;
    }

    @Override
    public List<Token> tokenize(String word) {
        if (word.codePointCount(0, word.length()) > maxInputCharsPerWord) {
            return List.of(unk(word));
        }
        List<Token> out = new ArrayList<>();
        int start = 0;
        while (start < word.length()) {
            int end = word.length();
            Token found = null;
            while (start < end) {
                String sub = word.substring(start, end);
                if (start > 0) {
                    sub = prefix + sub;
                }
                Integer id = vocab.get(sub);
                if (id != null) {
                    found = new Token(id, sub, start, end);
                    break;
                }
                end -= Character.charCount(word.codePointBefore(end));
            }
            if (found == null) {
                return List.of(unk(word));
            }
            out.add(found);
            start = end;
        }
        return out;
    }

    private Token unk(String word) {
        Integer id = vocab.get(unkToken);
        if (id == null) {
            throw new IllegalStateException("unk_token '" + unkToken + "' is not in the vocabulary");
        }
        return new Token(id, unkToken, 0, word.length());
    }

}
