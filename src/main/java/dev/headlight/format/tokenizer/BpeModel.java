package dev.headlight.format.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-pair encoding as the tokenizers library does it: the word's characters become symbols (with
 * continuing_subword_prefix / end_of_word_suffix, byte_fallback to {@code <0xNN>} tokens, unk fusing), then the
 * lowest-ranked adjacent pair is merged repeatedly (ties: leftmost) until no merge applies.
 */
final class BpeModel extends VocabularyModel {
    private static final int CACHE_CAPACITY = 10_000;
    private static final int MAX_CACHED_WORD = 256;

    private final PairMap merges;
    private final String continuingSubwordPrefix;
    private final String endOfWordSuffix;
    private final boolean fuseUnk;
    private final boolean byteFallback;
    private final boolean ignoreMerges;
    private final int[] byteTokenIds; // [256] id of <0xNN>, or -1
    private final ConcurrentHashMap<String, List<Token>> cache = new ConcurrentHashMap<>();

    /** Thrown for a merge naming a token that is not in the vocabulary. */
    static final class BadMergeException extends RuntimeException {
        BadMergeException(String message) {
            super(message);
        }
    }

    BpeModel(Map<String, Integer> vocab, List<String[]> mergeList, String unkToken, String continuingSubwordPrefix,
            String endOfWordSuffix, boolean fuseUnk, boolean byteFallback, boolean ignoreMerges) {
        super(vocab, unkToken);
        this.continuingSubwordPrefix = continuingSubwordPrefix;
        this.endOfWordSuffix = endOfWordSuffix;
        this.fuseUnk = fuseUnk;
        this.byteFallback = byteFallback;
        this.ignoreMerges = ignoreMerges;
        this.byteTokenIds = new int[256];
        for (int b = 0; b < 256; b++) {
            Integer id = vocab.get(ByteLevel.BYTE_TOKEN_NAMES[b]);
            byteTokenIds[b] = id == null ? -1 : id;
        }
        int prefixLen = continuingSubwordPrefix == null ? 0 : continuingSubwordPrefix.length();
        this.merges = new PairMap(mergeList.size() * 2 + 16);
        for (int rank = 0; rank < mergeList.size(); rank++) {
            String a = mergeList.get(rank)[0];
            String b = mergeList.get(rank)[1];
            Integer aId = vocab.get(a);
            Integer bId = vocab.get(b);
            if (aId == null || bId == null) {
                throw new BadMergeException("merge " + (rank + 1) + " names token '" + (aId == null ? a : b)
                        + "' which is not in the vocabulary");
            }
            // the prefix is cut by its byte length from b, as the library does
            String merged = a + cutUtf8Prefix(b, prefixLen == 0 ? 0
                    : continuingSubwordPrefix.getBytes(StandardCharsets.UTF_8).length);
            Integer newId = vocab.get(merged);
            if (newId == null) {
                throw new BadMergeException("merge " + (rank + 1) + " makes token '" + merged
                        + "' which is not in the vocabulary");
            }
            merges.put(aId, bId, rank, newId);
        }
    }

    private static String cutUtf8Prefix(String s, int bytes) {
        if (bytes == 0) {
            return s;
        }
        int i = 0;
        int seen = 0;
        while (i < s.length() && seen < bytes) {
            int cp = s.codePointAt(i);
            seen += Character.toString(cp).getBytes(StandardCharsets.UTF_8).length;
            i += Character.charCount(cp);
        }
        return s.substring(i);
    }

    @Override
    public List<Token> tokenize(String word) {
        if (word.isEmpty()) {
            return List.of();
        }
        if (ignoreMerges) {
            Integer id = vocab.get(word);
            if (id != null) {
                return List.of(new Token(id, word, 0, word.length()));
            }
        }
        List<Token> hit = cache.get(word);
        if (hit != null) {
            return hit;
        }
        List<Token> tokens = mergeWord(word);
        if (word.length() <= MAX_CACHED_WORD) {
            if (cache.size() >= CACHE_CAPACITY) {
                cache.clear();
            }
            cache.put(word, tokens);
        }
        return tokens;
    }

