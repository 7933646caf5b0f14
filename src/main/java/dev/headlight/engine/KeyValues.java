package dev.headlight.engine;

/**
 * The keys and values (after rotary) of every layer of one pass, kept so that a later pass on a prompt with the
 * same beginning computes only the positions after it: a causal model's earlier positions never see later ones.
 * Only the model that made them can use them.
 *
 * @param owner  the model that ran the pass
 * @param keys   per layer                                   // [layer][token][kvHeads * headDim]
 * @param values per layer                                   // [layer][token][kvHeads * headDim]
 */
public record KeyValues(Object owner, float[][] keys, float[][] values) {
}
