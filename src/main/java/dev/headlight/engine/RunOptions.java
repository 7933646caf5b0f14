package dev.headlight.engine;

import java.util.function.BooleanSupplier;

/**
 * How to run a forward pass.
 *
 * @param compactAttention store attention probabilities as float16 (display) instead of float32 (parity output)
 * @param progress         told after each layer; may be null
 * @param cancelled        polled between layers (and inside long layers); when true the pass throws
 *                         {@link java.util.concurrent.CancellationException}; may be null
 * @param headHook         sees and may change each layer's per-head attention outputs before the output
 *                         projection (ablation, patching); may be null
 * @param residualHook     sees and may change the residual stream entering each layer (and the final one, index
 *                         L, before the final norm); may be null
 */
public record RunOptions(boolean compactAttention, ProgressListener progress, BooleanSupplier cancelled,
                         HeadHook headHook, ResidualHook residualHook) {

    public static RunOptions exact() {
        return new RunOptions(false, null, null, null, null);
    }

    public static RunOptions display() {
        return new RunOptions(true, null, null, null, null);
    }

    public RunOptions withProgress(ProgressListener listener) {
        return new RunOptions(compactAttention, listener, cancelled, headHook, residualHook);
    }

    public RunOptions withCancellation(BooleanSupplier isCancelled) {
        return new RunOptions(compactAttention, progress, isCancelled, headHook, residualHook);
    }

    public RunOptions withHeadHook(HeadHook hook) {
        return new RunOptions(compactAttention, progress, cancelled, hook, residualHook);
    }

    public RunOptions withResidualHook(ResidualHook hook) {
        return new RunOptions(compactAttention, progress, cancelled, headHook, hook);
    }

    @FunctionalInterface
    public interface ProgressListener {
        /** {@code layersDone} of {@code layers} layers have run. */
        void onLayer(int layersDone, int layers);
    }

    @FunctionalInterface
    public interface HeadHook {
        /**
         * Called once per layer with the concatenated per-head attention outputs
         * {@code headOutputs // [token][head][headDim]} before the output projection; may modify them in place.
         */
        void onHeadOutputs(int layer, float[] headOutputs, int tokens, int heads, int headDim);
    }

    @FunctionalInterface
    public interface ResidualHook {
        /** Called with {@code residual // [token][hidden]} entering {@code layer} (L = before the final norm). */
        void onResidual(int layer, float[] residual, int tokens, int hidden);
    }
}
