package dev.headlight.engine;

/**
 * One layer's queries and keys exactly as its attention reads them (after the layer's norm, projections, biases,
 * per-head q/k norms and rotary, where the family has them), with the settings that turn q·k into probabilities.
 * Made by {@link Model#queryKeys}; the q·k view explains one attention cell from it.
 *
 * @param queries  every position's query heads                           // [token][head][headDim]
 * @param keys     every position's key heads (grouped-query: kv-heads)    // [token][kvHead][headDim]
 * @param scale    multiplier of q·k before the soft-cap (1/sqrt(headDim), or the family's own)
 * @param softcap  attention logit soft-cap: s -> tanh(s / cap) * cap before the softmax (0 = none)
 * @param causal   a query sees only keys at or before it
 * @param window   sliding window: a query at i sees keys j with i - window < j (0 = no window)
 */
public record QueryKeys(int tokens, int heads, int kvHeads, int headDim, float[] queries, float[] keys,
                        float scale, float softcap, boolean causal, int window) {

    /** The kv-head a query head reads (grouped-query attention: heads / kvHeads query heads share one). */
    public int kvHeadOf(int head) {
        return head / (heads / kvHeads);
    }

    /** Offset of queries[token][head][0]. */
    public int queryOffset(int token, int head) {
        return (token * heads + head) * headDim;
    }

    /** Offset of keys[token][kvHead][0]. */
    public int keyOffset(int token, int kvHead) {
        return (token * kvHeads + kvHead) * headDim;
    }

    /** Whether the query at {@code query} sees the key at {@code key} (causal mask and sliding window). */
    public boolean sees(int query, int key) {
        if (key < 0 || key >= tokens) {
            return false;
        }
        if (causal && key > query) {
            return false;
        }
        return window <= 0 || key > query - window;
    }
}
