package dev.headlight.engine;

import java.util.List;

/**
 * Where one stored tensor sits in the architecture.
 *
 * @param tensorName the safetensors name, e.g. "model.layers.3.self_attn.q_proj.weight"
 * @param layer      the layer index, or -1 for tensors outside the layer stack
 * @param component  a dotted role, e.g. "embed.tokens", "attn.q", "attn.qkv", "attn.o", "mlp.up", "norm.attn",
 *                   "final_norm", "unembed", "buffer" (legacy buffers the engine ignores)
 * @param description one line for people, e.g. "query projection (4 heads × 16)"
 * @param headSlices each head's part of the tensor (empty when the tensor is not split by head)
 */
public record TensorPlacement(String tensorName, int layer, String component, String description,
                              List<HeadSlice> headSlices) {

    /** The stored axis a head slice runs along. */
    public enum Axis { ROWS, COLUMNS }

    /**
     * Head {@code head}'s {@code part} ("q", "k", "v" or "o") of the tensor: indices [from, to) of {@code axis}
     * of the stored matrix. For grouped-query attention, K/V slices belong to kv-heads.
     */
    public record HeadSlice(int head, String part, Axis axis, int from, int to) {
        public String describe(String tensorName) {
            return (axis == Axis.ROWS ? "rows " : "columns ") + from + "–" + (to - 1) + " of " + tensorName;
        }
    }
}
