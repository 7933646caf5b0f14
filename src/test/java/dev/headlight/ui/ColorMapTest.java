package dev.headlight.ui;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ColorMapTest {

    private static int[] rgb(int argb) {
        return new int[]{argb >> 16 & 0xFF, argb >> 8 & 0xFF, argb & 0xFF};
    }

    private static void assertClose(int[] expected, int argb, int tolerance) {
        int[] actual = rgb(argb);
        for (int c = 0; c < 3; c++) {
            assertTrue(Math.abs(expected[c] - actual[c]) <= tolerance,
                    "channel " + c + ": expected " + expected[c] + " got " + actual[c]);
        }
    }

    @Test
    void endpointsMatchMatplotlib() {
        // the fit is within 6/255 of the tables; matplotlib's _viridis_data[0] = (0.267004, 0.004874, 0.329415), [255] = (0.993248, 0.906157, 0.143936)
        assertClose(new int[]{68, 1, 84}, ColorMap.VIRIDIS.argb(0), 3);
        assertClose(new int[]{253, 231, 37}, ColorMap.VIRIDIS.argb(1), 4);
        // matplotlib's _magma_data[0] = (0.001462, 0.000466, 0.013866), [255] = (0.987053, 0.991438, 0.749504)
        assertClose(new int[]{0, 0, 4}, ColorMap.MAGMA.argb(0), 6);
        assertClose(new int[]{252, 253, 191}, ColorMap.MAGMA.argb(1), 6);
    }

    @Test
    void luminanceRisesMonotonically() {
        for (ColorMap map : ColorMap.values()) {
            double previous = -1;
            for (int i = 0; i < ColorMap.STEPS; i += 8) {
                int[] c = rgb(map.argb(i / 255.0));
                double luminance = 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
                assertTrue(luminance > previous - 0.5, map + " at step " + i);
                previous = luminance;
            }
        }
    }

    @Test
    void clampsAndOpaque() {
        assertEquals(ColorMap.VIRIDIS.argb(0), ColorMap.VIRIDIS.argb(-3));
        assertEquals(ColorMap.VIRIDIS.argb(0), ColorMap.VIRIDIS.argb(Double.NaN));
        assertEquals(ColorMap.VIRIDIS.argb(1), ColorMap.VIRIDIS.argb(7));
        assertEquals(0xFF, ColorMap.MAGMA.argb(0.5) >>> 24);
        assertEquals(128, ColorMap.step(0.5));
    }

    @Test
    void contrastingTextIsReadable() {
        assertEquals(0xFFFFFFFF, ColorMap.contrastingText(ColorMap.VIRIDIS.argb(0)));
        assertEquals(0xFF000000, ColorMap.contrastingText(ColorMap.VIRIDIS.argb(1)));
    }

    @Test
    void logScaleMapsDecadesEvenly() {
        assertEquals(1.0, AttentionScale.LOG.normalize(1.0), 1e-12);
        assertEquals(2 / 3.0, AttentionScale.LOG.normalize(0.1), 1e-12);
        assertEquals(1 / 3.0, AttentionScale.LOG.normalize(0.01), 1e-12);
        assertEquals(0.0, AttentionScale.LOG.normalize(1e-4), 1e-12);
        assertEquals(0.01, AttentionScale.LOG.valueAt(1 / 3.0), 1e-12);
        assertEquals(0.37, AttentionScale.LINEAR.normalize(0.37), 1e-12);
        assertEquals(0.37, AttentionScale.LINEAR.valueAt(0.37), 1e-12);
    }
}
