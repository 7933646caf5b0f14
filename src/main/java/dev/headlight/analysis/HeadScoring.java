package dev.headlight.analysis;

import dev.headlight.engine.AttentionMaps;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Computes {@link Score}s literally as defined there, accumulating in float64. Independent implementations are
 * compared against these numbers, so nothing here is approximated.
 */
public final class HeadScoring {
    private HeadScoring() {
    }

    /** Scores of every head: [layer][head]. */
    public static HeadScores[][] scoreAll(AttentionMaps maps, int[] ids, boolean causal) {
        if (maps.tokens() != ids.length) {
            throw new IllegalArgumentException("attention over " + maps.tokens() + " tokens but " + ids.length
                    + " ids");
        }
        TokenIndex index = new TokenIndex(ids);
        HeadScores[][] out = new HeadScores[maps.layers()][maps.heads()];
        // a layer at a time (its heads in parallel): a layer whose maps were not kept is recomputed once
        for (int l = 0; l < maps.layers(); l++) {
            int layer = l;
            java.util.stream.IntStream.range(0, maps.heads()).parallel().forEach(head ->
                    out[layer][head] = score(maps.head(layer, head), ids.length, index, causal));
        }
        return out;
    }

    /** Scores of one head from its map {@code attention // [query][key]} over {@code ids}. */
    public static HeadScores score(float[] attention, int[] ids, boolean causal) {
        return score(attention, ids.length, new TokenIndex(ids), causal);
    }

    private static HeadScores score(float[] a, int t, TokenIndex index, boolean causal) {
        if (a.length != t * t) {
            throw new IllegalArgumentException("attention map of " + a.length + " entries for " + t + " tokens");
        }
        double previous = 0;
        double first = 0;
        double self = 0;
        for (int i = 0; i < t; i++) {
            self += a[i * t + i];
            if (i >= 1) {
                previous += a[i * t + i - 1];
                first += a[i * t];
            }
        }
        double duplicate = 0;
        int duplicateQueries = 0;
        double induction = 0;
        int inductionQueries = 0;
        for (int i = 0; i < t; i++) {
            int[] earlier = index.earlierSame[i];
            if (earlier.length > 0) {
                duplicate += rowSum(a, i * t, earlier);
                duplicateQueries++;
            }
            int[] after = index.afterEarlierSame[i];
            if (after.length > 0) {
                induction += rowSum(a, i * t, after);
                inductionQueries++;
            }
        }
        double entropy = 0;
        int entropyQueries = 0;
        if (t >= 2) {
            for (int i = causal ? 1 : 0; i < t; i++) {
                int keys = causal ? i + 1 : t;
                double h = 0;
                for (int j = 0; j < keys; j++) {
                    double p = a[i * t + j];
                    if (p > 0) {
                        h -= p * Math.log(p);
                    }
                }
                entropy += h / Math.log(keys);
                entropyQueries++;
            }
        }
        return new HeadScores(
                mean(previous, t - 1),
                mean(first, t - 1),
                mean(self, t),
                mean(duplicate, duplicateQueries),
                mean(induction, inductionQueries),
                mean(entropy, entropyQueries));
    }

    private static OptionalDouble mean(double sum, int count) {
        return count > 0 ? OptionalDouble.of(sum / count) : OptionalDouble.empty();
    }

    /** For each query i the keys that make it a duplicate-token / induction query. */
    private static final class TokenIndex {
        final int[][] earlierSame;       // [query] -> keys j < i with t_j = t_i
        final int[][] afterEarlierSame;  // [query] -> keys j, 1 <= j < i, with t_{j-1} = t_i

        TokenIndex(int[] ids) {
            int t = ids.length;
            earlierSame = new int[t][];
            afterEarlierSame = new int[t][];
            Map<Integer, List<Integer>> seen = new HashMap<>(); // token -> positions so far
            for (int q = 0; q < t; q++) {
                final int i = q;
                List<Integer> before = seen.getOrDefault(ids[i], List.of());
                earlierSame[i] = before.stream().mapToInt(Integer::intValue).toArray();
                // j - 1 is an earlier occurrence p of t_i with j = p + 1 < i
                afterEarlierSame[i] = before.stream().mapToInt(p -> p + 1).filter(j -> j < i).toArray();
                seen.computeIfAbsent(ids[i], k -> new ArrayList<>()).add(i);
            }
        }
    }

    /** The attention a query row (starting at {@code row} in the map) gives to the {@code keys}. */
    private static double rowSum(float[] map, int row, int[] keys) {
        double sum = 0;
        for (int j : keys) {
            sum += map[row + j];
        }
        return sum;
    }
}
