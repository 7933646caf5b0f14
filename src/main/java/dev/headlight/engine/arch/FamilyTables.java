package dev.headlight.engine.arch;

import dev.headlight.engine.TensorPlacement.Axis;
import dev.headlight.engine.arch.TensorTable.HeadSplit;
import dev.headlight.format.config.Family;

/**
 * Which stored tensor plays which role, per family. Shapes use config symbols: D hidden, V vocab, I intermediate,
 * P max positions, Y token types, HD head dim, Q = heads x HD, KV = kv-heads x HD, QKV = Q + 2 KV.
 * Linear weights are stored [out][in] (heads along ROWS of q/k/v, COLUMNS of o); GPT-2's Conv1D is [in][out].
 */
public final class FamilyTables {
    private FamilyTables() {
    }

    public static TensorTable of(Family family) {
        return switch (family) {
            case GPT2 -> GPT2;
            case LLAMA, MISTRAL, QWEN2, QWEN3, PHI3 -> LLAMA;
            case GEMMA -> GEMMA;
            case GEMMA2 -> GEMMA2;
            case GPT_NEOX -> GPT_NEOX;
            case BERT -> BERT;
        };
    }

    static final TensorTable GPT2 = TensorTable.builder("gpt2")
            .role("[transformer.]wte.weight", "embed.tokens", "V,D", "token embeddings")
            .role("[transformer.]wpe.weight", "embed.positions", "P,D", "learned position embeddings")
            .layerNorm("[transformer.]h.#.ln_1", "norm.attn", "LayerNorm before attention")
            .split("[transformer.]h.#.attn.c_attn.weight", "attn.qkv", "D,QKV", HeadSplit.QKV_BLOCKS, Axis.COLUMNS,
                    "fused query/key/value projection, Conv1D [in, q|k|v]")
            .split("[transformer.]h.#.attn.c_attn.bias", "attn.qkv.bias", "QKV", HeadSplit.QKV_BLOCKS, Axis.ROWS,
                    "fused query/key/value bias")
            .split("[transformer.]h.#.attn.c_proj.weight", "attn.o", "Q,D", HeadSplit.O, Axis.ROWS,
                    "attention output projection, Conv1D [in, out]")
            .role("[transformer.]h.#.attn.c_proj.bias", "attn.o.bias", "D", "attention output bias")
            .layerNorm("[transformer.]h.#.ln_2", "norm.mlp", "LayerNorm before the MLP")
            .role("[transformer.]h.#.mlp.c_fc.weight", "mlp.up", "D,I", "MLP up projection, Conv1D [in, out]")
            .role("[transformer.]h.#.mlp.c_fc.bias", "mlp.up.bias", "I", "MLP up bias")
            .role("[transformer.]h.#.mlp.c_proj.weight", "mlp.down", "I,D", "MLP down projection, Conv1D [in, out]")
            .role("[transformer.]h.#.mlp.c_proj.bias", "mlp.down.bias", "D", "MLP down bias")
            .layerNorm("[transformer.]ln_f", "final_norm", "final LayerNorm")
            .role("lm_head.weight", "unembed", "V,D", "unembedding")
            .ignore("[transformer.]h.#.attn.bias", "legacy causal-mask buffer (ignored)")
            .ignore("[transformer.]h.#.attn.masked_bias", "legacy mask-fill buffer (ignored)")
            .build();

    /** Llama, Mistral, Qwen2, Qwen3 and Phi-3 share names; optional tensors depend on the family. */
    static final TensorTable LLAMA = llamaLike("llama", false).build();
    static final TensorTable GEMMA = llamaLike("gemma", false).build();
    static final TensorTable GEMMA2 = llamaLike("gemma2", true).build();

    private static TensorTable.Builder llamaLike(String name, boolean gemma2Norms) {
        String l = "model.layers.#.";
        TensorTable.Builder b = TensorTable.builder(name)
                .role("model.embed_tokens.weight", "embed.tokens", "V,D", "token embeddings")
                .role(l + "input_layernorm.weight", "norm.attn", "D", "RMSNorm before attention")
                .queryKeyValue(l + "self_attn.q_proj", l + "self_attn.k_proj", l + "self_attn.v_proj")
                .split(l + "self_attn.qkv_proj.weight", "attn.qkv", "QKV,D", HeadSplit.QKV_BLOCKS, Axis.ROWS,
                        "fused query/key/value projection [q|k|v rows]")
                .split(l + "self_attn.o_proj.weight", "attn.o", "D,Q", HeadSplit.O, Axis.COLUMNS,
                        "attention output projection")
                .role(l + "self_attn.o_proj.bias", "attn.o.bias", "D", "attention output bias")
                .role(l + "self_attn.q_norm.weight", "attn.q_norm", "HD", "per-head RMSNorm of queries")
                .role(l + "self_attn.k_norm.weight", "attn.k_norm", "HD", "per-head RMSNorm of keys");
        if (gemma2Norms) {
            b.role(l + "post_attention_layernorm.weight", "norm.attn.post", "D", "RMSNorm after attention")
                    .role(l + "pre_feedforward_layernorm.weight", "norm.mlp", "D", "RMSNorm before the MLP")
                    .role(l + "post_feedforward_layernorm.weight", "norm.mlp.post", "D", "RMSNorm after the MLP");
        } else {
            b.role(l + "post_attention_layernorm.weight", "norm.mlp", "D", "RMSNorm before the MLP");
        }
        return b.linear(l + "mlp.gate_proj", "mlp.gate", "I", "D", HeadSplit.NONE, "MLP gate")
                .linear(l + "mlp.up_proj", "mlp.up", "I", "D", HeadSplit.NONE, "MLP up")
                .role(l + "mlp.gate_up_proj.weight", "mlp.gate_up", "2I,D", "fused MLP gate|up projection")
                .linear(l + "mlp.down_proj", "mlp.down", "D", "I", HeadSplit.NONE, "MLP down")
                .role("model.norm.weight", "final_norm", "D", "final RMSNorm")
                .role("lm_head.weight", "unembed", "V,D", "unembedding")
                .ignore(l + "self_attn.rotary_emb.inv_freq", "rotary inverse-frequency buffer (recomputed)");
    }

