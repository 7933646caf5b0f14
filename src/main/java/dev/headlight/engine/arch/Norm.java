package dev.headlight.engine.arch;

/** A normalisation of each row of an activation with its learned parameters: LayerNorm or RMSNorm. */
sealed interface Norm {

    /** Normalises {@code x // [rows][width]} into {@code out} (may be x) and returns out. */
    float[] apply(float[] x, int rows, int width, float[] out);

    /** torch.nn.LayerNorm (see {@link Ops#layerNorm}); {@code weight, bias // [width]}, bias may be null. */
    record LayerNorm(float[] weight, float[] bias, double eps) implements Norm {
        @Override
        public float[] apply(float[] x, int rows, int width, float[] out) {
            Ops.layerNorm(x, rows, width, weight, bias, eps, out);
            return out;
        }
    }

    /** RMSNorm (see {@link Ops#rmsNorm}): scale by w (Llama) or by 1 + w ({@code gemma}); {@code weight // [width]}. */
    record RmsNorm(float[] weight, double eps, boolean gemma) implements Norm {
        @Override
        public float[] apply(float[] x, int rows, int width, float[] out) {
            Ops.rmsNorm(x, rows, width, weight, eps, gemma, out);
            return out;
        }
    }
}
