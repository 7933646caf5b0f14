package dev.headlight.format.tokenizer;

import dev.headlight.format.tokenizer.PostProcessor.Piece;
import dev.headlight.format.tokenizer.PreTokenizedString.Split;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tokenizers-library pipeline: added tokens are cut out of the raw text, the rest is normalized (then
 * normalized added tokens are cut out), pre-tokenized into words, each word tokenized by the model, and the
 * post-processor adds special tokens. Thread-safe once built.
 */
final class HfTokenizer implements Tokenizer {

    /** An entry of "added_tokens". */
    record AddedToken(String content, boolean special, boolean singleWord, boolean lstrip, boolean rstrip,
            boolean normalized) {
    }

    private final TokenModel model;
    private final TextNormalizer normalizer; // null when none
    private final PreTokenizer preTokenizer; // null when none
    private final PostProcessor postProcessor;
    private final Decoder decoder; // null when none
    private final boolean byteLevelSymbols;

    private final Map<String, Integer> addedIds = new HashMap<>();
    private final Map<Integer, AddedToken> addedById = new HashMap<>();
    private final Set<String> specialContents = new HashSet<>();
    private final AddedMatcher rawMatcher;
    private final AddedMatcher normalizedMatcher;
    private final int vocabSize;
    private final int bosTokenId;

    HfTokenizer(TokenModel model, TextNormalizer normalizer, PreTokenizer preTokenizer, PostProcessor postProcessor,
            Decoder decoder, List<AddedToken> addedTokens, boolean byteLevelSymbols) {
        this.model = model;
        this.normalizer = normalizer;
        this.preTokenizer = preTokenizer;
        this.postProcessor = postProcessor == null ? PostProcessor.none() : postProcessor;
        this.decoder = decoder;
        this.byteLevelSymbols = byteLevelSymbols;

        // ids as the library assigns them: the vocabulary's id if the content is in it, else the next free id
        List<AddedToken> specials = new ArrayList<>();
        List<AddedToken> plain = new ArrayList<>();
        for (AddedToken t : addedTokens) {
            if (t.special() && !t.content().isEmpty() && specialContents.add(t.content())) {
                specials.add(t);
            }
        }
        // linear in the number of added tokens (real tokenizers have 100k+): a set of the tokens placed and the
        // largest id given so far, instead of scanning the maps for each token
        Set<AddedToken> placed = new HashSet<>();
        int maxAddedId = -1;
        for (AddedToken t : addedTokens) {
            if (t.content().isEmpty() || !placed.add(t)) {
                continue;
            }
            Integer id = addedIds.get(t.content());
            if (id == null) {
                int modelId = model.tokenToId(t.content());
                if (modelId >= 0) {
                    id = modelId;
                } else {
                    int max = maxAddedId;
                    int modelSize = model.size();
                    id = max < 0 ? modelSize : (max >= modelSize || modelSize == 0) ? max + 1 : modelSize;
                }
            }
            addedIds.put(t.content(), id);
            maxAddedId = Math.max(maxAddedId, id);
            addedById.put(id, t);
            if (!specialContents.contains(t.content())) {
                plain.add(t);
            }
        }
        Map<String, Integer> raw = new LinkedHashMap<>();
        Map<String, Integer> normalized = new LinkedHashMap<>();
        List<AddedToken> ordered = new ArrayList<>(specials);
        ordered.addAll(plain);
        for (AddedToken t : ordered) {
            int id = addedIds.get(t.content());
            if (t.normalized()) {
                String pattern = normalizer == null ? t.content()
                        : normalizer.normalize(NormalizedString.of(t.content(), 0)).text;
                normalized.putIfAbsent(pattern, id);
            } else {
                raw.putIfAbsent(t.content(), id);
            }
        }
        rawMatcher = new AddedMatcher(raw);
        normalizedMatcher = new AddedMatcher(normalized);

        int limit = model.idLimit();
        for (int id : addedById.keySet()) {
            limit = Math.max(limit, id + 1);
        }
        vocabSize = limit;
        List<Piece> prefix = this.postProcessor.prefix();
        bosTokenId = prefix.isEmpty() ? -1 : prefix.get(0).id();
    }

    @Override
    public Encoding encode(String text) {
        return encode(text, true);
    }

    @Override
    public Encoding encode(String text, boolean addSpecialTokens) {
        List<Piece> pieces = pieces(text, null);
        List<Piece> out = postProcessor.process(text, pieces, addSpecialTokens);
        int n = out.size();
        int[] ids = new int[n];
        String[] tokens = new String[n];
        boolean[] special = new boolean[n];
        int[][] offsets = new int[n][];
        for (int i = 0; i < n; i++) {
            Piece p = out.get(i);
            ids[i] = p.id();
            tokens[i] = p.token();
            special[i] = p.special();
            offsets[i] = new int[] {p.start(), p.end()};
        }
        return new Encoding(ids, tokens, special, offsets);
    }

