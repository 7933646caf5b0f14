package dev.headlight.train;

/**
 * Forward and backward pass of a GPT-2 language model, computed as Hugging Face's GPT2LMHeadModel computes it
 * (eval mode, no dropout), on one sequence at a time. Parameters and gradients are flat arrays laid out by
 * {@link ParamLayout}; all activations a backward pass needs live in a {@link Workspace}, one per thread.
 */
public final class GptModel {
    private static final float GELU_C = (float) Math.sqrt(2.0 / Math.PI);

    private final GptConfig config;
    private final ParamLayout layout;

    public GptModel(GptConfig config) {
        this.config = config;
        this.layout = new ParamLayout(config);
    }

    public GptConfig config() {
        return config;
    }

    public ParamLayout layout() {
        return layout;
    }

    /** Activations of one forward pass over up to {@code positions} tokens, kept for the backward pass. */
    public static final class Workspace {
        final int maxT;
        int tokens;
        final int[] ids;           // [token]
        final float[][] resid;     // [layer + 1][token][d]   residual entering each layer; last = before ln_f
        final float[][] mid;       // [layer][token][d]       residual after attention (input of ln_2)
        final float[][] xhat1;     // [layer][token][d]       normalised input of ln_1
        final float[][] rstd1;     // [layer][token]
        final float[][] h1;        // [layer][token][d]       ln_1 output
        final float[][] qkv;       // [layer][token][3d]
        final float[][] probs;     // [layer][head][query][key]  (row length maxT, keys > query are 0)
        final float[][] ctx;       // [layer][token][d]       concatenated head outputs before c_proj
        final float[][] xhat2;     // [layer][token][d]
        final float[][] rstd2;     // [layer][token]
        final float[][] h2;        // [layer][token][d]       ln_2 output
        final float[][] pre;       // [layer][token][ffn]     c_fc output before gelu
        final float[][] act;       // [layer][token][ffn]     gelu_new(pre)
        final float[] xhatF;       // [token][d]
        final float[] rstdF;       // [token]
        final float[] hF;          // [token][d]              ln_f output
        final float[] logits;      // [token][vocab]
        final float[] tokenLoss;   // [token]                 cross-entropy of each position (training)
        // backward scratch
        final float[] dResid;      // [token][d]
        final float[] dH;          // [token][d]
        final float[] dCtx;        // [token][d]
        final float[] dQkv;        // [token][3d]
        final float[] dAct;        // [token][ffn]
        final float[] dLogits;     // [token][vocab]
        final float[] dRow;        // [key]

        public Workspace(GptConfig c) {
            int t = c.positions();
            int d = c.dModel();
            int layers = c.layers();
            maxT = t;
            ids = new int[t];
            resid = new float[layers + 1][t * d];
            mid = new float[layers][t * d];
            xhat1 = new float[layers][t * d];
            rstd1 = new float[layers][t];
            h1 = new float[layers][t * d];
            qkv = new float[layers][t * 3 * d];
            probs = new float[layers][c.heads() * t * t];
            ctx = new float[layers][t * d];
            xhat2 = new float[layers][t * d];
            rstd2 = new float[layers][t];
            h2 = new float[layers][t * d];
            pre = new float[layers][t * c.ffn()];
            act = new float[layers][t * c.ffn()];
            xhatF = new float[t * d];
            rstdF = new float[t];
            hF = new float[t * d];
            logits = new float[t * c.vocab()];
            tokenLoss = new float[t];
            dResid = new float[t * d];
            dH = new float[t * d];
            dCtx = new float[t * d];
            dQkv = new float[t * 3 * d];
            dAct = new float[t * c.ffn()];
            dLogits = new float[t * c.vocab()];
            dRow = new float[t];
        }

        /** Logits of the last forward pass. // [token][vocab] */
        public float[] logits() {
            return logits;
        }

        /** Attention probabilities of one layer and head: [query][key] with row stride {@link #stride()}. */
        public float[] probs(int layer) {
            return probs[layer];
        }

        public int stride() {
            return maxT;
        }

        public int tokens() {
            return tokens;
        }

        /** Residual stream entering {@code layer} (L = before ln_f). // [token][d] */
        public float[] residual(int layer) {
            return resid[layer];
        }
    }

    public Workspace newWorkspace() {
        return new Workspace(config);
    }

    /** Attention probability of {@code query} on {@code key} in one head after {@link #forward}. */
    public float attention(Workspace ws, int layer, int head, int query, int key) {
        return ws.probs[layer][(head * ws.maxT + query) * ws.maxT + key];
    }

