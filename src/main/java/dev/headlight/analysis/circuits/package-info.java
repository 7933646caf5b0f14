/**
 * Where in the weights a head's job is written (Elhage et al. 2021, "A Mathematical Framework for Transformer
 * Circuits"; TransformerLens conventions): each head's W_Q, W_K, W_V, W_O read from its slices of the stored
 * tensors with the norms folded ({@link dev.headlight.analysis.circuits.CircuitWeights}), and what they imply
 * ({@link dev.headlight.analysis.circuits.HeadCircuits}): copying scores, Q/K/V composition scores, the OV circuit's
 * singular directions in tokens, the positional QK profile. JavaFX-free; the {@code circuits} command and the window
 * share {@link dev.headlight.analysis.circuits.ModelCircuits}.
 * <pre>{@code
 * HeadCircuits c = HeadCircuits.of(model);                     // reads and folds the factors (off the FX thread)
 * OptionalDouble copying = c.copying(layer, head).score();      // null for BERT
 * List<HeadCircuits.Composition> col = c.compositionOf(layer, head); // this head's row and column
 * HeadCircuits.Composition[][][][] all = c.compositionAll(cancelled, progress); // every pair l1 < l2
 * List<HeadCircuits.SingularDirection> ov = c.ovTop(layer, head, 5, 10); // input tokens -> output tokens
 * }</pre>
 * Heavy products run in float32 on the engine's kernels, eigenvalues and SVDs in float64 with EJML; the tests
 * compare every score with a slow direct float64 implementation within 1e-6.
 *
 * <p>Part of the analysis layer: may use format, engine and analysis; never train, library, ui or cli.
 */
package dev.headlight.analysis.circuits;
