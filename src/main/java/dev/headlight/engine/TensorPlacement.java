package dev.headlight.engine;

import java.util.List;

/**
 * Where one stored tensor sits in the architecture.
 *
 * @param tensorName the safetensors name, e.g. "model.layers.3.self_attn.q_proj.weight"
 * @param layer      the layer index, or -1 for tensors outside the layer stack
 * @param component  a dotted role (engine.arch.FamilyTables has every family's table):
 *                   embeddings "embed.tokens", "embed.positions", "embed.types", "embed.norm"[".bias"];
 *                   attention "attn.q", "attn.k", "attn.v", "attn.qkv" (fused), "attn.o", each with ".bias"
 *                   where stored, "attn.q_norm", "attn.k_norm" (Qwen3);
 *                   MLP "mlp.gate", "mlp.up", "mlp.gate_up" (fused), "mlp.down", with ".bias" where stored;
 *                   norms "norm.attn" (before attention; BERT: after), "norm.mlp", "norm.attn.post",
 *                   "norm.mlp.post" (Gemma 2), LayerNorm biases as ".bias";
 *                   output "final_norm"[".bias"], "unembed"[".bias"], BERT's "head.transform"[".bias"] and
 *                   "head.norm"[".bias"]; "buffer" for stored tensors the engine ignores (legacy masks,
 *                   inv_freq, pooler, an lm_head that tie_word_embeddings replaces by the embeddings)
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