    /** Runs the model on {@code ids[0..tokens)}; logits and attentions are left in the workspace. */
    public void forward(float[] p, int[] ids, int tokens, Workspace ws) {
        if (tokens < 1 || tokens > config.positions()) {
            throw new IllegalArgumentException(tokens + " tokens do not fit the context of " + config.positions());
        }
        int d = config.dModel();
        int h = config.heads();
        int hd = config.headDim();
        int ffn = config.ffn();
        int t = tokens;
        ws.tokens = t;
        System.arraycopy(ids, 0, ws.ids, 0, t);
        float[] x = ws.resid[0];
        for (int i = 0; i < t; i++) {
            int id = ids[i];
            if (id < 0 || id >= config.vocab()) {
                throw new IllegalArgumentException("token id " + id + " outside the vocabulary of " + config.vocab());
            }
            for (int k = 0; k < d; k++) {
                x[i * d + k] = p[layout.wte + id * d + k] + p[layout.wpe + i * d + k];
            }
        }
        float scale = (float) (1.0 / Math.sqrt(hd));
        for (int l = 0; l < config.layers(); l++) {
            float[] in = ws.resid[l];
            layerNorm(in, t, d, p, layout.ln1W[l], layout.ln1B[l], ws.xhat1[l], ws.rstd1[l], ws.h1[l]);
            linear(ws.h1[l], t, d, p, layout.attnW[l], layout.attnB[l], 3 * d, ws.qkv[l]);
            float[] qkv = ws.qkv[l];
            float[] probs = ws.probs[l];
            float[] ctx = ws.ctx[l];
            java.util.Arrays.fill(ctx, 0, t * d, 0f);
            for (int head = 0; head < h; head++) {
                int qOff = head * hd;
                int kOff = d + head * hd;
                int vOff = 2 * d + head * hd;
                for (int i = 0; i < t; i++) {
                    int row = (head * ws.maxT + i) * ws.maxT;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int j = 0; j <= i; j++) {
                        float s = VecMath.dot(qkv, i * 3 * d + qOff, qkv, j * 3 * d + kOff, hd) * scale;
                        probs[row + j] = s;
                        max = Math.max(max, s);
                    }
                    float sum = 0f;
                    for (int j = 0; j <= i; j++) {
                        float e = (float) Math.exp(probs[row + j] - max);
                        probs[row + j] = e;
                        sum += e;
                    }
                    float inv = 1f / sum;
                    for (int j = 0; j <= i; j++) {
                        probs[row + j] *= inv;
                        VecMath.axpy(probs[row + j], qkv, j * 3 * d + vOff, ctx, i * d + qOff, hd);
                    }
                    for (int j = i + 1; j < t; j++) {
                        probs[row + j] = 0f;
                    }
                }
            }
            float[] mid = ws.mid[l];
            linear(ctx, t, d, p, layout.projW[l], layout.projB[l], d, mid);
            for (int k = 0; k < t * d; k++) {
                mid[k] += in[k];
            }
            layerNorm(mid, t, d, p, layout.ln2W[l], layout.ln2B[l], ws.xhat2[l], ws.rstd2[l], ws.h2[l]);
            float[] pre = ws.pre[l];
            float[] act = ws.act[l];
            linear(ws.h2[l], t, d, p, layout.fcW[l], layout.fcB[l], ffn, pre);
            for (int k = 0; k < t * ffn; k++) {
                act[k] = geluNew(pre[k]);
            }
            float[] out = ws.resid[l + 1];
            linear(act, t, ffn, p, layout.fcProjW[l], layout.fcProjB[l], d, out);
            for (int k = 0; k < t * d; k++) {
                out[k] += mid[k];
            }
        }
        layerNorm(ws.resid[config.layers()], t, d, p, layout.lnfW, layout.lnfB, ws.xhatF, ws.rstdF, ws.hF);
        int v = config.vocab();
        for (int i = 0; i < t; i++) {
            for (int w = 0; w < v; w++) {
                ws.logits[i * v + w] = VecMath.dot(ws.hF, i * d, p, layout.wte + w * d, d);
            }
        }
    }

    /**
     * Forward and backward pass for next-token prediction: position i predicts {@code targets[i]} with weight
     * {@code weights[i]} (null = all 1). Adds {@code gradScale} times the gradient of the weighted sum of
     * cross-entropies to {@code grad} and returns that weighted sum (in nats). Per-position losses stay in the
     * workspace.
     */
    public double lossAndGradient(float[] p, int[] ids, int[] targets, float[] weights, int tokens, float[] grad,
                                  float gradScale, Workspace ws) {
        forward(p, ids, tokens, ws);
        int d = config.dModel();
        int h = config.heads();
        int hd = config.headDim();
        int ffn = config.ffn();
        int v = config.vocab();
        int t = tokens;
        double loss = 0;
        float[] dLogits = ws.dLogits;
        for (int i = 0; i < t; i++) {
            float w = weights == null ? 1f : weights[i];
            int row = i * v;
            float max = Float.NEGATIVE_INFINITY;
            for (int k = 0; k < v; k++) {
                max = Math.max(max, ws.logits[row + k]);
            }
            double sum = 0;
            for (int k = 0; k < v; k++) {
                float e = (float) Math.exp(ws.logits[row + k] - max);
                dLogits[row + k] = e;
                sum += e;
            }
            double logZ = max + Math.log(sum);
            double ce = logZ - ws.logits[row + targets[i]];
            ws.tokenLoss[i] = (float) ce;
            loss += w * ce;
            float s = (float) (w * gradScale / sum);
            for (int k = 0; k < v; k++) {
                dLogits[row + k] *= s;
            }
            dLogits[row + targets[i]] -= w * gradScale;
        }
        // logits = hF @ wte^T
        float[] dx = ws.dResid;
        float[] dH = ws.dH;
        java.util.Arrays.fill(dH, 0, t * d, 0f);
        for (int i = 0; i < t; i++) {
            for (int k = 0; k < v; k++) {
                float g = dLogits[i * v + k];
                if (g != 0f) {
                    VecMath.axpy(g, p, layout.wte + k * d, dH, i * d, d);
                    VecMath.axpy(g, ws.hF, i * d, grad, layout.wte + k * d, d);
                }
            }
        }
        java.util.Arrays.fill(dx, 0, t * d, 0f);
        layerNormBackward(dH, t, d, p, layout.lnfW, ws.xhatF, ws.rstdF, grad, layout.lnfW, layout.lnfB, dx);
        float scale = (float) (1.0 / Math.sqrt(hd));
        for (int l = config.layers() - 1; l >= 0; l--) {
            // MLP: out = mid + act @ fcProjW + b ; dx holds d(out), and flows unchanged into d(mid)
            float[] dAct = ws.dAct;
            linearBackward(ws.act[l], dx, t, ffn, d, p, layout.fcProjW[l], grad, layout.fcProjW[l], layout.fcProjB[l],
                    dAct);
            float[] pre = ws.pre[l];
            for (int k = 0; k < t * ffn; k++) {
                dAct[k] *= geluNewDerivative(pre[k]);
            }
            linearBackward(ws.h2[l], dAct, t, d, ffn, p, layout.fcW[l], grad, layout.fcW[l], layout.fcB[l], dH);
            layerNormBackward(dH, t, d, p, layout.ln2W[l], ws.xhat2[l], ws.rstd2[l], grad, layout.ln2W[l],
                    layout.ln2B[l], dx);
            // attention: mid = in + ctx @ projW + b
            float[] dCtx = ws.dCtx;
            linearBackward(ws.ctx[l], dx, t, d, d, p, layout.projW[l], grad, layout.projW[l], layout.projB[l], dCtx);
            float[] qkv = ws.qkv[l];
            float[] dQkv = ws.dQkv;
            java.util.Arrays.fill(dQkv, 0, t * 3 * d, 0f);
            float[] probs = ws.probs[l];
            float[] dRow = ws.dRow;
            for (int head = 0; head < h; head++) {
                int qOff = head * hd;
                int kOff = d + head * hd;
                int vOff = 2 * d + head * hd;
                for (int i = 0; i < t; i++) {
                    int row = (head * ws.maxT + i) * ws.maxT;
                    // dP[j] = dCtx_i . v_j ; dv_j += P[i][j] dCtx_i
                    float dot = 0f;
                    for (int j = 0; j <= i; j++) {
                        float pij = probs[row + j];
                        float dp = VecMath.dot(dCtx, i * d + qOff, qkv, j * 3 * d + vOff, hd);
                        dRow[j] = dp;
                        dot += pij * dp;
                        VecMath.axpy(pij, dCtx, i * d + qOff, dQkv, j * 3 * d + vOff, hd);
                    }
                    // softmax backward, then scores = scale * q_i . k_j
                    for (int j = 0; j <= i; j++) {
                        float ds = probs[row + j] * (dRow[j] - dot) * scale;
                        if (ds != 0f) {
                            VecMath.axpy(ds, qkv, j * 3 * d + kOff, dQkv, i * 3 * d + qOff, hd);
                            VecMath.axpy(ds, qkv, i * 3 * d + qOff, dQkv, j * 3 * d + kOff, hd);
                        }
                    }
                }
            }
            linearBackward(ws.h1[l], dQkv, t, d, 3 * d, p, layout.attnW[l], grad, layout.attnW[l], layout.attnB[l],
                    dH);
            layerNormBackward(dH, t, d, p, layout.ln1W[l], ws.xhat1[l], ws.rstd1[l], grad, layout.ln1W[l],
                    layout.ln1B[l], dx);
        }
        for (int i = 0; i < t; i++) {
            VecMath.axpy(1f, dx, i * d, grad, layout.wte + ids[i] * d, d);
            VecMath.axpy(1f, dx, i * d, grad, layout.wpe + i * d, d);
        }
        return loss;
    }

    /** y[t][0..out) = bias + x[t][0..in) @ W[in][out]. */
    static void linear(float[] x, int t, int in, float[] p, int w, int b, int out, float[] y) {
        for (int i = 0; i < t; i++) {
            System.arraycopy(p, b, y, i * out, out);
            for (int k = 0; k < in; k++) {
                float xv = x[i * in + k];
                if (xv != 0f) {
                    VecMath.axpy(xv, p, w + k * out, y, i * out, out);
                }
            }
        }
    }

    /** Given dy [t][out] of y = x @ W + b: adds x^T dy to gW, the column sums of dy to gB, and sets dx = dy @ W^T. */
    static void linearBackward(float[] x, float[] dy, int t, int in, int out, float[] p, int w, float[] grad, int gW,
                               int gB, float[] dx) {
        for (int i = 0; i < t; i++) {
            VecMath.axpy(1f, dy, i * out, grad, gB, out);
            for (int k = 0; k < in; k++) {
                float xv = x[i * in + k];
                if (xv != 0f) {
                    VecMath.axpy(xv, dy, i * out, grad, gW + k * out, out);
                }
                dx[i * in + k] = VecMath.dot(p, w + k * out, dy, i * out, out);
            }
        }
    }

    /** y = (x - mean) / sqrt(var + eps) * gamma + beta per row; keeps xhat and 1/std for the backward pass. */
    static void layerNorm(float[] x, int t, int d, float[] p, int gamma, int beta, float[] xhat, float[] rstd,
                          float[] y) {
        for (int i = 0; i < t; i++) {
            int o = i * d;
            double mean = 0;
            for (int k = 0; k < d; k++) {
                mean += x[o + k];
            }
            mean /= d;
            double var = 0;
            for (int k = 0; k < d; k++) {
                double c = x[o + k] - mean;
                var += c * c;
            }
            var /= d;
            float r = (float) (1.0 / Math.sqrt(var + GptConfig.LAYER_NORM_EPS));
            rstd[i] = r;
            for (int k = 0; k < d; k++) {
                float xh = (float) ((x[o + k] - mean) * r);
                xhat[o + k] = xh;
                y[o + k] = xh * p[gamma + k] + p[beta + k];
            }
        }
    }

    /** Adds the input gradient of a LayerNorm to dx (residual accumulation) and its gamma/beta gradients to grad. */
    static void layerNormBackward(float[] dy, int t, int d, float[] p, int gamma, float[] xhat, float[] rstd,
                                  float[] grad, int gGamma, int gBeta, float[] dx) {
        for (int i = 0; i < t; i++) {
            int o = i * d;
            double meanD = 0;
            double meanDX = 0;
            for (int k = 0; k < d; k++) {
                float g = dy[o + k];
                grad[gGamma + k] += g * xhat[o + k];
                grad[gBeta + k] += g;
                float dxh = g * p[gamma + k];
                meanD += dxh;
                meanDX += dxh * xhat[o + k];
            }
            meanD /= d;
            meanDX /= d;
            float r = rstd[i];
            for (int k = 0; k < d; k++) {
                float dxh = dy[o + k] * p[gamma + k];
                dx[o + k] += (float) (r * (dxh - meanD - xhat[o + k] * meanDX));
            }
        }
    }

    /** GPT-2's tanh approximation of GELU ("gelu_new"). */
    static float geluNew(float x) {
        return (float) (0.5 * x * (1.0 + Math.tanh(GELU_C * (x + 0.044715 * x * x * x))));
    }

    static float geluNewDerivative(float x) {
        double u = GELU_C * (x + 0.044715 * x * x * x);
        double th = Math.tanh(u);
        return (float) (0.5 * (1.0 + th) + 0.5 * x * (1.0 - th * th) * GELU_C * (1.0 + 3 * 0.044715 * x * x));
    }
}
