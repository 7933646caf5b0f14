package dev.headlight.format.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Unigram (SentencePiece): the segmentation with the highest total piece score (Viterbi); characters no piece
 * covers become unk (score min - 10, consecutive unks fused) or byte-fallback tokens.
 */
final class UnigramModel implements TokenModel {
    private static final double UNK_PENALTY = 10.0;

    private final String[] pieces; // [vocab]
    private final double[] scores; // [vocab]
    private final Map<String, Integer> pieceToId;
    private final int unkId;
    private final boolean byteFallback;
    private final boolean fuseUnk;
    private final double minScore;
    private final int maxPieceChars;

    UnigramModel(List<String> pieces, List<Double> scores, Integer unkId, boolean byteFallback) {
        this.pieces = pieces.toArray(String[]::new);
        this.scores = new double[scores.size()];
        this.pieceToId = new HashMap<>(pieces.size() * 2);
        double min = Double.POSITIVE_INFINITY;
        int maxChars = 1;
        for (int i = 0; i < this.pieces.length; i++) {
            this.scores[i] = scores.get(i);
            pieceToId.put(this.pieces[i], i);
            min = Math.min(min, this.scores[i]);
            maxChars = Math.max(maxChars, this.pieces[i].length());
        }
        this.minScore = min;
        this.maxPieceChars = maxChars;
        this.unkId = unkId == null ? -1 : unkId;
        this.byteFallback = byteFallback;
        this.fuseUnk = true;
    }

    @Override
    public int unknownId() {
        return unkId;
    }

    @Override
    public List<Token> tokenize(String sentence) {
        if (sentence.isEmpty()) {
            return List.of();
        }
        List<int[]> spans = encode(sentence);
        List<Token> out = new ArrayList<>(spans.size());
        for (int[] span : spans) {
            String piece = sentence.substring(span[0], span[1]);
            Integer id = pieceToId.get(piece);
            if (id == null) {
                if (byteFallback) {
                    byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
                    List<Token> byteTokens = new ArrayList<>(bytes.length);
                    for (byte b : bytes) {
                        String name = ByteLevel.BYTE_TOKEN_NAMES[b & 0xFF];
                        Integer byteId = pieceToId.get(name);
                        if (byteId == null) {
                            byteTokens = null;
                            break;
                        }
                        byteTokens.add(new Token(byteId, name, span[0], span[1]));
                    }
                    if (byteTokens != null) {
                        out.addAll(byteTokens);
                        continue;
                    }
                }
                if (unkId < 0) {
                    throw new IllegalStateException("no unk_id for a piece outside the vocabulary");
                }
                id = unkId;
            }
            // like the library, an unknown piece keeps its own text as the token string
            out.add(new Token(id, piece, span[0], span[1]));
        }
        return out;
    }

    /** Best segmentation as {start, end} UTF-16 spans. */
    private List<int[]> encode(String s) {
        int n = s.length();
        double[] best = new double[n + 1]; // best path score ending at each position
        int[] from = new int[n + 1]; // start of the last piece of that path, -1 when none
        int[] idAt = new int[n + 1];
        java.util.Arrays.fill(from, -1);
        for (int start = 0; start < n; ) {
            double base = best[start];
            int firstWidth = Character.charCount(s.codePointAt(start));
            boolean hasSingle = false;
            int limit = Math.min(n, start + maxPieceChars);
            for (int end = start + firstWidth; end <= limit; ) {
                Integer id = pieceToId.get(s.substring(start, end));
                if (id != null) {
                    double candidate = scores[id] + base;
                    if (from[end] < 0 || candidate > best[end]) {
                        best[end] = candidate;
                        from[end] = start;
                        idAt[end] = id;
                    }
                    if (end - start == firstWidth) {
                        hasSingle = true;
                    }
                }
                if (end >= n) {
                    break;
                }
                end += Character.charCount(s.codePointAt(end));
            }
            if (!hasSingle) {
                int end = start + firstWidth;
                double candidate = minScore - UNK_PENALTY + base;
                if (from[end] < 0 || candidate > best[end]) {
                    best[end] = candidate;
                    from[end] = start;
                    idAt[end] = unkId;
                }
            }
            start += firstWidth;
        }
        List<int[]> reversed = new ArrayList<>();
        int end = n;
        int fusedEnd = -1;
        while (end > 0) {
            int start = from[end];
            boolean isUnk = fuseUnk && unkId >= 0 && idAt[end] == unkId;
            if (isUnk) {
                if (fusedEnd < 0) {
                    fusedEnd = end;
                }
            } else {
                if (fusedEnd >= 0) {
                    reversed.add(new int[] {end, fusedEnd});
                    fusedEnd = -1;
                }
                reversed.add(new int[] {start, end});
            }
            end = start;
        }
        if (fusedEnd >= 0) {
            reversed.add(new int[] {0, fusedEnd});
        }
        java.util.Collections.reverse(reversed);
        return reversed;
    }

    @Override
    public String idToToken(int id) {
        return id >= 0 && id < pieces.length ? pieces[id] : null;
    }

    @Override
    public int tokenToId(String token) {
        Integer id = pieceToId.get(token);
        return id == null ? -1 : id;
    }

    @Override
    public int size() {
        return pieces.length;
    }

    @Override
    public int idLimit() {
        return pieces.length;
    }
}
