package dev.headlight.analysis;

import dev.headlight.engine.AttentionMaps;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Distance between two heads: the Jensen–Shannon divergence (in bits, so within [0, 1]) between their attention
 * rows, averaged over all query rows of all views (Clark et al. 2019, "What does BERT look at?"). For causal
 * models row 0 is skipped (it is [1] for every head); a causal row i covers keys 0..i, a bidirectional row all keys.
 * Every row of every view weighs the same. Long prompts are thinned: when the packed rows of all views would
 * exceed a budget (1.5·10⁹ / head pairs floats, within [4096, 65536]), every s-th query row of each view is used,
 * with the smallest stride s that fits; for 12×12 heads that keeps every row of prompts up to ~360 tokens, for
 * 32×32 heads of the 41-token probe plus prompts of ~50 tokens.
 *
 * <p>The cost is pairs × rows × keys logarithms; pairs are spread over all cores and the logarithm is a
 * float-precision series evaluated with the Vector API ({@link #fastLn} is its scalar twin), about 1e-7 relative
 * error, which is plenty for a map of heads. The rows of all views are packed into one array per head, so a pair
 * costs one long vector loop. The same function computes each head's own term, so identical heads are at
 * distance exactly 0.
 */
public final class HeadDistances {
    private static final double LN2 = Math.log(2);
    private static final VectorSpecies<Float> LANES = FloatVector.SPECIES_PREFERRED;
    private static final boolean VECTOR = !Boolean.getBoolean("headlight.scalarJsd");
    private static final long VECTOR_MIN_WORK = Long.getLong("headlight.vectorMinWork", 100_000_000L); // heads² × packed row length
    private static volatile boolean vectorWarm;
    private static final int WARM_UP_CALLS = Integer.getInteger("headlight.jsdWarmUpCalls", 5_000);
    private static final java.util.concurrent.atomic.AtomicBoolean WARMING =
            new java.util.concurrent.atomic.AtomicBoolean();
    // Work = head pairs × packed row length; long prompts are thinned to about this much (~1 s on two cores).
    private static final long WORK_BUDGET = 1_500_000_000L;
    private static final int MIN_ROW_BUDGET = 4_096;
    private static final int MAX_ROW_BUDGET = 65_536;
    private static final int SQRT_HALF_BITS = 0x3f3504f3; // float bits of sqrt(1/2)
    private static final int SHIFT = 0x3f800000 - SQRT_HALF_BITS; // moves mantissas >= sqrt 2 to the next exponent

    private HeadDistances() {
    }

    /** One token sequence's attention: maps over {@code maps.tokens()} tokens. */
    public record View(AttentionMaps maps, boolean causal) {
    }

    /**
     * Distances between all heads, head index = layer * heads + head: {@code // [head][head]}, symmetric, zero
     * diagonal.
     */
    public static double[][] compute(List<View> views) {
        if (views.isEmpty()) {
            throw new IllegalArgumentException("no attention to compare heads on");
        }
        int layers = views.getFirst().maps().layers();
        int heads = views.getFirst().maps().heads();
        int n = layers * heads;
        for (View v : views) {
            if (v.maps().layers() != layers || v.maps().heads() != heads) {
                throw new IllegalArgumentException("views of different models");
            }
        }
        // All heads pack the same rows in the same order: every view, every chosen query row, its keys.
        long pairs = Math.max(1L, (long) n * (n - 1) / 2);
        int budget = (int) Math.max(MIN_ROW_BUDGET, Math.min(MAX_ROW_BUDGET, WORK_BUDGET / pairs));
        int[][] queries = chooseQueries(views, budget); // [view] -> query rows used
        int rowCount = 0;
        int packed = 0;
        for (int v = 0; v < views.size(); v++) {
            rowCount += queries[v].length;
            for (int i : queries[v]) {
                packed += keys(views.get(v), i);
            }
        }
        if (rowCount == 0) {
            return new double[n][n];
        }
        // Pad to whole vectors with zeros, which add 0 ln 0 = 0.
        int width = ((packed + LANES.length() - 1) / LANES.length()) * LANES.length();
        // The Vector API is many times faster once C2 has compiled it but very slow before: a big job warms it
        // up first; a small job runs scalar while a background thread warms it up for the next call.
        final boolean vector = VECTOR && (vectorWarm || (long) n * n * width > VECTOR_MIN_WORK);
        if (vector) {
            warmUp();
        } else if (VECTOR) {
            warmUpInBackground();
        }
        float[][] rows = new float[n][width]; // [head][packed rows of all views]
        double[] selfTerms = new double[n];   // [head] sum over its rows of p ln p
        int[] offsets = new int[n];           // [head] packed so far
        // view by view, a layer at a time (its heads in parallel): a layer whose maps were not kept is
        // recomputed once
        for (int v = 0; v < views.size(); v++) {
            View view = views.get(v);
            int[] chosen = queries[v];
            for (int l = 0; l < layers; l++) {
                int layer = l;
                IntStream.range(0, heads).parallel().forEach(head -> {
                    int k = layer * heads + head;
                    int t = view.maps().tokens();
                    float[] map = view.maps().head(layer, head); // [query][key]
                    for (int i : chosen) {
                        int keys = keys(view, i);
                        System.arraycopy(map, i * t, rows[k], offsets[k], keys);
                        offsets[k] += keys;
                    }
                });
            }
        }
        IntStream.range(0, n).parallel().forEach(k ->
                // the very function the pairs use, so that identical heads come out at exactly 0
                selfTerms[k] = vector ? mixedPlogpSum(rows[k], rows[k]) : mixedPlogpSumScalar(rows[k], rows[k]));
        double[][] distance = new double[n][n];
        final double scale = 1.0 / rowCount / LN2;
        IntStream.range(0, n).parallel().forEach(a -> {
            for (int b = a + 1; b < n; b++) {
                // sum over rows of JSD = H(m) - (H(p) + H(q)) / 2 with H = -sum p ln p
                double mixed = vector ? mixedPlogpSum(rows[a], rows[b]) : mixedPlogpSumScalar(rows[a], rows[b]);
                double jsd = 0.5 * (selfTerms[a] + selfTerms[b]) - mixed;
                double d = Math.max(0, jsd) * scale;
                distance[a][b] = d;
                distance[b][a] = d;
            }
        });
        return distance;
    }

    /**
     * The same distance between each head of {@code a} and the same head (layer, index) of {@code b}: the mean over
     * aligned query rows of the Jensen–Shannon divergence (bits) of the two heads' attention rows. Aligned rows are
     * the first n = min(tokens of a, tokens of b) positions (the same positions of two models on one prompt, or of
     * one model on two prompts); causal rows 1..n-1 over keys 0..i (row 0 is [1] in both), which later tokens cannot
     * change; bidirectional views must have the same number of tokens. {@code // [layer][head]}, each in [0, 1];
     * 0 for a head whose aligned rows are equal, and for views of a single causal token.
     *
     * @throws IllegalArgumentException for views of different shapes, of different attention directions, or
     *                                  bidirectional views of different lengths
     */
    public static double[][] matching(View a, View b) {
        AttentionMaps ma = a.maps();
        AttentionMaps mb = b.maps();
        if (ma.layers() != mb.layers() || ma.heads() != mb.heads()) {
            throw new IllegalArgumentException("attention of " + ma.layers() + "×" + ma.heads() + " and "
                    + mb.layers() + "×" + mb.heads() + " heads cannot be matched head by head");
        }
        if (a.causal() != b.causal()) {
            throw new IllegalArgumentException("a causal and a bidirectional attention cannot be compared");
        }
        int n = Math.min(ma.tokens(), mb.tokens());
        if (!a.causal() && ma.tokens() != mb.tokens()) {
            throw new IllegalArgumentException("bidirectional attention over " + ma.tokens() + " and " + mb.tokens()
                    + " tokens cannot be aligned: give prompts of the same number of tokens");
        }
        int first = a.causal() ? 1 : 0;
        int rowCount = Math.max(0, n - first);
        int packed = 0;
        for (int i = first; i < n; i++) {
            packed += a.causal() ? i + 1 : n;
        }
        int width = ((packed + LANES.length() - 1) / LANES.length()) * LANES.length();
        boolean vector = VECTOR && vectorWarm;
        int layers = ma.layers();
        int heads = ma.heads();
        double[][] out = new double[layers][heads];
        if (rowCount == 0) {
            return out;
        }
        IntStream.range(0, layers * heads).parallel().forEach(k -> {
            int layer = k / heads;
            int head = k % heads;
            float[] rowsA = pack(ma.head(layer, head), ma.tokens(), first, n, a.causal(), width);
            float[] rowsB = pack(mb.head(layer, head), mb.tokens(), first, n, a.causal(), width);
            // the same three sums as compute(): sum over rows of JSD = H(m) - (H(p) + H(q)) / 2
            double selfA = vector ? mixedPlogpSum(rowsA, rowsA) : mixedPlogpSumScalar(rowsA, rowsA);
            double selfB = vector ? mixedPlogpSum(rowsB, rowsB) : mixedPlogpSumScalar(rowsB, rowsB);
            double mixed = vector ? mixedPlogpSum(rowsA, rowsB) : mixedPlogpSumScalar(rowsA, rowsB);
            out[layer][head] = Math.max(0, 0.5 * (selfA + selfB) - mixed) / rowCount / LN2;
        });
        return out;
    }

    /** Query rows [first, n) of one head's map over {@code tokens} tokens, keys 0..i (causal) or 0..n-1. */
    private static float[] pack(float[] map, int tokens, int first, int n, boolean causal, int width) {
        float[] rows = new float[width];
        int offset = 0;
        for (int i = first; i < n; i++) {
            int keys = causal ? i + 1 : n;
            System.arraycopy(map, i * tokens, rows, offset, keys);
            offset += keys;
        }
        return rows;
    }

    /** Keys of query row i: 0..i when causal, all otherwise. */
    private static int keys(View view, int i) {
        return view.causal() ? i + 1 : view.maps().tokens();
    }

    /**
     * The query rows compared: all of them (causal: from 1) while the packed length stays within {@code budget};
     * otherwise every s-th row of every view (from its first row) with the smallest stride s that fits.
     */
    static int[][] chooseQueries(List<View> views, int budget) {
        for (int stride = 1; ; stride++) {
            int[][] out = new int[views.size()][];
            long total = 0;
            for (int v = 0; v < views.size(); v++) {
                View view = views.get(v);
                int first = view.causal() ? 1 : 0;
                int t = view.maps().tokens();
                int count = t > first ? (t - first + stride - 1) / stride : 0;
                out[v] = new int[count];
                for (int k = 0; k < count; k++) {
                    out[v][k] = first + k * stride;
                    total += keys(view, out[v][k]);
                }
            }
            if (total <= budget || stride > 4096) {
                return out;
            }
        }
    }

    /** Sum over k of m ln m with m = (a[k] + b[k]) / 2; arrays of equal length, a multiple of the lanes. */
    static double mixedPlogpSum(float[] a, float[] b) {
        FloatVector acc = FloatVector.zero(LANES);
        for (int i = 0; i < a.length; i += LANES.length()) {
            FloatVector m = FloatVector.fromArray(LANES, a, i).add(FloatVector.fromArray(LANES, b, i)).mul(0.5f);
            acc = m.fma(lnVector(m), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    /**
     * Starts compiling the vector kernel on a daemon thread, so that the first head map is fast too; the UI may
     * call this when a model opens. Returns at once.
     */
    public static void warmUpInBackground() {
        if (VECTOR && !vectorWarm && WARMING.compareAndSet(false, true)) {
            Thread t = new Thread(HeadDistances::warmUp, "headlight-jsd-warmup");
            t.setDaemon(true);
            t.start();
        }
    }

    /** Gets the vector kernel compiled by C2 with many short calls before the real work. */
    private static synchronized void warmUp() {
        if (vectorWarm) {
            return;
        }
        float[] a = new float[LANES.length() * 4];
        float[] b = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i + 1f) / a.length;
            b[i] = 1f / (i + 1f);
        }
        double sink = 0;
        for (int k = 0; k < WARM_UP_CALLS; k++) {
            sink += mixedPlogpSum(a, b);
        }
        if (Double.isNaN(sink)) {
            throw new IllegalStateException("vector kernel warm-up produced NaN");
        }
        vectorWarm = true;
    }

    /** Scalar twin of {@link #mixedPlogpSum}, branch-free so that C2 can unroll it. */
    static double mixedPlogpSumScalar(float[] a, float[] b) {
        float acc0 = 0;
        float acc1 = 0;
        for (int i = 0; i < a.length; i += 2) {
            float m0 = (a[i] + b[i]) * 0.5f;
            float m1 = (a[i + 1] + b[i + 1]) * 0.5f;
            acc0 += m0 * fastLn(m0);
            acc1 += m1 * fastLn(m1);
        }
        return (double) acc0 + acc1;
    }

    /**
     * Natural logarithm lane-wise, same method as {@link #fastLn}; finite for 0 and subnormals, so m ln m is 0
     * there.
     */
    private static FloatVector lnVector(FloatVector x) {
        IntVector bits = x.reinterpretAsInts().add(SHIFT);
        IntVector exponent = bits.lanewise(VectorOperators.ASHR, 23).sub(127);
        FloatVector m = bits.and(0x007fffff).add(SQRT_HALF_BITS).reinterpretAsFloats(); // [sqrt 1/2, sqrt 2)
        FloatVector s = m.sub(1f).div(m.add(1f));
        FloatVector s2 = s.mul(s);
        FloatVector series = s2.fma(0.2222222f, 0.2857143f).mul(s2).add(0.4f).mul(s2).add(0.6666667f).mul(s2).add(2f)
                .mul(s);
        FloatVector e = (FloatVector) exponent.convert(VectorOperators.I2F, 0);
        return e.mul(0.6931472f).add(series);
    }

    /** Natural logarithm of a positive normal float, about 1e-7 relative error. */
    static float fastLn(float x) {
        int bits = Float.floatToRawIntBits(x) + SHIFT;
        int exponent = (bits >> 23) - 127;
        float m = Float.intBitsToFloat((bits & 0x007fffff) + SQRT_HALF_BITS); // [sqrt 1/2, sqrt 2)
        // ln m = 2 atanh(s), s = (m - 1) / (m + 1), |s| <= 0.172
        float s = (m - 1f) / (m + 1f);
        float s2 = s * s;
        float series = s * (2f + s2 * (0.6666667f + s2 * (0.4f + s2 * (0.2857143f + s2 * 0.2222222f))));
        return exponent * 0.6931472f + series;
    }
}
