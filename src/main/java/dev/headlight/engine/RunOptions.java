package dev.headlight.engine;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

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
 * @param attentionBudget  bytes the stored attention maps may take; the maps of layers past it are recomputed on
 *                         demand (see {@link AttentionMaps}), and a prompt whose single layer exceeds it is refused
 *                         with {@link AttentionMaps.TooLongException}; 0 keeps no maps at all (for passes that
 *                         need logits, residuals or head outputs only: {@link #withoutAttentionMaps()})
 * @param keepKeyValues    keep every layer's keys and values in the trace, so a later pass can continue from it
 * @param continueFrom     an earlier trace of the same model with its keys and values, or null: the positions
 *                         this prompt shares with it at the start are copied, not computed (causal models
 *                         without hooks; anything else runs in full)
 */
public record RunOptions(boolean compactAttention, ProgressListener progress, BooleanSupplier cancelled,
                         HeadHook headHook, ResidualHook residualHook, long attentionBudget,
                         boolean keepKeyValues, Trace continueFrom) {

    /** System property: the attention memory budget in MiB (both exact and display runs). */
    public static final String BUDGET_PROPERTY = "headlight.attention.budget.mb";
    /**
     * The default attention memory budget. 512 MiB keeps every layer of GPT-2 small at its full 1,024 tokens in
     * float16 (288 MiB), and of a 32-layer, 32-head 7B model up to 512 tokens; past that a large model's layers
     * are recomputed when shown (its maps at 4,096 tokens would be 32 × 32 × 4,096² × 2 bytes = 32 GiB), and a
     * 32-head layer fits alone up to ~2,900 tokens. It is a size a default desktop heap (a quarter of RAM) holds
     * next to the residual stream and the lens; smaller heaps get a quarter of the maximum heap instead.
     */
    public static final long DEFAULT_BUDGET_MIB = 512;
    private static final AtomicBoolean WARNED = new AtomicBoolean(); // a bad property is reported once

    public RunOptions {
        if (attentionBudget < 0) {
            throw new IllegalArgumentException("attention budget must not be negative: " + attentionBudget);
        }
    }

    /** Float32 attention maps (parity output) within the default budget. */
    public static RunOptions exact() {
        return new RunOptions(false, null, null, null, null, defaultAttentionBudget(), false, null);
    }

    /** Float16 attention maps (2 bytes per probability, for display) within the default budget. */
    public static RunOptions display() {
        return new RunOptions(true, null, null, null, null, defaultAttentionBudget(), false, null);
    }

    /**
     * The attention memory budget in bytes: {@value #BUDGET_PROPERTY} (MiB) when set, else
     * {@value #DEFAULT_BUDGET_MIB} MiB or a quarter of the maximum heap, whichever is smaller.
     */
    public static long defaultAttentionBudget() {
        String set = System.getProperty(BUDGET_PROPERTY);
        if (set != null && !set.isBlank()) {
            try {
                double mib = Double.parseDouble(set.trim());
                if (mib > 0) {
                    return Math.max(1, (long) (mib * (1 << 20)));
                }
            } catch (NumberFormatException ignored) {
                // falls through to the default, like an unset property
            }
            if (!WARNED.getAndSet(true)) {
                System.err.println("headlight: ignoring " + BUDGET_PROPERTY + "=" + set
                        + " (not a positive number of MiB)");
            }
        }
        return Math.min(DEFAULT_BUDGET_MIB << 20, Runtime.getRuntime().maxMemory() / 4);
    }

    /**
     * The same options storing no attention maps: for passes whose maps nobody reads (ablation, patching,
     * attribution), which saves their memory and the float16 conversion and never refuses a long prompt. A map
     * read anyway is recomputed, one layer at a time.
     */
    public RunOptions withoutAttentionMaps() {
        return withAttentionBudget(0);
    }

    /** The same options with an attention memory budget of {@code bytes} ({@link AttentionMaps#UNBOUNDED}: none). */
    public RunOptions withAttentionBudget(long bytes) {
        return edited(d -> d.attentionBudget = bytes);
    }

    public RunOptions withProgress(ProgressListener listener) {
        return edited(d -> d.progress = listener);
    }

    public RunOptions withCancellation(BooleanSupplier isCancelled) {
        return edited(d -> d.cancelled = isCancelled);
    }

    public RunOptions withHeadHook(HeadHook hook) {
        return edited(d -> d.headHook = hook);
    }

    public RunOptions withResidualHook(ResidualHook hook) {
        return edited(d -> d.residualHook = hook);
    }

    /**
     * The same options keeping this pass's keys and values and continuing from {@code earlier} (may be null): when
     * the model made {@code earlier}, is causal and runs without hooks, the positions the two prompts share at the
     * start are copied from it (attention rows, residual stream, logits) and only the rest is computed. Typing at
     * the end of a prompt then costs one position, not the whole prompt.
     */
    public RunOptions withContinuation(Trace earlier) {
        return edited(d -> {
            d.keepKeyValues = true;
            d.continueFrom = earlier;
        });
    }

    /** A copy of these options with what {@code change} sets in its draft. */
    private RunOptions edited(Consumer<Draft> change) {
        Draft d = new Draft(this);
        change.accept(d);
        return new RunOptions(d.compactAttention, d.progress, d.cancelled, d.headHook, d.residualHook,
                d.attentionBudget, d.keepKeyValues, d.continueFrom);
    }

    /** The components of a RunOptions being edited: the record's withers each set one or two of them. */
    private static final class Draft {
        private final boolean compactAttention;
        private ProgressListener progress;
        private BooleanSupplier cancelled;
        private HeadHook headHook;
        private ResidualHook residualHook;
        private long attentionBudget;
        private boolean keepKeyValues;
        private Trace continueFrom;

        private Draft(RunOptions o) {
            compactAttention = o.compactAttention;
            progress = o.progress;
            cancelled = o.cancelled;
            headHook = o.headHook;
            residualHook = o.residualHook;
            attentionBudget = o.attentionBudget;
            keepKeyValues = o.keepKeyValues;
            continueFrom = o.continueFrom;
        }
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