    @Override
    public List<LostCharacters> lostCharacters(String text) {
        List<LostCharacters> lost = new ArrayList<>();
        pieces(text, lost);
        // one entry per run: neighbours of the same kind (e.g. the bytes of one character) merged
        List<LostCharacters> merged = new ArrayList<>();
        for (LostCharacters l : lost) {
            LostCharacters last = merged.isEmpty() ? null : merged.getLast();
            if (last != null && last.unknown() == l.unknown() && l.start() <= last.end()) {
                int end = Math.max(last.end(), l.end());
                merged.set(merged.size() - 1, new LostCharacters(last.start(), end, text.substring(last.start(), end),
                        l.unknown()));
            } else {
                merged.add(l);
            }
        }
        return merged;
    }

    /**
     * The tokens of {@code text} before post-processing; with {@code lost} non-null, also the characters the model
     * step dropped or made the unknown token (in text order).
     */
    private List<Piece> pieces(String text, List<LostCharacters> lost) {
        PreTokenizedString pts = new PreTokenizedString();
        pts.splits.add(new Split(NormalizedString.of(text, 0), null));
        extractAdded(pts, rawMatcher, false);
        extractAdded(pts, normalizedMatcher, true);
        if (preTokenizer != null) {
            preTokenizer.preTokenize(pts);
        }
        List<Piece> pieces = new ArrayList<>();
        int unknownId = model.unknownId();
        for (Split split : pts.splits) {
            List<Token> tokens = split.tokens != null ? split.tokens : model.tokenize(split.normalized.text);
            boolean added = split.tokens != null;
            boolean track = lost != null && !added;
            for (Token t : tokens) {
                int[] range = split.normalized.originalRange(t.start(), t.end());
                boolean special = added && specialContents.contains(addedContent(t.id()));
                pieces.add(new Piece(t.id(), t.value(), special, range[0], range[1]));
                if (track && t.id() == unknownId && unknownId >= 0) {
                    addLost(lost, text, range, true);
                }
            }
            if (track) {
                for (int[] d : model.droppedRanges(split.normalized.text)) {
                    addLost(lost, text, split.normalized.originalRange(d[0], d[1]), false);
                }
            }
        }
        if (lost != null) {
            lost.sort(java.util.Comparator.comparingInt(LostCharacters::start));
        }
        return pieces;
    }

    /** Characters inserted by the normalizer (an empty original range) are nobody's loss. */
    private static void addLost(List<LostCharacters> lost, String text, int[] range, boolean unknown) {
        if (range[1] > range[0]) {
            lost.add(new LostCharacters(range[0], range[1], text.substring(range[0], range[1]), unknown));
        }
    }

    private String addedContent(int id) {
        AddedToken t = addedById.get(id);
        return t == null ? null : t.content();
    }

    /**
     * Cuts added tokens out of the untokenized pieces. With {@code normalizeFirst}, each piece is normalized
     * before matching (the second pass, for normalized added tokens).
     */
    private void extractAdded(PreTokenizedString pts, AddedMatcher matcher, boolean normalizeFirst) {
        List<Split> out = new ArrayList<>(pts.splits.size() + 4);
        for (Split s : pts.splits) {
            if (s.tokens != null) {
                out.add(s);
                continue;
            }
            NormalizedString ns = s.normalized;
            if (normalizeFirst && normalizer != null) {
                ns = normalizer.normalize(ns);
            }
            for (int[] m : findAdded(ns.text, matcher)) {
                NormalizedString piece = ns.slice(m[0], m[1]);
                if (piece.isEmpty()) {
                    continue;
                }
                if (m[2] >= 0) {
                    out.add(new Split(piece, List.of(new Token(m[2], piece.text, 0, piece.length()))));
                } else {
                    out.add(new Split(piece, null));
                }
            }
        }
        pts.splits.clear();
        pts.splits.addAll(out);
    }

    /** Pieces {start, end, id or -1} covering {@code s}, honouring single_word, lstrip and rstrip. */
    private List<int[]> findAdded(String s, AddedMatcher matcher) {
        List<int[]> out = new ArrayList<>();
        if (s.isEmpty() || matcher.isEmpty()) {
            out.add(new int[] {0, s.length(), -1});
            return out;
        }
        int startOffset = 0;
        int pos = 0;
        while (pos < s.length()) {
            int[] m = matcher.find(s, pos);
            if (m == null) {
                break;
            }
            int start = m[0];
            int stop = m[1];
            int id = m[2];
            pos = stop;
            AddedToken token = addedById.get(id);
            if (token.singleWord()) {
                boolean startSpace = start == 0 || !endsWithWord(s, start);
                boolean stopSpace = stop == s.length() || !startsWithWord(s, stop);
                if (!startSpace || !stopSpace) {
                    continue;
                }
            }
            if (token.lstrip()) {
                int newStart = start;
                while (newStart > 0) {
                    int cp = s.codePointBefore(newStart);
                    if (!Unicode.isWhiteSpace(cp)) {
                        break;
                    }
                    newStart -= Character.charCount(cp);
                }
                start = Math.max(newStart, startOffset);
            }
            if (token.rstrip()) {
                while (stop < s.length()) {
                    int cp = s.codePointAt(stop);
                    if (!Unicode.isWhiteSpace(cp)) {
                        break;
                    }
                    stop += Character.charCount(cp);
                }
            }
            if (startOffset < start) {
                out.add(new int[] {startOffset, start, -1});
            }
            out.add(new int[] {start, stop, id});
            startOffset = stop;
        }
        if (startOffset != s.length()) {
            out.add(new int[] {startOffset, s.length(), -1});
        }
        return out;
    }

