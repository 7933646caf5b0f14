package dev.headlight.train;

/**
 * AdamW with decoupled weight decay (as torch.optim.AdamW): p -= lr * wd * p for decayed tensors (matrices), then
 * the bias-corrected Adam step. Biases, LayerNorm parameters and embeddings are not decayed.
 */
public final class AdamW {
    private final float beta1;
    private final float beta2;
    private final float eps;
    private final float weightDecay;
    private final float[] m;     // [param]
    private final float[] v;     // [param]
    private final boolean[] decay; // [param]
    private int step;

    public AdamW(ParamLayout layout, float beta1, float beta2, float eps, float weightDecay) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        m = new float[layout.total()];
        v = new float[layout.total()];
        decay = new boolean[layout.total()];
        for (ParamLayout.Slot s : layout.slots()) {
            java.util.Arrays.fill(decay, s.offset(), s.offset() + s.size(), s.decay());
        }
    }

    public void step(float[] p, float[] grad, float lr) {
        step++;
        double c1 = 1.0 - Math.pow(beta1, step);
        double c2 = 1.0 - Math.pow(beta2, step);
        float stepSize = (float) (lr / c1);
        float sqrtC2 = (float) Math.sqrt(c2);
        float shrink = 1f - lr * weightDecay;
        for (int k = 0; k < p.length; k++) {
            float g = grad[k];
            m[k] = beta1 * m[k] + (1 - beta1) * g;
            v[k] = beta2 * v[k] + (1 - beta2) * g * g;
            if (decay[k]) {
                p[k] *= shrink;
            }
            p[k] -= stepSize * m[k] / ((float) Math.sqrt(v[k]) / sqrtC2 + eps);
        }
    }

    /** Scales {@code grad} so its global L2 norm is at most {@code maxNorm}; returns the norm before clipping. */
    public static double clipGlobalNorm(float[] grad, double maxNorm) {
        double sq = 0;
        for (float g : grad) {
            sq += (double) g * g;
        }
        double norm = Math.sqrt(sq);
        if (maxNorm > 0 && norm > maxNorm) {
            float s = (float) (maxNorm / (norm + 1e-6));
            for (int k = 0; k < grad.length; k++) {
                grad[k] *= s;
            }
        }
        return norm;
    }
}
