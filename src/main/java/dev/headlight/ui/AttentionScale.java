package dev.headlight.ui;

/** How an attention probability maps to the colour map's [0, 1]. */
public enum AttentionScale {
    /** p itself: 0 is the darkest colour, 1 the brightest. */
    LINEAR("Linear"),
    /** log10(p) from 1e-3 (darkest) to 1 (brightest): shows the small weights that linear scale hides. */
    LOG("Log");

    /** The smallest probability the log scale distinguishes from zero. */
    public static final double LOG_FLOOR = 1e-3;

    private final String label;

    AttentionScale(String label) {
        this.label = label;
    }

    public double normalize(double p) {
        if (this == LINEAR) {
            return Math.clamp(p, 0.0, 1.0);
        }
        if (!(p > LOG_FLOOR)) {
            return 0;
        }
        return Math.clamp(1 + Math.log10(p) / -Math.log10(LOG_FLOOR), 0.0, 1.0);
    }

    /** The probability shown at colour-bar position {@code t} in [0, 1]. */
    public double valueAt(double t) {
        return this == LINEAR ? t : Math.pow(10, (t - 1) * -Math.log10(LOG_FLOOR));
    }

    @Override
    public String toString() {
        return label;
    }
}
