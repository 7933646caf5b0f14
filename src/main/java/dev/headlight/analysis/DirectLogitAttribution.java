package dev.headlight.analysis;

import dev.headlight.engine.Model;
import dev.headlight.engine.RunOptions;
import dev.headlight.engine.Trace;

/**
 * Direct logit attribution: how much each component's write into the residual stream at one position adds
 * directly to one token's logit there, through the final norm with its scale frozen from the real run.
 *
 * <p>With x the real final residual (entering the final norm) at the position, u the token's unembedding row and
 * g the final norm's scale (w, or 1 + w for Gemma), a write c contributes
 * <ul>
 *   <li>RMSNorm: u · (g ⊙ c) / s, s = sqrt(mean(x²) + eps) of the real x;</li>
 *   <li>LayerNorm: u · (g ⊙ (c - mean(c))) / s, s = sqrt(var(x) + eps) of the real x (each write centred
 *       separately, which sums to centring x).</li>
 * </ul>
 * The final residual is exactly the sum of the embedding (token, position and any scaling: residual[0]), every
 * head's projected output ({@link Model#projectHeadOutput}; for Gemma 2 through the post-attention RMSNorm with
 * its scale frozen the same way), every layer's output-projection bias, and every layer's MLP write (residual
 * difference minus the attention write). So
 * <pre>
 *   embedding + Σ heads + Σ attentionBias + Σ mlp + normBias + unembedBias = pre-cap logit
 * </pre>
 * exactly (up to float rounding), where normBias = u · β (LayerNorm bias, 0 for RMSNorm) and unembedBias is the
 * unembedding bias. The model's logit is the final soft-cap of that sum (no cap: the sum itself).
 * Encoders (BERT) are refused: their MLM head is not linear.
 */
public final class DirectLogitAttribution {
    private DirectLogitAttribution() {
    }

    /**
     * @param position       the position read
     * @param token          the token whose logit is explained
     * @param embedding      the embedding's contribution
     * @param heads          each head's contribution                 // [layer][head]
     * @param attentionBias  each layer's output-projection bias contribution (0 without one) // [layer]
     * @param mlp            each layer's MLP contribution            // [layer]
     * @param normBias       u · β of the final LayerNorm (0 for RMSNorm)
     * @param unembedBias    the unembedding bias of the token (0 without one)
     * @param modelLogit     the logit the model produced (after any soft-cap)
     */
    public record Result(int position, int token, double embedding, double[][] heads, double[] attentionBias,
                         double[] mlp, double normBias, double unembedBias, double modelLogit,
                         double finalSoftcap) {

        /** The sum of all contributions: the pre-soft-cap logit. */
        public double total() {
            double sum = embedding + normBias + unembedBias;
            for (int l = 0; l < mlp.length; l++) {
                sum += attentionBias[l] + mlp[l];
                for (double h : heads[l]) {
                    sum += h;
                }
            }
            return sum;
        }

        /** {@link #total()} through the final soft-cap: should equal {@link #modelLogit()}. */
        public double reconstructedLogit() {
            return finalSoftcap > 0 ? finalSoftcap * Math.tanh(total() / finalSoftcap) : total();
        }

        /** Every contribution with a label, largest magnitude first (for bar charts). */
        public java.util.List<Contribution> ranked() {
            java.util.List<Contribution> out = new java.util.ArrayList<>();
            out.add(new Contribution("embedding", Contribution.Kind.EMBEDDING, -1, -1, embedding));
            for (int l = 0; l < mlp.length; l++) {
                for (int h = 0; h < heads[l].length; h++) {
                    out.add(new Contribution("L" + l + "H" + h, Contribution.Kind.HEAD, l, h, heads[l][h]));
                }
                if (attentionBias[l] != 0) {
                    out.add(new Contribution("attn bias " + l, Contribution.Kind.ATTENTION_BIAS, l, -1,
                            attentionBias[l]));
                }
                out.add(new Contribution("MLP " + l, Contribution.Kind.MLP, l, -1, mlp[l]));
            }
            if (normBias != 0) {
                out.add(new Contribution("final norm bias", Contribution.Kind.BIAS, -1, -1, normBias));
            }
            if (unembedBias != 0) {
                out.add(new Contribution("unembedding bias", Contribution.Kind.BIAS, -1, -1, unembedBias));
            }
            out.sort(java.util.Comparator.comparingDouble((Contribution c) -> -Math.abs(c.value())));
            return out;
        }

        /** Attention contribution of a layer: its heads plus its output bias. */
        public double attention(int layer) {
            double sum = attentionBias[layer];
            for (double h : heads[layer]) {
                sum += h;
            }
            return sum;
        }
    }

    /**
     * One labelled term of the logit.
     *
     * @param layer the layer, or -1 for the embedding and the biases of the head
     * @param head  the head, or -1 when the term is not a head
     */
    public record Contribution(String label, Kind kind, int layer, int head, double value) {
        public enum Kind { EMBEDDING, HEAD, ATTENTION_BIAS, MLP, BIAS }
    }

