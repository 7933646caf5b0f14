package dev.headlight.ui;

import javafx.scene.paint.Color;

/**
 * The one diverging colour scale for signed values and difference maps (patching, attribution, compare): blue for
 * negative, near-white at 0, red for positive (ColorBrewer's RdBu ends and middle), linear in RGB, symmetric
 * around 0 and readable on light and dark backgrounds. NaN is grey: a missing value is not a zero difference.
 */
public final class Diverging {
    private static final int[] NEGATIVE = {0x21, 0x66, 0xAC};
    private static final int[] MIDDLE = {0xF7, 0xF7, 0xF7};
    private static final int[] POSITIVE = {0xB2, 0x18, 0x2B};
    private static final int NAN_ARGB = 0xFF808080;

    private Diverging() {
    }

    /** The colour of {@code value} on a scale from -{@code limit} to +{@code limit} (clamped), as ARGB. */
    public static int argb(double value, double limit) {
        if (Double.isNaN(value)) {
            return NAN_ARGB;
        }
        double t = limit > 0 ? Math.clamp(value / limit, -1.0, 1.0) : 0;
        int[] end = t < 0 ? NEGATIVE : POSITIVE;
        double a = Math.abs(t);
        int r = (int) Math.round(MIDDLE[0] + (end[0] - MIDDLE[0]) * a);
        int g = (int) Math.round(MIDDLE[1] + (end[1] - MIDDLE[1]) * a);
        int b = (int) Math.round(MIDDLE[2] + (end[2] - MIDDLE[2]) * a);
        return 0xFF000000 | r << 16 | g << 8 | b;
    }

    /** The same colour as a JavaFX {@link Color}. */
    public static Color color(double value, double limit) {
        int argb = argb(value, limit);
        return Color.rgb(argb >> 16 & 0xFF, argb >> 8 & 0xFF, argb & 0xFF);
    }

    /** Largest |value| of a grid (at least a tiny positive number so the scale is defined). */
    public static double limit(double[][] grid) {
        double max = 1e-9;
        for (double[] row : grid) {
            for (double v : row) {
                if (!Double.isNaN(v)) {
                    max = Math.max(max, Math.abs(v));
                }
            }
        }
        return max;
    }
}