    @Override
    public List<int[]> droppedRanges(String word) {
        if (unkToken != null) {
            return List.of(); // every character outside the vocabulary becomes the unknown token
        }
        List<int[]> dropped = new ArrayList<>();
        int n = word.length();
        for (int i = 0; i < n; ) {
            int cp = word.codePointAt(i);
            int width = Character.charCount(cp);
            String s = word.substring(i, i + width);
            if (i > 0 && continuingSubwordPrefix != null) {
                s = continuingSubwordPrefix + s;
            }
            if (i + width >= n && endOfWordSuffix != null) {
                s = s + endOfWordSuffix;
            }
            boolean kept = vocab.get(s) != null;
            if (!kept && byteFallback) {
                kept = true;
                for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
                    kept &= byteTokenIds[b & 0xFF] >= 0;
                }
            }
            if (!kept) {
                if (!dropped.isEmpty() && dropped.getLast()[1] == i) {
                    dropped.getLast()[1] = i + width;
                } else {
                    dropped.add(new int[] {i, i + width});
                }
            }
            i += width;
        }
        return dropped;
    }

    /** Symbols of the word: id and extent, in UTF-8 bytes (as the library counts) and UTF-16 units. */
    private List<Token> mergeWord(String w) {
        int n = w.length();
        // [symbol] parallel arrays; byte lengths are used for the library's offset arithmetic
        int[] ids = new int[n * 4 + 4];
        int[] byteLen = new int[n * 4 + 4];
        int count = 0;
        int unkId = -1;
        int unkLen = 0;
        int totalBytes = 0;
        for (int i = 0; i < n; ) {
            int cp = w.codePointAt(i);
            int width = Character.charCount(cp);
            boolean isFirst = i == 0;
            boolean isLast = i + width >= n;
            String s = w.substring(i, i + width);
            int sBytes = utf8Length(cp);
            totalBytes += sBytes;
            i += width;
            if (!isFirst && continuingSubwordPrefix != null) {
                s = continuingSubwordPrefix + s;
            }
            if (isLast && endOfWordSuffix != null) {
                s = s + endOfWordSuffix;
            }
            Integer id = vocab.get(s);
            if (id != null) {
                if (unkId >= 0) {
                    ids[count] = unkId;
                    byteLen[count++] = unkLen;
                    unkId = -1;
                }
                ids[count] = id;
                byteLen[count++] = sBytes;
                continue;
            }
            if (byteFallback) {
                byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
                boolean all = true;
                for (byte b : bytes) {
                    all &= byteTokenIds[b & 0xFF] >= 0;
                }
                if (all) {
                    if (count + bytes.length >= ids.length) {
                        ids = java.util.Arrays.copyOf(ids, (count + bytes.length) * 2);
                        byteLen = java.util.Arrays.copyOf(byteLen, (count + bytes.length) * 2);
                    }
                    for (byte b : bytes) {
                        ids[count] = byteTokenIds[b & 0xFF];
                        byteLen[count++] = 1;
                    }
                    continue;
                }
            }
            if (unkToken != null) {
                Integer unk = vocab.get(unkToken);
                if (unk == null) {
                    throw new IllegalStateException("unk_token '" + unkToken + "' is not in the vocabulary");
                }
                if (unkId >= 0 && fuseUnk) {
                    unkLen += sBytes;
                } else {
                    if (unkId >= 0) {
                        ids[count] = unkId;
                        byteLen[count++] = unkLen;
                    }
                    unkId = unk;
                    unkLen = sBytes;
                }
            }
        }
        if (unkId >= 0) {
            ids[count] = unkId;
            byteLen[count++] = unkLen;
        }
        return merge(w, ids, byteLen, count, totalBytes);
    }

    private static int utf8Length(int cp) {
        return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }

    private List<Token> merge(String w, int[] ids, int[] byteLen, int count, int totalBytes) {
        int[] prev = new int[count];
        int[] next = new int[count];
        for (int k = 0; k < count; k++) {
            prev[k] = k - 1;
            next[k] = k + 1 < count ? k + 1 : -1;
        }
        MergeQueue queue = new MergeQueue(count + 4);
        for (int k = 0; k + 1 < count; k++) {
            long m = merges.get(ids[k], ids[k + 1]);
            if (m != PairMap.MISSING) {
                queue.push(PairMap.rank(m), k, PairMap.newId(m));
            }
        }
        while (!queue.isEmpty()) {
            int pos = queue.topPos();
            int newId = queue.topNewId();
            queue.pop();
            if (byteLen[pos] == 0 || next[pos] == -1) {
                continue;
            }
            int right = next[pos];
            long current = merges.get(ids[pos], ids[right]);
            if (current == PairMap.MISSING || PairMap.newId(current) != newId) {
                continue;
            }
            ids[pos] = newId;
            byteLen[pos] += byteLen[right];
            next[pos] = next[right];
            byteLen[right] = 0;
            if (next[right] >= 0) {
                prev[next[right]] = pos;
            }
            if (prev[pos] >= 0) {
                long m = merges.get(ids[prev[pos]], ids[pos]);
                if (m != PairMap.MISSING) {
                    queue.push(PairMap.rank(m), prev[pos], PairMap.newId(m));
                }
            }
            if (next[pos] >= 0) {
                long m = merges.get(ids[pos], ids[next[pos]]);
                if (m != PairMap.MISSING) {
                    queue.push(PairMap.rank(m), pos, PairMap.newId(m));
                }
            }
        }
        // byte offsets -> UTF-16 offsets of the word; a token ending inside a character covers all of it
        int[] charStartOfByte = new int[totalBytes + 1];
        int[] charEndOfByte = new int[totalBytes + 1];
        int byteAt = 0;
        for (int i = 0; i < w.length(); ) {
            int cp = w.codePointAt(i);
            int width = Character.charCount(cp);
            int len = utf8Length(cp);
            for (int k = 0; k < len; k++) {
                charStartOfByte[byteAt + k] = i;
                charEndOfByte[byteAt + k] = i + width;
            }
            byteAt += len;
            i += width;
        }
        charStartOfByte[totalBytes] = w.length();
        List<Token> out = new ArrayList<>();
        int offset = 0;
        for (int k = 0; k < count; k++) {
            if (byteLen[k] == 0) {
                continue;
            }
            int startByte = Math.min(offset, totalBytes);
            int endByte = Math.min(offset + byteLen[k], totalBytes);
            int start = charStartOfByte[startByte];
            int end = endByte > startByte ? charEndOfByte[endByte - 1] : start;
            out.add(new Token(ids[k], vocabById[ids[k]], start, end));
            offset += byteLen[k];
        }
        return List.copyOf(out);
    }


    /** Open-addressing map from an id pair to (rank, new id), both packed in a long. */
    static final class PairMap {
        static final long MISSING = -1L;
        private long[] keys;
        private long[] values;
        private int size;

        PairMap(int capacity) {
            int cap = Integer.highestOneBit(Math.max(16, capacity) * 2);
            keys = new long[cap];
            values = new long[cap];
            java.util.Arrays.fill(keys, -1L);
        }

        static int rank(long v) {
            return (int) (v >>> 32);
        }

        static int newId(long v) {
            return (int) v;
        }

        void put(int a, int b, int rank, int newId) {
            if (size * 2 >= keys.length) {
                grow();
            }
            long key = ((long) a << 32) | (b & 0xFFFFFFFFL);
            int mask = keys.length - 1;
            int h = hash(key) & mask;
            while (keys[h] != -1L && keys[h] != key) {
                h = (h + 1) & mask;
            }
            if (keys[h] == -1L) {
                size++;
            }
            keys[h] = key; // a repeated merge keeps the later rank, like the library's HashMap
            values[h] = ((long) rank << 32) | (newId & 0xFFFFFFFFL);
        }

        long get(int a, int b) {
            long key = ((long) a << 32) | (b & 0xFFFFFFFFL);
            int mask = keys.length - 1;
            int h = hash(key) & mask;
            while (keys[h] != -1L) {
                if (keys[h] == key) {
                    return values[h];
                }
                h = (h + 1) & mask;
            }
            return MISSING;
        }

        private static int hash(long key) {
            long x = key * 0x9E3779B97F4A7C15L;
            return (int) (x ^ (x >>> 29));
        }

        private void grow() {
            long[] oldKeys = keys;
            long[] oldValues = values;
            keys = new long[oldKeys.length * 2];
            values = new long[oldKeys.length * 2];
            java.util.Arrays.fill(keys, -1L);
            size = 0;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != -1L) {
                    put((int) (oldKeys[i] >>> 32), (int) oldKeys[i], rank(oldValues[i]), newId(oldValues[i]));
                }
            }
        }
    }

    /** Binary min-heap of pending merges ordered by (rank, position). */
    static final class MergeQueue {
        private long[] key; // rank << 32 | pos
        private int[] newIds;
        private int size;

        MergeQueue(int capacity) {
            key = new long[capacity];
            newIds = new int[capacity];
        }

        boolean isEmpty() {
            return size == 0;
        }

        int topPos() {
            return (int) key[0];
        }

        int topNewId() {
            return newIds[0];
        }

        void push(int rank, int pos, int newId) {
            if (size == key.length) {
                key = java.util.Arrays.copyOf(key, size * 2);
                newIds = java.util.Arrays.copyOf(newIds, size * 2);
            }
            long k = ((long) rank << 32) | pos;
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (key[parent] <= k) {
                    break;
                }
                put(i, key[parent], newIds[parent]);
                i = parent;
            }
            put(i, k, newId);
        }

        void pop() {
            size--;
            if (size == 0) {
                return;
            }
            long k = key[size];
            int id = newIds[size];
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && key[child + 1] < key[child]) {
                    child++;
                }
                if (key[child] >= k) {
                    break;
                }
                put(i, key[child], newIds[child]);
                i = child;
            }
            put(i, k, id);
        }

        /** Puts an entry at slot i of the two parallel arrays. */
        private void put(int i, long k, int id) {
            key[i] = k;
            newIds[i] = id;
        }
    }
}
