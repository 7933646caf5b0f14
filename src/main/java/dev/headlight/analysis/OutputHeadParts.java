package dev.headlight.analysis;

import dev.headlight.engine.Model;
import dev.headlight.engine.TensorPlacement;
import dev.headlight.format.config.ConfigReader;
import dev.headlight.format.config.ModelConfig;
import dev.headlight.format.safetensors.Tensor;

import java.util.HashMap;
import java.util.Map;

/**
 * The pieces of a causal LM's output head that direct logit attribution needs, read from the weights through
 * {@link Model#tensorMap()} roles ("final_norm", "final_norm.bias", "unembed", "unembed.bias", "embed.tokens" when
 * the unembedding is tied, "attn.o.bias", "norm.attn.post") and config.json through {@link ConfigReader} (norm
 * epsilon, final soft-cap, with the family defaults the engine uses).
 * The engine API has no such accessor yet; see the analysis report for the proposed
 * {@code Model.outputHeadParts()}.
 *
 * @param layerNorm       LayerNorm (centre, divide by std, add bias) rather than RMSNorm
 * @param unitOffset      Gemma's RMSNorm scales by (1 + w)
 * @param eps             the norm epsilon
 * @param finalNormWeight {@code // [hidden]} as stored (without the unit offset)
 * @param finalNormBias   {@code // [hidden]}, null for RMSNorm
 * @param finalSoftcap    final logit soft-cap (0 = none)
 */
public record OutputHeadParts(Model model, boolean layerNorm, boolean unitOffset, double eps,
                              float[] finalNormWeight, float[] finalNormBias, double finalSoftcap,
                              Map<String, TensorPlacement> roles) {

    /** Reads the parts of {@code model}; refuses encoders, whose MLM head is not a linear read-out. */
    public static OutputHeadParts read(Model model) {
        if (!model.info().causal()) {
            throw new UnsupportedOperationException("direct logit attribution needs a causal LM: "
                    + model.info().architecture() + " has a non-linear MLM head");
        }
        Map<String, TensorPlacement> roles = new HashMap<>();
        for (TensorPlacement p : model.tensorMap()) {
            roles.put(p.layer() + ":" + p.component(), p);
        }
        TensorPlacement weight = roles.get("-1:final_norm");
        if (weight == null) {
            throw new UnsupportedOperationException("the model has no final norm in its tensor map");
        }
        TensorPlacement bias = roles.get("-1:final_norm.bias");
        ModelConfig config = ConfigReader.readFolder(model.info().folder());
        double eps = config.normEps();
        double softcap = config.finalLogitSoftcap();
        boolean gemma = model.info().family().startsWith("gemma");
        return new OutputHeadParts(model, bias != null, gemma, eps, floats(model, weight),
                bias == null ? null : floats(model, bias), softcap, roles);
    }

    /** The unembedding row of {@code token}: {@code // [hidden]}. */
    public float[] unembedRow(int token) {
        TensorPlacement p = roles.get("-1:unembed");
        if (p == null) {
            p = roles.get("-1:embed.tokens"); // tied
        }
        if (p == null) {
            throw new UnsupportedOperationException("the model has no unembedding in its tensor map");
        }
        int hidden = model.info().hidden();
        Tensor t = model.weights().tensor(p.tensorName());
        return t.toFloats((long) token * hidden, hidden);
    }

    /** The unembedding bias of {@code token}, 0 when there is none. */
    public double unembedBias(int token) {
        TensorPlacement p = roles.get("-1:unembed.bias");
        return p == null ? 0 : model.weights().tensor(p.tensorName()).getFloat(token);
    }

    /** Layer {@code layer}'s output-projection bias {@code // [hidden]}, or null. */
    public float[] attentionOutputBias(int layer) {
        TensorPlacement p = roles.get(layer + ":attn.o.bias");
        return p == null ? null : floats(model, p);
    }

    /** Gemma 2's RMSNorm applied to the attention output before it joins the residual, or null. */
    public float[] postAttentionNormWeight(int layer) {
        TensorPlacement p = roles.get(layer + ":norm.attn.post");
        return p == null ? null : floats(model, p);
    }

    /** The norm's effective per-dimension scale: w, or 1 + w for Gemma. */
    public double scale(float[] weight, int d) {
        return unitOffset ? 1.0 + weight[d] : weight[d];
    }

    /** The final soft-cap applied to a pre-cap logit. */
    public double softcap(double logit) {
        return finalSoftcap > 0 ? finalSoftcap * Math.tanh(logit / finalSoftcap) : logit;
    }

    private static float[] floats(Model model, TensorPlacement p) {
        return model.weights().tensor(p.tensorName()).toFloats();
    }
}