    static final TensorTable GPT_NEOX = TensorTable.builder("gpt_neox")
            .role("gpt_neox.embed_in.weight", "embed.tokens", "V,D", "token embeddings")
            .layerNorm("gpt_neox.layers.#.input_layernorm", "norm.attn", "LayerNorm before attention")
            .layerNorm("gpt_neox.layers.#.post_attention_layernorm", "norm.mlp", "LayerNorm before the MLP")
            .split("gpt_neox.layers.#.attention.query_key_value.weight", "attn.qkv", "QKV,D", HeadSplit.QKV_PER_HEAD,
                    Axis.ROWS, "fused query/key/value projection, rows interleaved per head [q k v]")
            .split("gpt_neox.layers.#.attention.query_key_value.bias", "attn.qkv.bias", "QKV", HeadSplit.QKV_PER_HEAD,
                    Axis.ROWS, "fused query/key/value bias")
            .split("gpt_neox.layers.#.attention.dense.weight", "attn.o", "D,Q", HeadSplit.O, Axis.COLUMNS,
                    "attention output projection")
            .role("gpt_neox.layers.#.attention.dense.bias", "attn.o.bias", "D", "attention output bias")
            .linear("gpt_neox.layers.#.mlp.dense_h_to_4h", "mlp.up", "I", "D", HeadSplit.NONE, "MLP up")
            .linear("gpt_neox.layers.#.mlp.dense_4h_to_h", "mlp.down", "D", "I", HeadSplit.NONE, "MLP down")
            .layerNorm("gpt_neox.final_layer_norm", "final_norm", "final LayerNorm")
            .role("embed_out.weight", "unembed", "V,D", "unembedding")
            .ignore("gpt_neox.layers.#.attention.(?:bias|masked_bias)", "legacy attention-mask buffer (ignored)")
            .ignore("gpt_neox.layers.#.attention.rotary_emb.inv_freq", "rotary inverse-frequency buffer (recomputed)")
            .build();

    /** BERT's LayerNorm parameter names: weight/bias, or gamma/beta in older checkpoints. */
    private static final String GAMMA = "(?:weight|gamma)";
    private static final String BETA = "(?:bias|beta)";

    static final TensorTable BERT = TensorTable.builder("bert")
            .role("[bert.]embeddings.word_embeddings.weight", "embed.tokens", "V,D", "token embeddings")
            .role("[bert.]embeddings.position_embeddings.weight", "embed.positions", "P,D",
                    "learned position embeddings")
            .role("[bert.]embeddings.token_type_embeddings.weight", "embed.types", "Y,D", "token type embeddings")
            .layerNorm("[bert.]embeddings.LayerNorm", GAMMA, BETA, "embed.norm",
                    "embedding LayerNorm")
            .queryKeyValue("[bert.]encoder.layer.#.attention.self.query", "[bert.]encoder.layer.#.attention.self.key",
                    "[bert.]encoder.layer.#.attention.self.value")
            .split("[bert.]encoder.layer.#.attention.output.dense.weight", "attn.o", "D,Q", HeadSplit.O,
                    Axis.COLUMNS, "attention output projection")
            .role("[bert.]encoder.layer.#.attention.output.dense.bias", "attn.o.bias", "D", "attention output bias")
            .layerNorm("[bert.]encoder.layer.#.attention.output.LayerNorm", GAMMA, BETA, "norm.attn",
                    "LayerNorm after attention + residual")
            .linear("[bert.]encoder.layer.#.intermediate.dense", "mlp.up", "I", "D", HeadSplit.NONE, "MLP up")
            .linear("[bert.]encoder.layer.#.output.dense", "mlp.down", "D", "I", HeadSplit.NONE, "MLP down")
            .layerNorm("[bert.]encoder.layer.#.output.LayerNorm", GAMMA, BETA, "norm.mlp",
                    "LayerNorm after MLP + residual")
            .role("cls.predictions.transform.dense.weight", "head.transform", "D,D", "MLM head transform")
            .role("cls.predictions.transform.dense.bias", "head.transform.bias", "D", "MLM head transform bias")
            .layerNorm("cls.predictions.transform.LayerNorm", GAMMA, BETA, "head.norm",
                    "MLM head LayerNorm")
            .role("cls.predictions.decoder.weight", "unembed", "V,D", "MLM decoder (unembedding)")
            .role("cls.predictions.bias", "unembed.bias", "V", "MLM decoder bias")
            .ignore("cls.predictions.decoder.bias", "MLM decoder bias (the same parameter as cls.predictions.bias)")
            .ignore("[bert.]embeddings.position_ids", "position id buffer (ignored)")
            .ignore("[bert.]embeddings.token_type_ids", "token type id buffer (ignored: all tokens are type 0)")
            .ignore("[bert.]pooler.dense.(?:weight|bias)", "pooler (not used by the MLM head)")
            .ignore("cls.seq_relationship.(?:weight|bias)", "next-sentence head (not used)")
            .build();
}
