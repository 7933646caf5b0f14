package dev.headlight.ui.compare;

/**
 * A diverging colour map centred on zero for difference maps: blue for negative, white at 0, red for positive
 * (the end colours of ColorBrewer's RdBu), linear in RGB. JavaFX-free.
 */
public final class Diverging {
    private static final int[] NEGATIVE = {0x21, 0x66, 0xAC};
    private static final int[] POSITIVE = {0xB2, 0x18, 0x2B};

    private Diverging() {
    }

    /** The colour of {@code value} on a scale whose ends are -{@code max} and +{@code max} (clamped). */
    public static int argb(double value, double max) {
        if (!(max > 0) || Double.isNaN(value)) {
            return 0xFFFFFFFF;
        }
        double t = Math.clamp(value / max, -1.0, 1.0);
        int[] end = t < 0 ? NEGATIVE : POSITIVE;
        double a = Math.abs(t);
        int r = (int) Math.round(255 + (end[0] - 255) * a);
        int g = (int) Math.round(255 + (end[1] - 255) * a);
        int b = (int) Math.round(255 + (end[2] - 255) * a);
        return 0xFF000000 | r << 16 | g << 8 | b;
    }
}
