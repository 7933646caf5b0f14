package dev.headlight.analysis;

import dev.headlight.engine.RunOptions;

/**
 * A {@link RunOptions.HeadHook} that records (without changing) every layer's per-head attention outputs before the
 * output projection.
 */
public final class HeadOutputs implements RunOptions.HeadHook {
    private final float[][] perLayer; // [layer] -> [token][head][headDim]
    private int tokens;
    private int heads;
    private int headDim;

    public HeadOutputs(int layers) {
        this.perLayer = new float[layers][];
    }

    @Override
    public void onHeadOutputs(int layer, float[] headOutputs, int tokens, int heads, int headDim) {
        perLayer[layer] = java.util.Arrays.copyOf(headOutputs, tokens * heads * headDim);
        this.tokens = tokens;
        this.heads = heads;
        this.headDim = headDim;
    }

    /** All heads of a layer: {@code // [token][head][headDim]}. */
    public float[] layer(int layer) {
        if (perLayer[layer] == null) {
            throw new IllegalStateException("layer " + layer + " was not recorded");
        }
        return perLayer[layer];
    }

    /** One head of a layer: {@code // [token][headDim]}. */
    public float[] head(int layer, int head) {
        float[] all = layer(layer);
        float[] out = new float[tokens * headDim];
        for (int t = 0; t < tokens; t++) {
            System.arraycopy(all, (t * heads + head) * headDim, out, t * headDim, headDim);
        }
        return out;
    }

    public int tokens() {
        return tokens;
    }

    public int heads() {
        return heads;
    }

    public int headDim() {
        return headDim;
    }
}
