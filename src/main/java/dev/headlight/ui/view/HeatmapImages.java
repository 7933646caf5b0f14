package dev.headlight.ui.view;

import dev.headlight.ui.AttentionScale;
import dev.headlight.ui.ColorMap;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;

/** Attention maps turned into images with one pixel per (query, key), coloured through a colour map. */
public final class HeatmapImages {
    private HeatmapImages() {
    }

    /**
     * {@code map // [query][key]} as a {@code tokens × tokens} image; values below {@code threshold} get the
     * colour of 0; keys a causal query cannot see are painted {@code maskedArgb}.
     */
    public static WritableImage of(float[] map, int tokens, ColorMap colors, AttentionScale scale, double threshold,
                                   boolean causal, int maskedArgb) {
        int[] pixels = new int[tokens * tokens]; // [query][key] ARGB
        for (int q = 0; q < tokens; q++) {
            for (int k = 0; k < tokens; k++) {
                int i = q * tokens + k;
                pixels[i] = causal && k > q ? maskedArgb : argb(map[i], colors, scale, threshold, maskedArgb);
            }
        }
        return image(pixels, tokens, tokens, null);
    }

    /** The colour of probability {@code p}: -1 (a pooled block no query can see) is masked, below threshold 0. */
    private static int argb(float p, ColorMap colors, AttentionScale scale, double threshold, int maskedArgb) {
        return p < 0 ? maskedArgb : colors.argb(p < threshold ? 0 : scale.normalize(p));
    }

    /**
     * Like {@link #of} but at most {@code maxSide} pixels square: longer prompts are pooled by taking each block's
     * largest weight, so thin diagonals and stripes stay visible in thumbnails (and memory stays small).
     */
    public static WritableImage thumbnail(float[] map, int tokens, ColorMap colors, AttentionScale scale,
                                          boolean causal, int maskedArgb, int maxSide) {
        if (tokens <= maxSide) {
            return of(map, tokens, colors, scale, 0, causal, maskedArgb);
        }
        return ofPooled(pool(map, tokens, causal, maxSide), colors, scale, 0, maskedArgb);
    }

    /**
     * {@code map // [query][key]} pooled to at most {@code maxSide} per side by each block's largest weight:
     * {@code // [row][column]}, side = min(tokens, maxSide); a block that a causal query cannot see at all is -1.
     * Plain arithmetic, no JavaFX: it runs off the FX thread for maps that are recomputed.
     */
    public static float[] pool(float[] map, int tokens, boolean causal, int maxSide) {
        int side = Math.min(tokens, maxSide);
        float[] out = new float[side * side];
        for (int row = 0; row < side; row++) {
            int q0 = row * tokens / side, q1 = (row + 1) * tokens / side;
            for (int col = 0; col < side; col++) {
                int k0 = col * tokens / side, k1 = (col + 1) * tokens / side;
                float max = -1;
                for (int q = q0; q < q1; q++) {
                    for (int k = k0; k < k1 && (!causal || k <= q); k++) {
                        max = Math.max(max, map[q * tokens + k]);
                    }
                }
                out[row * side + col] = max;
            }
        }
        return out;
    }

    /**
     * The pooled maps of one layer's heads side by side, coloured: {@code pooled // [head] -> [row][column]} (each
     * {@code side × side}, from {@link #pool}) becomes ARGB pixels {@code // [row][head * side + column]}. -1
     * (masked) gets {@code maskedArgb}. Plain arithmetic, no JavaFX: it runs off the FX thread, which then only
     * copies the pixels into one image per layer (see {@link #image}) instead of making an image per head.
     */
    public static int[] layerRow(float[][] pooled, int side, ColorMap colors, AttentionScale scale, int maskedArgb) {
        int width = pooled.length * side;
        int[] pixels = new int[width * side]; // [row][head * side + column] ARGB
        for (int head = 0; head < pooled.length; head++) {
            float[] map = pooled[head]; // [row][column]
            for (int row = 0; row < side; row++) {
                int to = row * width + head * side;
                for (int col = 0; col < side; col++) {
                    pixels[to + col] = argb(map[row * side + col], colors, scale, 0, maskedArgb);
                }
            }
        }
        return pixels;
    }

    /**
     * ARGB {@code pixels // [row][column]} as a {@code width × height} image, written into {@code reuse} when it has
     * that size (no new image and texture each keystroke), else into a new one. Must run on the FX thread.
     */
    public static WritableImage image(int[] pixels, int width, int height, WritableImage reuse) {
        boolean fits = reuse != null && reuse.getWidth() == width && reuse.getHeight() == height;
        WritableImage image = fits ? reuse : new WritableImage(width, height);
        image.getPixelWriter().setPixels(0, 0, width, height, PixelFormat.getIntArgbInstance(), pixels, 0, width);
        return image;
    }

    /**
     * A pooled map from {@link #pool} as an image: -1 (masked) gets {@code maskedArgb}, values below
     * {@code threshold} the colour of 0.
     */
    public static WritableImage ofPooled(float[] pooled, ColorMap colors, AttentionScale scale, double threshold,
                                         int maskedArgb) {
        int side = (int) Math.round(Math.sqrt(pooled.length));
        int[] pixels = new int[side * side]; // [row][column] ARGB
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = argb(pooled[i], colors, scale, threshold, maskedArgb);
        }
        return image(pixels, side, side, null);
    }
}
