package dev.headlight.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Agglomerative clustering with average linkage (UPGMA): the distance between two clusters is the mean distance
 * between their members. Built with the nearest-neighbour-chain algorithm, O(n²) time, so 1024 heads cluster in
 * milliseconds.
 */
public final class AverageLinkage {

    /**
     * One merge of the dendrogram, scipy-style: nodes 0..n-1 are the points, merge k creates node n + k.
     *
     * @param left   node id of one side
     * @param right  node id of the other side
     * @param height average distance between the two sides
     * @param size   points under the new node
     */
    public record Merge(int left, int right, double height, int size) {
    }

    private final int n;
    private final List<Merge> merges;       // in order of height
    private final int[][] mergedLeaves;     // [merge] -> {a leaf of one side, a leaf of the other}

    private AverageLinkage(int n, List<Merge> merges, int[][] mergedLeaves) {
        this.n = n;
        this.merges = merges;
        this.mergedLeaves = mergedLeaves;
    }

    /** The distance given to pairs whose distance is NaN or infinite. */
    static final double UNDEFINED = 1e300;

    /** Clusters points with {@code distance // [n][n]} (symmetric). */
    public static AverageLinkage cluster(double[][] distance) {
        int n = distance.length;
        double[] d = new double[n * n]; // working cluster distances, [slot][slot]; a cluster lives in a leaf's slot
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = distance[i][j];
                // a NaN or infinite distance (weights holding NaN) is "farther than anything", yet finite so the
                // nearest-neighbour search always finds a neighbour and weighted averages cannot overflow
                d[i * n + j] = Double.isFinite(v) ? Math.min(v, UNDEFINED) : UNDEFINED;
            }
        }
        boolean[] active = new boolean[n];
        Arrays.fill(active, true);
        int[] size = new int[n];
        Arrays.fill(size, 1);
        record Raw(int slotA, int slotB, double height, int size, int order) {
        }
        List<Raw> raw = new ArrayList<>();
        int[] chain = new int[n];
        int chainLength = 0;
        int remaining = n;
        int nextStart = 0;
        while (remaining > 1) {
            if (chainLength == 0) {
                while (!active[nextStart]) {
                    nextStart++;
                }
                chain[chainLength++] = nextStart;
            }
            int a = chain[chainLength - 1];
            int previous = chainLength >= 2 ? chain[chainLength - 2] : -1;
            // nearest active neighbour of a, preferring the previous chain element on ties (guarantees progress)
            int best = previous;
            double bestDistance = previous >= 0 ? d[a * n + previous] : Double.POSITIVE_INFINITY;
            for (int k = 0; k < n; k++) {
                if (k != a && active[k] && d[a * n + k] < bestDistance) {
                    best = k;
                    bestDistance = d[a * n + k];
                }
            }
            if (best == previous) {
                chainLength -= 2;
                int keep = Math.min(a, previous);
                int gone = Math.max(a, previous);
                int merged = size[keep] + size[gone];
                raw.add(new Raw(keep, gone, bestDistance, merged, raw.size()));
                for (int k = 0; k < n; k++) {
                    if (active[k] && k != keep && k != gone) {
                        double v = (size[keep] * d[keep * n + k] + size[gone] * d[gone * n + k]) / merged;
                        d[keep * n + k] = v;
                        d[k * n + keep] = v;
                    }
                }
                active[gone] = false;
                size[keep] = merged;
                remaining--;
            } else {
                chain[chainLength++] = best;
            }
        }
        // Sort by height; the chain records a child before its parent, and the sort is stable, so ties keep it so.
        raw.sort(Comparator.comparingDouble(Raw::height));
        int[] parent = new int[n];     // union-find over leaves
        int[] nodeOfRoot = new int[n]; // root leaf -> current node id
        for (int i = 0; i < n; i++) {
            parent[i] = i;
            nodeOfRoot[i] = i;
        }
        List<Merge> merges = new ArrayList<>();
        int[][] leaves = new int[raw.size()][];
        for (int k = 0; k < raw.size(); k++) {
            Raw r = raw.get(k);
            int ra = find(parent, r.slotA());
            int rb = find(parent, r.slotB());
            int left = Math.min(nodeOfRoot[ra], nodeOfRoot[rb]);
            int right = Math.max(nodeOfRoot[ra], nodeOfRoot[rb]);
            merges.add(new Merge(left, right, r.height(), r.size()));
            leaves[k] = new int[]{r.slotA(), r.slotB()};
            parent[rb] = ra;
            nodeOfRoot[ra] = n + k;
        }
        return new AverageLinkage(n, List.copyOf(merges), leaves);
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    /** The n - 1 merges in order of increasing height. */
    public List<Merge> merges() {
        return merges;
    }

    /**
     * Cuts the tree into {@code clusters} clusters (at most n): cluster ids 0.. numbered in order of each cluster's
     * first point. Returns {@code // [point]} cluster id.
     */
    public int[] cut(int clusters) {
        int k = Math.max(1, Math.min(clusters, n));
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        for (int m = 0; m < n - k; m++) {
            int ra = find(parent, mergedLeaves[m][0]);
            int rb = find(parent, mergedLeaves[m][1]);
            parent[rb] = ra;
        }
        int[] idOfRoot = new int[n];
        Arrays.fill(idOfRoot, -1);
        int[] out = new int[n];
        int next = 0;
        for (int i = 0; i < n; i++) {
            int root = find(parent, i);
            if (idOfRoot[root] < 0) {
                idOfRoot[root] = next++;
            }
            out[i] = idOfRoot[root];
        }
        return out;
    }

    /** A default number of clusters for n heads: round(sqrt(n / 2)) within [2, 16] (n itself when n < 2). */
    public static int defaultClusterCount(int n) {
        return (int) Math.max(Math.min(2, n), Math.min(16, Math.round(Math.sqrt(n / 2.0))));
    }
}
