package dev.headlight.format.config;

import java.nio.file.Path;

/**
 * A config.json read into the settings the engine needs, normalized across families: GPT-2's n_embd / n_head /
 * n_layer become hidden / heads / layers, transformers 5's rope_parameters and the older rope_theta + rope_scaling
 * both become {@link #rope()}, and defaults are those of the family's transformers config class. Settings a
 * family does not have hold neutral values (0 = no soft-cap, no window). Read with {@link ConfigReader}.
 *
 * @param file               the config.json this came from (named in error messages)
 * @param family             the architecture family
 * @param modelType          model_type as written
 * @param architecture       architectures[0], or a name derived from the family
 * @param hidden             residual stream width D
 * @param layers             number of transformer blocks L
 * @param heads              query heads H
 * @param kvHeads            key/value heads (H / kvHeads query heads share one under grouped-query attention)
 * @param headDim            dimensions per head
 * @param intermediate       MLP inner width
 * @param vocab              vocabulary size V
 * @param maxPositions       longest input (max_position_embeddings, n_positions)
 * @param normEps            epsilon of the LayerNorm / RMSNorm
 * @param activation         MLP activation as HF names it: "gelu", "gelu_new", "gelu_pytorch_tanh", "silu", "relu"
 * @param tieWordEmbeddings  the unembedding is the token embedding matrix
 * @param rope               rotary settings, or null for learned absolute positions (GPT-2, BERT)
 * @param slidingWindow      keys a sliding-window query sees (itself included), or 0 when no layer slides
 * @param slidingLayers      per layer, whether its attention slides                  // [layer]
 * @param attentionBias      q/k/v (and for some families o) projections have biases
 * @param mlpBias            MLP projections have biases
 * @param attentionScale     multiplier of q·k before soft-cap and softmax
 * @param attnLogitSoftcap   Gemma 2 attention soft-cap (0 = none)
 * @param finalLogitSoftcap  Gemma 2 final logit soft-cap (0 = none)
 * @param parallelResidual   GPT-NeoX: attention and MLP read the same residual
 * @param typeVocab          BERT token type vocabulary (0 elsewhere)
 * @param scaleAttnByInverseLayerIdx GPT-2: attention scores further divided by (layer + 1)
 */
public record ModelConfig(Path file, Family family, String modelType, String architecture,
                          int hidden, int layers, int heads, int kvHeads, int headDim, int intermediate,
                          int vocab, int maxPositions, double normEps, String activation,
                          boolean tieWordEmbeddings, RopeConfig rope, int slidingWindow, boolean[] slidingLayers,
                          boolean attentionBias, boolean mlpBias, float attentionScale,
                          double attnLogitSoftcap, double finalLogitSoftcap, boolean parallelResidual,
                          int typeVocab, boolean scaleAttnByInverseLayerIdx) {

    /** H * headDim: width of the concatenated query heads. */
    public int queryDim() {
        return Math.multiplyExact(heads, headDim); // ConfigReader bounds it; exact in case a caller did not
    }

    /** kvHeads * headDim: width of the concatenated key (or value) heads. */
    public int kvDim() {
        return Math.multiplyExact(kvHeads, headDim);
    }

    /** Whether layer {@code layer} uses sliding-window attention. */
    public boolean slides(int layer) {
        return slidingWindow > 0 && slidingLayers[layer];
    }

    public boolean causal() {
        return family.causal();
    }
}