    /** Rust regex \w: alphabetic, marks, decimal digits, connector punctuation, join controls. */
    private static boolean isWordChar(int cp) {
        int t = Character.getType(cp);
        return Character.isAlphabetic(cp) || Unicode.isMark(cp) || t == Character.DECIMAL_DIGIT_NUMBER
                || t == Character.CONNECTOR_PUNCTUATION || cp == 0x200C || cp == 0x200D;
    }

    private static boolean endsWithWord(String s, int end) {
        return end > 0 && isWordChar(s.codePointBefore(end));
    }

    private static boolean startsWithWord(String s, int start) {
        return start < s.length() && isWordChar(s.codePointAt(start));
    }

    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        List<String> tokens = new ArrayList<>(ids.length);
        for (int id : ids) {
            String t = idToToken(id);
            if (t == null || (skipSpecialTokens && specialContents.contains(t))) {
                continue;
            }
            tokens.add(t);
        }
        if (decoder == null) {
            return String.join(" ", tokens);
        }
        return decoder.decode(tokens);
    }

    @Override
    public String idToToken(int id) {
        AddedToken t = addedById.get(id);
        return t != null ? t.content() : model.idToToken(id);
    }

    @Override
    public int tokenToId(String token) {
        Integer id = addedIds.get(token);
        return id != null ? id : model.tokenToId(token);
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public boolean isSpecial(int id) {
        AddedToken t = addedById.get(id);
        return t != null && t.special();
    }

    @Override
    public int bosTokenId() {
        return bosTokenId;
    }

    @Override
    public String displayToken(int id) {
        String t = idToToken(id);
        if (t == null) {
            return "";
        }
        if (addedById.containsKey(id)) {
            return t;
        }
        int fallbackByte = Decoder.parseByteToken(t);
        if (fallbackByte >= 0) {
            return fallbackByte < 0x80 ? visible(String.valueOf((char) fallbackByte))
                    : String.format("\\x%02X", fallbackByte);
        }
        if (byteLevelSymbols) {
            byte[] bytes = ByteLevel.bytesOf(t);
            if (bytes != null) {
                return visible(DisplayText.utf8WithEscapes(bytes));
            }
        }
        return visible(t.replace('\u2581', ' '));
    }

    /** Makes whitespace and control characters visible. */
    static String visible(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case ' ' -> sb.append('␣');
                case '\n' -> sb.append('↵');
                case '\t' -> sb.append('⇥');
                case '\r' -> sb.append('␍');
                default -> {
                    if (cp < 0x20 || cp == 0x7F) {
                        sb.append(String.format("\\x%02X", cp));
                    } else {
                        sb.appendCodePoint(cp);
                    }
                }
            }
        });
        return sb.toString();
    }

    /**
     * Leftmost-longest matching of a set of literal strings with a trie: finding costs at most the text's length
     * times the longest string's, whatever the number of strings (100k added tokens sharing a first character
     * made the list-per-first-character version try every one at every position).
     */
    static final class AddedMatcher {
        private static final class Node {
            final Map<Character, Node> next = new HashMap<>(4);
            int id = -1; // the id of the string ending here, or -1
        }

        private final Node root = new Node();

        AddedMatcher(Map<String, Integer> patterns) {
            for (Map.Entry<String, Integer> e : patterns.entrySet()) {
                String key = e.getKey();
                if (key.isEmpty()) {
                    continue;
                }
                Node node = root;
                for (int i = 0; i < key.length(); i++) {
                    node = node.next.computeIfAbsent(key.charAt(i), c -> new Node());
                }
                node.id = e.getValue();
            }
        }

        boolean isEmpty() {
            return root.next.isEmpty();
        }

        /** The leftmost, then longest match at or after {@code from}: {start, end, id}, or null. */
        int[] find(String s, int from) {
            for (int i = from; i < s.length(); i++) {
                Node node = root;
                int end = -1;
                int id = -1;
                for (int j = i; j < s.length(); j++) {
                    node = node.next.get(s.charAt(j));
                    if (node == null) {
                        break;
                    }
                    if (node.id >= 0) {
                        end = j + 1;
                        id = node.id;
                    }
                }
                if (end >= 0) {
                    return new int[] {i, end, id};
                }
            }
            return null;
        }
    }
}
