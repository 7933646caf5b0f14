package dev.headlight.engine;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Attention probabilities of every layer and head: [layer][head][query][key], row = query, column = key.
 * Stored as float32 (exact, for parity output) or as IEEE half (2 bytes per probability, for display), one array
 * per head, so no size limit applies beyond one head's map of tokens² entries.
 *
 * <p>A memory budget bounds what is stored. If every layer fits, every layer is kept. Otherwise the first layers
 * that fit are kept and the maps of the later layers are not stored during the pass: asking for one of them
 * recomputes that layer from the residual stream entering it ({@link LayerSource}, supplied by the engine), which
 * gives bitwise the numbers the pass computed. The last {@link #recomputedSlots()} recomputed layers are kept
 * (least recently used first out), and those slots count against the budget, so the maps never hold more than the
 * budget. A prompt whose single layer exceeds the budget is refused ({@link TooLongException}).
 *
 * <p>Reads are thread-safe; a layer that is not kept is recomputed on the calling thread (one recompute at a time;
 * a thread that needs a layer another thread is recomputing waits for it). Callers that must not block (a UI
 * thread) check {@link #isReady} first and fetch the layer elsewhere.
 */
public final class AttentionMaps {
    /** Budget meaning "keep everything": no layer is ever recomputed. */
    public static final long UNBOUNDED = Long.MAX_VALUE;
    /** The largest Java array, in entries: one head's map may not be larger. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final int layers;
    private final int heads;
    private final int tokens;
    private final boolean compact;
    private final long budgetBytes;
    private final int keptLayers;                 // layers [0, keptLayers) are stored
    private final int recomputedSlots;            // recomputed layers kept at most (LRU)
    private final LayerData[] kept;               // [layer]: the stored maps, null for a layer not kept
    private final Map<Integer, LayerData> recent; // layer -> recomputed maps, in access order (LRU)
    private final Object recomputeLock = new Object();
    private volatile LayerSource source;          // recomputes a layer that is not kept; null until the pass ends

    /** Every layer kept, no budget: what tests and hand-built maps use. */
    public AttentionMaps(int layers, int heads, int tokens, boolean compactStorage) {
        this(layers, heads, tokens, compactStorage, UNBOUNDED);
    }

    /**
     * Maps whose stored part stays within {@code budgetBytes}; 0 stores none (a layer read is recomputed and held
     * alone, and no prompt is too long).
     *
     * @throws TooLongException when not even one layer fits the budget (or one head's map is larger than a Java
     *                          array)
     */
    public AttentionMaps(int layers, int heads, int tokens, boolean compactStorage, long budgetBytes) {
        if (layers < 0 || heads <= 0 || tokens <= 0 || budgetBytes < 0) {
            throw new IllegalArgumentException("attention maps of " + layers + " layers, " + heads + " heads, "
                    + tokens + " tokens, budget " + budgetBytes + " bytes");
        }
        this.layers = layers;
        this.heads = heads;
        this.tokens = tokens;
        this.compact = compactStorage;
        this.budgetBytes = budgetBytes;
        long perLayer = bytesPerLayer(heads, tokens, compactStorage);
        if (budgetBytes > 0 && ((long) tokens * tokens > MAX_ARRAY || perLayer > budgetBytes)) {
            throw new TooLongException(tokens, heads, compactStorage, perLayer, budgetBytes);
        }
        long fit = budgetBytes / perLayer;
        if (budgetBytes == 0) { // nothing stored: whoever reads a layer anyway gets it recomputed
            keptLayers = 0;
            recomputedSlots = 1;
        } else if (fit >= layers) {
            keptLayers = layers;
            recomputedSlots = 0;
        } else {
            // one slot lets a view show a layer; a second lets two views (or a view and a sweep) alternate
            recomputedSlots = fit >= 4 ? 2 : 1;
            keptLayers = (int) fit - recomputedSlots;
        }
        kept = new LayerData[layers];
        for (int l = 0; l < keptLayers; l++) {
            kept[l] = new LayerData(heads, tokens, compactStorage);
        }
        recent = new LinkedHashMap<>(4, 0.75f, true);
    }

    /** Bytes of one layer's maps: heads × tokens² probabilities of 2 (compact) or 4 bytes. */
    public static long bytesPerLayer(int heads, int tokens, boolean compact) {
        return (long) heads * tokens * tokens * (compact ? Short.BYTES : Float.BYTES);
    }

    public int layers() {
        return layers;
    }

    public int heads() {
        return heads;
    }

    public int tokens() {
        return tokens;
    }

    public boolean isCompact() {
        return compact;
    }

    /** The memory budget of the stored maps, in bytes ({@link #UNBOUNDED} for none). */
    public long budgetBytes() {
        return budgetBytes;
    }

    /** How many layers are stored: layers {@code [0, keptLayers())}; the others are recomputed on demand. */
    public int keptLayers() {
        return keptLayers;
    }

    /** How many recomputed layers are held at most (0 when every layer is kept). */
    public int recomputedSlots() {
        return recomputedSlots;
    }

    /** Whether {@code layer}'s maps were stored by the pass. */
    public boolean isKept(int layer) {
        checkLayer(layer);
        return layer < keptLayers;
    }

    /** Whether some layers are recomputed on demand. */
    public boolean recomputes() {
        return keptLayers < layers;
    }

    /** Whether reading {@code layer} returns at once: it is kept or was recomputed recently. */
    public boolean isReady(int layer) {
        checkLayer(layer);
        if (layer < keptLayers) {
            return true;
        }
        synchronized (recent) {
            return recent.containsKey(layer);
        }
    }

    /** Bytes the maps can hold at most: the kept layers plus the recomputed slots. */
    public long maxBytes() {
        return (long) (keptLayers + recomputedSlots) * bytesPerLayer(heads, tokens, compact);
    }

    /**
     * Hands over how to recompute the layers that are not kept (the engine does this once the pass has ended).
     * Not needed, and better not given, when every layer is kept: the source holds the model and the residual.
     */
    public void recomputeWith(LayerSource layerSource) {
        this.source = layerSource;
    }

    /** Stores one query row of one head: probs[from .. from + tokens). Rows of a layer not kept are ignored. */
    public void putRow(int layer, int head, int query, float[] probs, int from) {
        LayerData d = kept[layer];
        if (d != null) {
            d.putRow(head, query, probs, from, tokens);
        }
    }

    /**
     * Copies the first {@code rows} query rows of every head of {@code layer} from {@code earlier} (a shorter or
     * equal prompt whose first {@code rows} positions are this one's): causal rows see no later key, so the keys
     * past {@code rows} stay 0. Same storage kinds copy as stored (no float16 round trip); a layer not kept here
     * is skipped, one not kept there is read (recomputed) from it.
     */
    public void copyRowsFrom(AttentionMaps earlier, int layer, int rows) {
        LayerData d = kept[layer];
        if (d == null) {
            return;
        }
        int before = earlier.tokens;
        LayerData e = earlier.layer(layer);
        float[] row = new float[tokens];                               // [key]
        for (int h = 0; h < heads; h++) {
            for (int q = 0; q < rows; q++) {
                if (d.half != null && e.half != null) {
                    System.arraycopy(e.half[h], q * before, d.half[h], q * tokens, rows);
                } else if (d.exact != null && e.exact != null) {
                    System.arraycopy(e.exact[h], q * before, d.exact[h], q * tokens, rows);
                } else {
                    for (int k = 0; k < rows; k++) {
                        row[k] = e.get(h, q * before + k);
                    }
                    d.putRow(h, q, row, 0, tokens);
                }
            }
        }
    }

    public float get(int layer, int head, int query, int key) {
        return layer(layer).get(head, query * tokens + key);
    }

    /** One head's map as float32: [query][key] (recomputes the layer if it is not kept). */
    public float[] head(int layer, int head) {
        if (head < 0 || head >= heads) {
            throw new IndexOutOfBoundsException("head " + head + " of " + heads);
        }
        return layer(layer).head(head);
    }

    /**
     * One head's map if its layer is ready ({@link #isReady}), else null: never recomputes, so a UI thread may
     * call it (checking {@link #isReady} first and then reading could race with another thread's recompute).
     */
    public float[] headIfReady(int layer, int head) {
        LayerData d = readyLayer(layer);
        return d == null ? null : d.head(head);
    }

    /** The layer's mean map if the layer is ready, else null; never recomputes. */
    public float[] layerMeanIfReady(int layer) {
        LayerData d = readyLayer(layer);
        return d == null ? null : mean(d);
    }

    /** Mean over the heads of one layer: [query][key]. */
    public float[] layerMean(int layer) {
        return mean(layer(layer));
    }

    private float[] mean(LayerData d) {
        float[] out = new float[tokens * tokens];
        for (int h = 0; h < heads; h++) {
            float[] one = d.head(h);
            for (int i = 0; i < out.length; i++) {
                out[i] += one[i] / heads;
            }
        }
        return out;
    }

    /** Everything as float32: [layer][head][query][key] (recomputing layers that are not kept, one at a time). */
    public float[] toFloats() {
        long size = (long) layers * heads * tokens * tokens;
        if (size > MAX_ARRAY) {
            throw new IllegalStateException("attention maps of " + size + " entries do not fit in one array; "
                    + "read them a head at a time");
        }
        float[] out = new float[(int) size];
        int perHead = tokens * tokens;
        for (int l = 0; l < layers; l++) {
            LayerData d = layer(l);
            for (int h = 0; h < heads; h++) {
                d.copyHead(h, out, (l * heads + h) * perHead);
            }
        }
        return out;
    }

    /** One line for people: how the maps are stored, e.g. which layers are recomputed under which budget. */
    public String describe() {
        if (budgetBytes == 0) {
            return "attention maps not kept (recomputed when read)";
        }
        if (!recomputes()) {
            return "attention maps of all " + layers + " layers kept (" + mib(maxBytes()) + ")";
        }
        return "attention maps of layers " + layerRange(keptLayers, layers - 1) + " are recomputed when shown "
                + "(memory budget " + mib(budgetBytes) + ")";
    }

    /** "8–31", or "8" for one layer. */
    static String layerRange(int first, int last) {
        return first == last ? String.valueOf(first) : first + "–" + last;
    }

    /** Bytes for people: "512 MiB", "1.5 GiB", "12.2 KiB", "300 bytes". */
    public static String mib(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        int unit = Math.min(units.length, (63 - Long.numberOfLeadingZeros(bytes)) / 10); // 1 = KiB
        double v = bytes / Math.pow(1024, unit);
        return String.format(Locale.ROOT, v >= 10 || v == Math.rint(v) ? "%.0f %s" : "%.1f %s", v, units[unit - 1]);
    }

    private void checkLayer(int layer) {
        if (layer < 0 || layer >= layers) {
            throw new IndexOutOfBoundsException("layer " + layer + " of " + layers);
        }
    }

    /** The maps of one layer if stored or recently recomputed, else null. */
    private LayerData readyLayer(int layer) {
        checkLayer(layer);
        LayerData d = kept[layer];
        if (d != null) {
            return d;
        }
        synchronized (recent) {
            return recent.get(layer);
        }
    }

    /** The maps of one layer: stored, recently recomputed, or recomputed now. */
    private LayerData layer(int layer) {
        LayerData d = readyLayer(layer);
        if (d != null) {
            return d;
        }
        synchronized (recomputeLock) {
            synchronized (recent) {
                d = recent.get(layer); // another thread may have recomputed it meanwhile
            }
            if (d != null) {
                return d;
            }
            LayerSource s = source;
            if (s == null) {
                throw new IllegalStateException("the attention maps of layer " + layer + " were not kept and "
                        + "cannot be recomputed");
            }
            synchronized (recent) {
                // make room first: the budget holds the recomputed slots, never one more
                while (recent.size() >= recomputedSlots) {
                    Integer eldest = recent.keySet().iterator().next();
                    recent.remove(eldest);
                }
            }
            LayerData fresh = new LayerData(heads, tokens, compact);
            s.compute(layer, (head, query, probs, from) -> fresh.putRow(head, query, probs, from, tokens));
            synchronized (recent) {
                recent.put(layer, fresh);
            }
            return fresh;
        }
    }

    /** Computes one layer's probabilities again (the engine: that layer's attention on the residual entering it). */
    @FunctionalInterface
    public interface LayerSource {
        /** Hands every (head, query) row of {@code layer}'s attention probabilities to {@code sink}. */
        void compute(int layer, RowSink sink);
    }

    /** Receives attention probability rows. Rows of different heads may arrive from different threads at once. */
    @FunctionalInterface
    public interface RowSink {
        /** One query row of one head: {@code probs[from .. from + tokens)}, over all keys. */
        void putRow(int head, int query, float[] probs, int from);
    }

    /** A prompt so long that one layer's maps exceed the memory budget; the message says so with the numbers. */
    public static final class TooLongException extends IllegalArgumentException {
        /** What the message advises after the reason; callers that give their own advice leave it out. */
        private static final String ADVICE = " Shorten the prompt or raise the budget (Java option -D"
                + RunOptions.BUDGET_PROPERTY + "=MiB).";

        private final int tokens;
        private final long bytesPerLayer;
        private final long budgetBytes;

        TooLongException(int tokens, int heads, boolean compact, long bytesPerLayer, long budgetBytes) {
            super(String.format(Locale.ROOT, "The prompt of %,d tokens is too long for the attention memory budget: "
                            + "one layer's maps take %s (%d heads × %,d² × %d bytes), the budget is %s.", tokens,
                    mib(bytesPerLayer), heads, tokens, compact ? 2 : 4, mib(budgetBytes)) + ADVICE);
            this.tokens = tokens;
            this.bytesPerLayer = bytesPerLayer;
            this.budgetBytes = budgetBytes;
        }

        /** The message without the advice on what to do, for callers that give their own. */
        public String reason() {
            String message = getMessage();
            return message.substring(0, message.length() - ADVICE.length());
        }

        public int tokens() {
            return tokens;
        }

        public long bytesPerLayer() {
            return bytesPerLayer;
        }

        public long budgetBytes() {
            return budgetBytes;
        }
    }

    /** One layer's maps: one array per head, float32 or float16 bits. */
    private static final class LayerData {
        private final float[][] exact; // [head] -> [query][key], or null when compact
        private final short[][] half;  // [head] -> [query][key] as float16 bits, or null when exact

        LayerData(int heads, int tokens, boolean compact) {
            int size = tokens * tokens;
            exact = compact ? null : new float[heads][size];
            half = compact ? new short[heads][size] : null;
        }

        void putRow(int head, int query, float[] probs, int from, int tokens) {
            int base = query * tokens;
            if (exact != null) {
                System.arraycopy(probs, from, exact[head], base, tokens);
            } else {
                short[] dst = half[head];
                for (int k = 0; k < tokens; k++) {
                    dst[base + k] = Float.floatToFloat16(probs[from + k]);
                }
            }
        }

        float get(int head, int index) {
            return exact != null ? exact[head][index] : Float.float16ToFloat(half[head][index]);
        }

        float[] head(int head) {
            if (exact != null) {
                return exact[head].clone();
            }
            float[] out = new float[half[head].length];
            copyHead(head, out, 0);
            return out;
        }

        void copyHead(int head, float[] out, int at) {
            if (exact != null) {
                System.arraycopy(exact[head], 0, out, at, exact[head].length);
                return;
            }
            short[] src = half[head];
            for (int i = 0; i < src.length; i++) {
                out[at + i] = Float.float16ToFloat(src[i]);
            }
        }
    }
}
