package dev.headlight.ui.interventions;

import javafx.scene.paint.Color;

/**
 * A diverging blue–white–red scale for signed values (RdBu reversed: negative blue, positive red), symmetric
 * around 0, readable on light and dark backgrounds.
 */
final class Diverging {
    private static final Color NEGATIVE = Color.web("#2166ac");
    private static final Color MIDDLE = Color.web("#f7f7f7");
    private static final Color POSITIVE = Color.web("#b2182b");

    private Diverging() {
    }

    /** The colour of {@code value} on a scale from -limit to +limit (clamped); NaN is grey. */
    static Color color(double value, double limit) {
        if (Double.isNaN(value)) {
            return Color.GRAY;
        }
        double t = limit <= 0 ? 0 : Math.clamp(value / limit, -1, 1);
        return t < 0 ? MIDDLE.interpolate(NEGATIVE, -t) : MIDDLE.interpolate(POSITIVE, t);
    }

    /** Largest |value| of a grid (at least a tiny positive number so the scale is defined). */
    static double limit(double[][] grid) {
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