    /** Runs the model on {@code ids} and attributes {@code token}'s logit at {@code position} (-1 = last). */
    public static Result compute(Model model, int[] ids, int position, int token) {
        OutputHeadParts parts = OutputHeadParts.read(model);
        int p = Logits.position(position, ids.length);
        Logits.checkToken(token, model.info().vocab());
        HeadOutputs outputs = new HeadOutputs(model.info().layers());
        Trace trace = model.run(ids, RunOptions.display().withoutAttentionMaps().withHeadHook(outputs));
        return attribute(model, parts, trace, outputs, p, token);
    }

    /** Attribution from a run already recorded with a {@link HeadOutputs} hook. */
    public static Result attribute(Model model, OutputHeadParts parts, Trace trace, HeadOutputs outputs,
                                   int position, int token) {
        int layers = trace.layers();
        int heads = trace.heads();
        int hidden = trace.hidden();
        int headDim = outputs.headDim();
        float[] residual = trace.residual();
        // read-out direction w = u ⊙ g / s, frozen at the real final residual
        float[] x = slice(residual, trace.residualOffset(layers, position), hidden);
        double s = normScale(x, parts.layerNorm(), parts.eps());
        float[] u = parts.unembedRow(token);
        double[] w = new double[hidden];
        double wSum = 0;
        for (int d = 0; d < hidden; d++) {
            w[d] = u[d] * parts.scale(parts.finalNormWeight(), d) / s;
            wSum += w[d];
        }
        final double readOutSum = wSum;
        java.util.function.ToDoubleFunction<double[]> read = c -> {
            double dot = 0;
            double mean = 0;
            for (int d = 0; d < hidden; d++) {
                dot += w[d] * c[d];
                mean += c[d];
            }
            return parts.layerNorm() ? dot - mean / hidden * readOutSum : dot;
        };
        double embedding = read.applyAsDouble(toDouble(slice(residual, trace.residualOffset(0, position), hidden)));
        double[][] headTerms = new double[layers][heads];
        double[] biasTerms = new double[layers];
        double[] mlpTerms = new double[layers];
        for (int l = 0; l < layers; l++) {
            float[] all = outputs.layer(l); // [token][head][headDim]
            double[][] writes = new double[heads][];
            double[] attention = new double[hidden];
            for (int h = 0; h < heads; h++) {
                float[] one = slice(all, (position * heads + h) * headDim, headDim);
                writes[h] = toDouble(model.projectHeadOutput(l, h, one, 1));
                for (int d = 0; d < hidden; d++) {
                    attention[d] += writes[h][d];
                }
            }
            float[] bias = parts.attentionOutputBias(l);
            if (bias != null) {
                for (int d = 0; d < hidden; d++) {
                    attention[d] += bias[d];
                }
            }
            float[] post = parts.postAttentionNormWeight(l);
            if (post != null) {
                // Gemma 2: the attention output passes an RMSNorm before joining the residual; freeze its scale
                double postScale = normScale(toFloat(attention), false, parts.eps());
                for (double[] write : writes) {
                    for (int d = 0; d < hidden; d++) {
                        write[d] = write[d] * parts.scale(post, d) / postScale;
                    }
                }
                if (bias != null) {
                    throw new UnsupportedOperationException("an output bias under a post-attention norm");
                }
            }
            double[] attentionWrite = new double[hidden];
            for (int h = 0; h < heads; h++) {
                headTerms[l][h] = read.applyAsDouble(writes[h]);
                for (int d = 0; d < hidden; d++) {
                    attentionWrite[d] += writes[h][d];
                }
            }
            if (bias != null) {
                double[] b = toDouble(bias);
                biasTerms[l] = read.applyAsDouble(b);
                for (int d = 0; d < hidden; d++) {
                    attentionWrite[d] += b[d];
                }
            }
            int before = trace.residualOffset(l, position);
            int after = trace.residualOffset(l + 1, position);
            double[] mlp = new double[hidden];
            for (int d = 0; d < hidden; d++) {
                mlp[d] = (double) residual[after + d] - residual[before + d] - attentionWrite[d];
            }
            mlpTerms[l] = read.applyAsDouble(mlp);
        }
        double normBias = 0;
        if (parts.layerNorm()) {
            for (int d = 0; d < hidden; d++) {
                normBias += (double) u[d] * parts.finalNormBias()[d];
            }
        }
        double modelLogit = trace.logits()[position * trace.vocab() + token];
        return new Result(position, token, embedding, headTerms, biasTerms, mlpTerms, normBias,
                parts.unembedBias(token), modelLogit, parts.finalSoftcap());
    }

    /** sqrt(var + eps) (LayerNorm) or sqrt(mean of squares + eps) (RMSNorm), in float64. */
    static double normScale(float[] x, boolean layerNorm, double eps) {
        double mean = 0;
        if (layerNorm) {
            for (float v : x) {
                mean += v;
            }
            mean /= x.length;
        }
        double sq = 0;
        for (float v : x) {
            sq += (v - mean) * (v - mean);
        }
        return Math.sqrt(sq / x.length + eps);
    }

    private static float[] slice(float[] a, int from, int count) {
        return java.util.Arrays.copyOfRange(a, from, from + count);
    }

    private static double[] toDouble(float[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }

    private static float[] toFloat(double[] a) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (float) a[i];
        }
        return out;
    }
}
