package dev.headlight.ui;

/**
 * Perceptually uniform, colour-blind friendly colour maps as 256-entry lookup tables of ARGB ints. The tables
 * come from the degree-6 polynomial fits of matplotlib's maps (Matt Zucker's fit, within 6/255 of matplotlib's tables).
 * JavaFX-free so that export code and tests can use the same colours as the views.
 */
public enum ColorMap {
    VIRIDIS("Viridis", new double[][]{
            {0.2777273272234177, 0.005407344544966578, 0.3340998053353061},
            {0.1050930431085774, 1.404613529898575, 1.384590162594685},
            {-0.3308618287255563, 0.214847559468213, 0.09509516302823659},
            {-4.634230498983486, -5.799100973351585, -19.33244095627987},
            {6.228269936347081, 14.17993336680509, 56.69055260068105},
            {4.776384997670288, -13.74514537774601, -65.35303263337234},
            {-5.435455855934631, 4.645852612178535, 26.3124352495832}}),
    MAGMA("Magma", new double[][]{
            {-0.002136485053939582, -0.000749655052795221, -0.005386127855323933},
            {0.2516605407371642, 0.6775232436837668, 2.494026599312351},
            {8.353717279216625, -3.577719514958484, 0.3144679030132573},
            {-27.66873308576866, 14.26473078096533, -13.64921318813922},
            {52.17613981234068, -27.94360607168351, 12.94416944238394},
            {-50.76852536473588, 29.04658282127291, 4.23415299384598},
            {18.65570506591883, -11.48977351997711, -5.601961508734096}});

    public static final int STEPS = 256;

    private final String label;
    private final int[] argb = new int[STEPS]; // [step] opaque ARGB

    ColorMap(String label, double[][] coefficients) {
        this.label = label;
        for (int i = 0; i < STEPS; i++) {
            double t = i / (double) (STEPS - 1);
            int[] rgb = new int[3];
            for (int c = 0; c < 3; c++) {
                double v = 0;
                for (int k = coefficients.length - 1; k >= 0; k--) {
                    v = v * t + coefficients[k][c];
                }
                rgb[c] = (int) Math.round(Math.clamp(v, 0.0, 1.0) * 255);
            }
            argb[i] = 0xFF000000 | rgb[0] << 16 | rgb[1] << 8 | rgb[2];
        }
    }

    public String label() {
        return label;
    }

    /** The colour of {@code t} in [0, 1] (clamped; NaN counts as 0). */
    public int argb(double t) {
        if (!(t > 0)) {
            return argb[0];
        }
        return argb[(int) Math.round(Math.min(t, 1.0) * (STEPS - 1))];
    }

    /** The lookup table's step for {@code t}, for tests that compare colours. */
    public static int step(double t) {
        return !(t > 0) ? 0 : (int) Math.round(Math.min(t, 1.0) * (STEPS - 1));
    }

    /** A colour readable on top of {@code argb} (black or white), by relative luminance. */
    public static int contrastingText(int argb) {
        double r = (argb >> 16 & 0xFF) / 255.0;
        double g = (argb >> 8 & 0xFF) / 255.0;
        double b = (argb & 0xFF) / 255.0;
        double luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        return luminance > 0.5 ? 0xFF000000 : 0xFFFFFFFF;
    }

    @Override
    public String toString() {
        return label;
    }
}
