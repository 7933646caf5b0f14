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
                if (causal && k > q) {
                    pixels[i] = maskedArgb;
                } else {
                    double p = map[i];
                    pixels[i] = colors.argb(p < threshold ? 0 : scale.normalize(p));
                }
            }
        }
        WritableImage image = new WritableImage(tokens, tokens);
        image.getPixelWriter().setPixels(0, 0, tokens, tokens, PixelFormat.getIntArgbInstance(), pixels, 0, tokens);
        return image;
    }
}
