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
 */
public record Trace(int[] inputIds, int layers, int heads, int hidden, int vocab,
                    AttentionMaps attentions, float[] residual, float[] logits, long elapsedNanos) {

    public int tokens() {
        return inputIds.length;
    }

    /** Offset of residual[layer][token][0]. */
    public int residualOffset(int layer, int token) {
        return (layer * inputIds.length + token) * hidden;
    }
}
