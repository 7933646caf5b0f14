/**
 * The engine's API: {@link dev.headlight.engine.Model} (a model folder opened for running), {@link
 * dev.headlight.engine.RunOptions} (what a pass captures, hooks, budget, cancellation), {@link
 * dev.headlight.engine.Trace} and {@link dev.headlight.engine.AttentionMaps} (what a pass returns), {@link
 * dev.headlight.engine.ModelInfo} and {@link dev.headlight.engine.TensorPlacement} (what a tensor is in the
 * architecture). The implementation lives in {@code engine.arch} (found through {@link
 * dev.headlight.engine.ModelOpener}), its numeric kernels in {@code engine.kernel}.
 *
 * <p>May use format only.
 */
package dev.headlight.engine;
