package dev.headlight.engine;

/**
 * Attention probabilities of every layer and head: [layer][head][query][key], row = query, column = key.
 * Stored as float32 (exact, for parity output) or as IEEE half (2 bytes per probability, for display).
 */
public final class AttentionMaps {
    private final int layers;
    private final int heads;
    private final int tokens;
    private final float[] exact;   // [layer][head][query][key] when stored as float32, else null
    private final short[] compact; // [layer][head][query][key] as float16 bits when compact, else null

    public AttentionMaps(int layers, int heads, int tokens, boolean compactStorage) {
        this.layers = layers;
        this.heads = heads;
        this.tokens = tokens;
        long size = (long) layers * heads * tokens * tokens;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("attention maps of " + size + " entries do not fit in memory; "
                    + "use a shorter prompt");
        }
        this.exact = compactStorage ? null : new float[(int) size];
        this.compact = compactStorage ? new short[(int) size] : null;
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
        return compact != null;
    }

    private int index(int layer, int head, int query, int key) {
        return ((layer * heads + head) * tokens + query) * tokens + key;
    }

    public float get(int layer, int head, int query, int key) {
        int i = index(layer, head, query, key);
        return exact != null ? exact[i] : Float.float16ToFloat(compact[i]);
    }

    /** Stores one query row of one head: probs[from .. from + tokens). */
    public void putRow(int layer, int head, int query, float[] probs, int from) {
        int base = index(layer, head, query, 0);
        if (exact != null) {
            System.arraycopy(probs, from, exact, base, tokens);
        } else {
            for (int k = 0; k < tokens; k++) {
                compact[base + k] = Float.floatToFloat16(probs[from + k]);
            }
        }
    }

    /** One head's map as float32: [query][key]. */
    public float[] head(int layer, int head) {
        float[] out = new float[tokens * tokens];
        int base = index(layer, head, 0, 0);
        for (int i = 0; i < out.length; i++) {
            out[i] = exact != null ? exact[base + i] : Float.float16ToFloat(compact[base + i]);
        }
        return out;
    }

    /** Mean over the heads of one layer: [query][key]. */
    public float[] layerMean(int layer) {
        float[] out = new float[tokens * tokens];
        for (int h = 0; h < heads; h++) {
            float[] one = head(layer, h);
            for (int i = 0; i < out.length; i++) {
                out[i] += one[i] / heads;
            }
        }
        return out;
    }

    /** Everything as float32: [layer][head][query][key]. */
    public float[] toFloats() {
        if (exact != null) {
            return exact.clone();
        }
        float[] out = new float[compact.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Float.float16ToFloat(compact[i]);
        }
        return out;
    }
}
