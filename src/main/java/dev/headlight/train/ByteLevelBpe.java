package dev.headlight.train;

import dev.headlight.format.tokenizer.ByteLevel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Byte-level BPE as GPT-2 uses it: text split by the GPT-2 pre-tokenization regex, each piece's UTF-8 bytes mapped
 * to printable characters (bytes_to_unicode, both from {@link ByteLevel}), then merges applied lowest rank first. {@link #train} learns the merges
 * from a text; {@link #encode} gives the ids the Hugging Face tokenizers library gives for the written tokenizer.json.
 */
public final class ByteLevelBpe {
    public static final String END_OF_TEXT = "<|endoftext|>";

    private final List<String> vocab;              // [id] byte-level string; id 0 = <|endoftext|>
    private final Map<String, Integer> ids;        // string -> id
    private final List<String[]> merges;           // [rank] pair
    private final Map<String, Integer> mergeRank;  // "a b" -> rank
    private final Map<String, int[]> cache = new HashMap<>();

    private ByteLevelBpe(List<String> vocab, List<String[]> merges) {
        this.vocab = List.copyOf(vocab);
        this.merges = List.copyOf(merges);
        ids = new HashMap<>();
        for (int i = 0; i < vocab.size(); i++) {
            ids.putIfAbsent(vocab.get(i), i);
        }
        mergeRank = new HashMap<>();
        for (int r = 0; r < merges.size(); r++) {
            mergeRank.putIfAbsent(merges.get(r)[0] + " " + merges.get(r)[1], r);
        }
    }

    /** A tokenizer from a vocabulary ({@code vocab.get(id)}) and ranked merges, e.g. read from a tokenizer.json. */
    public static ByteLevelBpe of(List<String> vocab, List<String[]> merges) {
        return new ByteLevelBpe(vocab, merges);
    }

    /**
     * Learns merges until the vocabulary (with {@code <|endoftext|>} and the 256 byte symbols) has {@code vocabSize}
     * entries or no pair occurs twice. The most frequent pair wins; ties go to the lexicographically smallest pair.
     */
    public static ByteLevelBpe train(String text, int vocabSize) {
        if (vocabSize < 257) {
            throw new IllegalArgumentException("a byte-level vocabulary needs at least 257 entries, not " + vocabSize);
        }
        Map<String, Integer> wordCounts = new LinkedHashMap<>();
        for (String piece : ByteLevel.splitGpt2(text)) {
            wordCounts.merge(ByteLevel.toByteLevel(piece), 1, Integer::sum);
        }
        List<String> vocab = new ArrayList<>();
        vocab.add(END_OF_TEXT);
        Map<String, Integer> symbolIds = new HashMap<>();
        for (int b = 0; b < 256; b++) {
            String symbol = String.valueOf(ByteLevel.charOf(b));
            symbolIds.put(symbol, vocab.size());
            vocab.add(symbol);
        }
        // words as symbol ids; a merge rewrites them in place and shortens wordLength
        int[][] words = new int[wordCounts.size()][];   // [word][symbol]
        int[] wordLength = new int[words.length];      // [word]
        int[] counts = new int[words.length];          // [word]
        int w = 0;
        for (Map.Entry<String, Integer> e : wordCounts.entrySet()) {
            String word = e.getKey();
            words[w] = new int[word.length()];
            for (int i = 0; i < word.length(); i++) {
                words[w][i] = symbolIds.get(String.valueOf(word.charAt(i)));
            }
            wordLength[w] = word.length();
            counts[w] = e.getValue();
            w++;
        }
        List<String> symbols = new ArrayList<>(vocab); // [symbol id] string, also for merged strings already in vocab
        List<String[]> merges = new ArrayList<>();
        Map<Long, Integer> pairCounts = new HashMap<>();
        while (vocab.size() < vocabSize) {
            pairCounts.clear();
            for (int k = 0; k < words.length; k++) {
                int[] s = words[k];
                for (int i = 0; i + 1 < wordLength[k]; i++) {
                    pairCounts.merge(((long) s[i] << 32) | s[i + 1], counts[k], Integer::sum);
                }
            }
            long best = -1;
            int bestCount = 1;
            String bestKey = null;
            for (Map.Entry<Long, Integer> e : pairCounts.entrySet()) {
                int c = e.getValue();
                if (c < Math.max(2, bestCount)) { // a pair seen once is not worth a token
                    continue;
                }
                long pair = e.getKey();
                String key = symbols.get((int) (pair >>> 32)) + " " + symbols.get((int) pair);
                if (c > bestCount || bestKey == null || key.compareTo(bestKey) < 0) {
                    best = pair;
                    bestCount = c;
                    bestKey = key;
                }
            }
            if (bestKey == null) {
                break;
            }
            int a = (int) (best >>> 32);
            int b = (int) best;
            merges.add(new String[] {symbols.get(a), symbols.get(b)});
            String merged = symbols.get(a) + symbols.get(b);
            Integer mergedId = symbolIds.get(merged);
            if (mergedId == null) {
                mergedId = symbols.size();
                symbols.add(merged);
                symbolIds.put(merged, mergedId);
                vocab.add(merged);
            }
            for (int k = 0; k < words.length; k++) {
                int[] s = words[k];
                int out = 0;
                int n = wordLength[k];
                for (int i = 0; i < n; i++) {
                    if (i + 1 < n && s[i] == a && s[i + 1] == b) {
                        s[out++] = mergedId;
                        i++;
                    } else {
                        s[out++] = s[i];
                    }
                }
                wordLength[k] = out;
            }
        }
        return new ByteLevelBpe(vocab, merges);
    }

    /** Merges every non-overlapping occurrence of (a, b), left to right. */
    private static void mergeInPlace(List<String> s, String a, String b, String merged) {
        for (int i = 0; i + 1 < s.size(); i++) {
            if (s.get(i).equals(a) && s.get(i + 1).equals(b)) {
                s.set(i, merged);
                s.remove(i + 1);
            }
        }
    }

    /** Ids of {@code text} without special tokens (as HF with add_special_tokens=False). */
    public int[] encode(String text) {
        List<int[]> parts = new ArrayList<>();
        int total = 0;
        for (String piece : ByteLevel.splitGpt2(text)) {
            int[] p = encodeWord(ByteLevel.toByteLevel(piece));
            parts.add(p);
            total += p.length;
        }
        int[] out = new int[total];
        int k = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, k, p.length);
            k += p.length;
        }
        return out;
    }

    private int[] encodeWord(String word) {
        int[] cached = cache.get(word);
        if (cached != null) {
            return cached;
        }
        List<String> s = new ArrayList<>();
        for (char ch : word.toCharArray()) {
            s.add(String.valueOf(ch));
        }
        while (s.size() > 1) {
            int bestRank = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < s.size(); i++) {
                Integer r = mergeRank.get(s.get(i) + " " + s.get(i + 1));
                if (r != null && r < bestRank) {
                    bestRank = r;
                }
            }
            if (bestRank == Integer.MAX_VALUE) {
                break;
            }
            String[] m = merges.get(bestRank);
            mergeInPlace(s, m[0], m[1], m[0] + m[1]);
        }
        int[] out = new int[s.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ids.get(s.get(i));
        }
        if (cache.size() < 1_000_000) {
            cache.put(word, out);
        }
        return out;
    }

    public List<String> vocab() {
        return vocab;
    }

    public List<String[]> merges() {
        return merges;
    }

    public int vocabSize() {
        return vocab.size();
    }
}
