/**
 * Where in the weights a head's job is written (Elhage et al. 2021, "A Mathematical Framework for Transformer
 * Circuits"; TransformerLens conventions): each head's W_Q, W_K, W_V, W_O read from its slices of the stored
 * tensors with the norms folded ({@link dev.headlight.analysis.circuits.CircuitWeights}), and what they imply
 * ({@link dev.headlight.analysis.circuits.HeadCircuits}): copying scores, Q/K/V composition scores, the OV circuit's
 * singular directions in tokens, the positional QK profile. JavaFX-free; the {@code circuits} command and the window
 * share its stages: {@link dev.headlight.analysis.circuits.CircuitEvidence} (copying scores, OV roles, probe kinds),
 * {@link dev.headlight.analysis.circuits.HeadCircuit} (one head's OV in tokens, profile, row and column),
 * {@link dev.headlight.analysis.circuits.CompositionTable} (every pair, in the background), which
 * {@link dev.headlight.analysis.circuits.ModelCircuits} runs in one call for the command, and the composition
 * graph's rules ({@link dev.headlight.analysis.circuits.CompositionGraph}: edges, default threshold, strongest inputs).
 * <pre>{@code
 * HeadCircuits c = HeadCircuits.of(model);                     // reads and folds the factors (off the FX thread)
 * OptionalDouble copying = c.copying(layer, head).score();      // null for BERT
 * List<HeadCircuits.Composition> col = c.compositionOf(layer, head); // this head's row and column
 * HeadCircuits.Composition[][][][] all = c.compositionAll(cancelled, progress); // every pair l1 < l2
 * double[][][][] k = c.kCompositionAll(cancelled, progress);   // K only (a training timeline's curves)
 * c.prepareVocabularyProduct(cancelled);                        // W_U W_E ahead, e.g. in the background at open
 * List<HeadCircuits.SingularDirection> ov = c.ovTop(layer, head, 5, 10); // input tokens -> output tokens
 * }</pre>
 * The factors are widened from the mapped file with the norms multiplied in ({@code StoredFloats}); the large
 * products run in float32 on a packed GEMM ({@code BlockProduct}: vocabulary sums in float32 parts added in
 * float64; a series against one B side packs it once), d_head x d_head Gram matrices and products of two stacks of
 * d_model-long rows as tiles of dot products ({@code RowDots}), the rest on the engine's kernels; in float64 the
 * nonsymmetric eigenvalues with ojAlgo, symmetric eigenpairs and SVDs with EJML ({@code SmallMatrices}); the
 * tests compare every score (the table and one head's row and column) with a slow direct float64 implementation
 * within 1e-6.
 * {@code compositionAll} takes a cancellation check and a progress callback (0 to 1, once per layer pair) for the
 * background table; {@code compositionOf} is the cheap path for the selected head.
 *
 * <p>Part of the analysis layer: may use format, engine and analysis; never train, library, ui or cli.
 */
package dev.headlight.analysis.circuits;
