package dev.headlight.ui;

import dev.headlight.ui.view.HeatmapImages;
import javafx.scene.image.WritableImage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Heatmap pixels are the colour map applied to the attention values (WritableImage works without a toolkit). */
class HeatmapImagesTest {

    @Test
    void onePixelPerQueryKeyAndMaskedKeys() {
        int t = 3;
        float[] map = {1f, 0, 0, 0.25f, 0.75f, 0, 0.1f, 0.2f, 0.7f}; // [query][key]
        WritableImage image = HeatmapImages.of(map, t, ColorMap.MAGMA, AttentionScale.LINEAR, 0.15, true, 0xFF123456);
        assertEquals(3, (int) image.getWidth());
        for (int q = 0; q < t; q++) {
            for (int k = 0; k < t; k++) {
                float p = map[q * t + k];
                int expected = k > q ? 0xFF123456 : ColorMap.MAGMA.argb(p < 0.15 ? 0 : p);
                assertEquals(expected, image.getPixelReader().getArgb(k, q), "q " + q + " k " + k);
            }
        }
    }

    @Test
    void thumbnailsPoolBlocksByTheirLargestWeight() {
        int t = 8;
        float[] map = new float[t * t];
        for (int q = 1; q < t; q++) {
            map[q * t + q - 1] = 1; // previous-token diagonal
        }
        map[0] = 1;
        WritableImage thumb = HeatmapImages.thumbnail(map, t, ColorMap.VIRIDIS, AttentionScale.LINEAR, true, 0xFF000000, 4);
        assertEquals(4, (int) thumb.getWidth());
        for (int row = 0; row < 4; row++) {
            // each 2x2 block on the diagonal holds a 1
            assertEquals(ColorMap.VIRIDIS.argb(1), thumb.getPixelReader().getArgb(row, row));
        }
        assertEquals(0xFF000000, thumb.getPixelReader().getArgb(3, 0), "above the diagonal is masked");
        assertEquals(ColorMap.VIRIDIS.argb(0), thumb.getPixelReader().getArgb(0, 3));
    }

    /** Pooling to at least the map's size changes nothing: the pooled image is the plain one, threshold included. */
    @Test
    void pooledImagesOfShortMapsArePixelForPixelThePlainOnes() {
        int t = 5;
        float[] map = new float[t * t];
        java.util.Random r = new java.util.Random(3);
        for (int q = 0; q < t; q++) {
            for (int k = 0; k <= q; k++) {
                map[q * t + k] = r.nextFloat();
            }
        }
        float[] pooled = HeatmapImages.pool(map, t, true, 8);
        assertEquals(t * t, pooled.length);
        WritableImage plain = HeatmapImages.of(map, t, ColorMap.MAGMA, AttentionScale.LOG, 0.3, true, 0xFF010203);
        WritableImage viaPool = HeatmapImages.ofPooled(pooled, ColorMap.MAGMA, AttentionScale.LOG, 0.3, 0xFF010203);
        for (int q = 0; q < t; q++) {
            for (int k = 0; k < t; k++) {
                assertEquals(k > q ? -1f : map[q * t + k], pooled[q * t + k]);
                assertEquals(plain.getPixelReader().getArgb(k, q), viaPool.getPixelReader().getArgb(k, q));
            }
        }
    }
}
