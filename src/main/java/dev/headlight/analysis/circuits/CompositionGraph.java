package dev.headlight.analysis.circuits;

import dev.headlight.analysis.circuits.HeadCircuits.Composition;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Which compositions the composition graph draws: an edge per score (of the kinds switched on) at or above a
 * threshold, a default threshold that gives a readable graph, a head's strongest inputs and the strongest score
 * between each head and one head. The rules the window's graph, its "why" text and the model view's "composes with
 * the selected head" colouring share.
 */
public final class CompositionGraph {
    private CompositionGraph() {
    }

    /** The three ways an earlier head's output can feed a later head. */
    public enum Kind {
        Q("queries"), K("keys"), V("values");

        private final String reads;

        Kind(String reads) {
            this.reads = reads;
        }

        /** What of the later head the earlier head's output feeds, e.g. "keys". */
        public String reads() {
            return reads;
        }

        /** This kind's score of a pair (empty when null). */
        public OptionalDouble of(Composition c) {
            return switch (this) {
                case Q -> c.q();
                case K -> c.k();
                case V -> c.v();
            };
        }
    }

    /** One edge: {@code kind}-composition of head (fromLayer, fromHead) into (toLayer, toHead). */
    public record Edge(int fromLayer, int fromHead, int toLayer, int toHead, Kind kind, double score) {
    }

    /**
     * The edges of {@code pairs} (null entries skipped) whose score is at or above {@code threshold}, of the kinds
     * in {@code shown}; in the order of {@code pairs}, then Q, K, V.
     */
    public static List<Edge> edges(Iterable<Composition> pairs, double threshold, Set<Kind> shown) {
        List<Edge> out = new ArrayList<>();
        for (Composition pair : pairs) {
            if (pair == null) {
                continue;
            }
            for (Kind k : Kind.values()) {
                OptionalDouble v = k.of(pair);
                if (shown.contains(k) && v.isPresent() && v.getAsDouble() >= threshold) {
                    out.add(edge(pair, k, v.getAsDouble()));
                }
            }
        }
        return out;
    }

    /**
     * A threshold that shows about one edge per head (at least 4): the score of the n-th strongest edge of any kind,
     * n = max(4, heads), rounded down to 0.01; 0 without scores. {@code heads} counts every head of the model.
     */
    public static double defaultThreshold(Iterable<Composition> pairs, int heads) {
        List<Double> all = new ArrayList<>();
        for (Composition pair : pairs) {
            if (pair != null) {
                for (Kind k : Kind.values()) {
                    k.of(pair).ifPresent(all::add);
                }
            }
        }
        if (all.isEmpty()) {
            return 0;
        }
        all.sort(Comparator.reverseOrder());
        double nth = all.get(Math.min(all.size(), Math.max(4, heads)) - 1);
        return Math.floor(nth * 100) / 100;
    }

    /** The largest score of any kind in {@code pairs} (null entries skipped), 0 when there is none. */
    public static double strongest(Iterable<Composition> pairs) {
        double max = 0;
        for (Composition pair : pairs) {
            if (pair != null) {
                max = Math.max(max, pair.strongest());
            }
        }
        return max;
    }

    /**
     * The {@code n} strongest compositions (any kind, strongest first) of earlier heads into head (layer, head),
     * from {@code pairs}, which may hold other pairs too (e.g. the head's row).
     */
    public static List<Edge> strongestInputs(Iterable<Composition> pairs, int layer, int head, int n) {
        List<Edge> all = new ArrayList<>();
        for (Composition c : pairs) {
            if (c.toLayer() != layer || c.toHead() != head) {
                continue;
            }
            for (Kind k : Kind.values()) {
                k.of(c).ifPresent(v -> all.add(edge(c, k, v)));
            }
        }
        all.sort(Comparator.comparingDouble(Edge::score).reversed());
        return List.copyOf(all.subList(0, Math.min(n, all.size())));
    }

    /**
     * The strongest score (of the kinds in {@code shown}) between head (layer, head) and each other head, either way
     * round, from the head's compositions (its column and row) // [layer][head] of a model with {@code layers} x
     * {@code heads}; NaN for the head itself, its own layer and pairs without a shown score.
     */
    public static double[][] strongestWith(List<Composition> compositions, int layer, int head, int layers,
                                           int heads, Set<Kind> shown) {
        double[][] out = new double[layers][heads];
        for (double[] row : out) {
            Arrays.fill(row, Double.NaN);
        }
        for (Composition c : compositions) {
            boolean earlier = c.toLayer() == layer && c.toHead() == head;
            int l = earlier ? c.fromLayer() : c.toLayer();
            int h = earlier ? c.fromHead() : c.toHead();
            out[l][h] = strongest(c, shown);
        }
        return out;
    }

    /** The largest score of {@code c} of the kinds in {@code shown}; NaN when none is present. */
    public static double strongest(Composition c, Set<Kind> shown) {
        double best = Double.NaN;
        for (Kind k : Kind.values()) {
            OptionalDouble v = k.of(c);
            if (shown.contains(k) && v.isPresent() && !(v.getAsDouble() <= best)) {
                best = v.getAsDouble();
            }
        }
        return best;
    }

    private static Edge edge(Composition c, Kind k, double score) {
        return new Edge(c.fromLayer(), c.fromHead(), c.toLayer(), c.toHead(), k, score);
    }
}
