package dev.headlight.analysis.circuits;

/**
 * One layer's per-head attention factors in the row-vector convention (TransformerLens): for head h,
 * W_Q, W_K, W_V [d_model, d_head] and W_O [d_head, d_model], norms already folded in (see {@link CircuitWeights}).
 * Every factor is stored as d_head rows of d_model, i.e. W_Q^T, W_K^T, W_V^T and W_O itself, so that the
 * products the scores need are row-by-row dot products over d_model.
 *
 * @param heads   query heads H
 * @param kvHeads key/value heads (grouped-query attention: query head h uses kv-head h / (H / kvHeads))
 * @param dHead   d_head
 * @param dModel  d_model
 * @param q       W_Q^T of every query head     // [H][dHead][dModel]
 * @param k       W_K^T of every kv-head        // [kvHeads][dHead][dModel]
 * @param v       W_V^T of every kv-head        // [kvHeads][dHead][dModel]
 * @param o       W_O of every query head       // [H][dHead][dModel]
 */
public record LayerFactors(int heads, int kvHeads, int dHead, int dModel, float[] q, float[] k, float[] v,
                           float[] o) {

    public LayerFactors {
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException(heads + " query heads do not divide into " + kvHeads + " kv-heads");
        }
        int block = dHead * dModel;
        if (q.length != heads * block || o.length != heads * block || k.length != kvHeads * block
                || v.length != kvHeads * block) {
            throw new IllegalArgumentException("factor sizes do not match " + heads + " heads, " + kvHeads
                    + " kv-heads, d_head " + dHead + ", d_model " + dModel);
        }
    }

    /** The kv-head whose K and V query head {@code head} uses. */
    public int kvHead(int head) {
        return head / (heads / kvHeads);
    }

    /** Offset of head {@code head}'s [dHead][dModel] block in {@link #q} or {@link #o}. */
    public int queryOffset(int head) {
        return head * dHead * dModel;
    }

    /** Offset of the block of query head {@code head}'s kv-head in {@link #k} or {@link #v}. */
    public int kvOffset(int head) {
        return kvHead(head) * dHead * dModel;
    }
}
