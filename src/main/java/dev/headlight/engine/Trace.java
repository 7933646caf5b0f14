package dev.headlight.engine;

/**
 * Everything one forward pass captured.
 *
 * @param inputIds   the ids that were run                                   // [token]
 * @param attentions softmax probabilities                                   // [layer][head][query][key]
 *                   (layers past the run's attention budget are recomputed from {@code residual} when read)
 * @param residual   the residual stream entering each layer; entry L is the last layer's output before the
 *                   final norm                                              // [layer + 1][token][hidden]
 * @param logits     the model's output logits                              // [token][vocab]
 * @param elapsedNanos wall time of the pass
 * @param reusedTokens how many leading positions were copied from the earlier pass given by
 *                     {@link RunOptions#withContinuation} instead of computed (0 for a full pass)
 * @param keyValues  every layer's keys and values, when the run was asked to keep them
 *                   ({@link RunOptions#withContinuation}) and the model is causal; else null
 */
public record Trace(int[] inputIds, int layers, int heads, int hidden, int vocab,
                    AttentionMaps attentions, float[] residual, float[] logits, long elapsedNanos,
                    int reusedTokens, KeyValues keyValues) {

    public int tokens() {
        return inputIds.length;
    }

    /** Offset of residual[layer][token][0]. */
    public int residualOffset(int layer, int token) {
        return (layer * inputIds.length + token) * hidden;
    }
}
