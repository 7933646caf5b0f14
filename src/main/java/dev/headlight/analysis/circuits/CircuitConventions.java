package dev.headlight.analysis.circuits;

import dev.headlight.analysis.OvRole;

/**
 * The conventions behind every circuit score, in words: one text that {@code headlight circuits --help} and the
 * window's Circuits panel both show, so the two never say different things.
 */
public final class CircuitConventions {
    /** The full statement (fixed-width lines for the command line's help). */
    public static final String TEXT = """
            Conventions (TransformerLens, row vectors): for head h of layer l, W_Q, W_K, W_V [d_model, d_head] and
            W_O [d_head, d_model] are its slices of the stored matrices (fused or separate, Conv1D or Linear; with
            grouped-query attention a query head uses its group's K and V). W_QK = W_Q W_K^T, W_OV = W_V W_O.
            Folded: the norm before attention (ln_1, input_layernorm) into W_Q, W_K, W_V; Qwen3's q_norm/k_norm into
            W_Q/W_K; Gemma 2's post-attention norm into W_O; the final norm into W_U; Gemma norms as (1 + w).
            Not folded: the pre-MLP norm (post_attention_layernorm of Llama, Mistral, Qwen, Phi-3, NeoX), Gemma 2's
            feed-forward norms, anything in BERT. Ignored: norm biases, centring, 1/rms, q/k/v/o biases, scalar
            factors (attention scale, soft-caps, Gemma's sqrt(d) embedding scale) and rotary.
            copying: Re(sum lambda) / sum |lambda| over the eigenvalues of W_O W_U W_E W_V (the nonzero eigenvalues
            of the full OV circuit W_E W_OV W_U); W_E = token embeddings. Null without a linear unembedding (BERT).
            composition (every pair l1 < l2): ||A B||_F / (||A||_F ||B||_F), A = W_OV(from); q: B = W_QK(to),
            k: B = W_QK(to)^T, v: B = W_OV(to).
            A score whose denominator is below 1e-9 of its scale (the product of the factors' norms) is null.
            ov_top: the top singular directions sigma u v^T of W_E W_OV W_U; "in": the tokens with the largest
            entries of u, "out": of v, the pair's sign chosen so that u's largest-magnitude entry is positive.
            ov_role: %s.
            positional_offset: the offset k of a head whose probe kind is positional, else null.
            """.formatted(OvRole.rulesText());

    private CircuitConventions() {
    }

    /** {@link #TEXT} as one paragraph per item (for a wrapping tooltip): the line breaks inside an item removed. */
    public static String flowing() {
        return TEXT.replaceAll("\n(?!Folded|Not folded|copying:|composition |A score|ov_top:|ov_role:"
                + "|positional_offset:)", " ").strip();
    }
}
