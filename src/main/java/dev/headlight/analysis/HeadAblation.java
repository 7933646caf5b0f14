package dev.headlight.analysis;

import dev.headlight.engine.Model;
import dev.headlight.engine.RunOptions;
import dev.headlight.engine.Trace;

import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Knocks out one head at a time and measures how the log-probability of a target token at a position changes.
 * A head is ablated by replacing its attention output (before the output projection) at every position, through
 * the {@link RunOptions.HeadHook}, with zeros, or (mean ablation) with the mean over positions of that head's own
 * output on this prompt.
 */
public final class HeadAblation {
    private HeadAblation() {
    }

    /**
     * @param position   the position whose next-token distribution is read (index into ids)
     * @param target     the token id whose log-probability is measured
     * @param mean       mean ablation (else zero ablation)
     * @param cleanLogProb log p(target) at position without intervention
     * @param delta      ablated minus clean log-probability          // [layer][head]
     */
    public record Result(int[] ids, int position, int target, boolean mean, double cleanLogProb, double[][] delta) {
    }

    /** Reports progress as heads done of heads total. */
    @FunctionalInterface
    public interface Progress {
        void onHead(int done, int total);
    }

    /** The full layers × heads map for one prompt (one forward pass per head). */
    public static Result map(Model model, int[] ids, int position, int target, boolean mean,
                             BooleanSupplier cancelled, Progress progress) {
        int p = Logits.position(position, ids.length);
        Logits.checkToken(target, model.info().vocab());
        int layers = model.info().layers();
        int heads = model.info().heads();
        HeadOutputs clean = new HeadOutputs(layers);
        Trace cleanTrace = model.run(ids, RunOptions.display().withoutAttentionMaps().withHeadHook(clean));
        double base = Logits.logProb(cleanTrace, p, target);
        double[][] delta = new double[layers][heads];
        int done = 0;
        for (int l = 0; l < layers; l++) {
            for (int h = 0; h < heads; h++) {
                checkCancelled(cancelled);
                Trace ablated = model.run(ids, RunOptions.display().withoutAttentionMaps()
                        .withHeadHook(ablationHook(l, h, mean ? meanOutput(clean, l, h) : null)));
                delta[l][h] = Logits.logProb(ablated, p, target) - base;
                if (progress != null) {
                    progress.onHead(++done, layers * heads);
                }
            }
        }
        return new Result(ids.clone(), p, target, mean, base, delta);
    }

    /**
     * One head ablated on one prompt: the next-token distributions at a position before and after, and the logit
     * lens of the target token layer by layer (what the window's ablation panel shows).
     *
     * @param target       {@link #defaultTarget}: the next token, or at the last position the clean top prediction
     * @param targetIsNext whether the target is the prompt's next token
     * @param before       log p of every token at the position, clean                       // [vocab]
     * @param after        the same with the head ablated                                      // [vocab]
     * @param lensBefore   log p(target) read out of the residual entering each layer, then of
     *                     the last layer's output, clean                                      // [layer + 1]
     * @param lensAfter    the same with the head ablated                                      // [layer + 1]
     */
    public record Single(int layer, int head, boolean mean, int position, int target, boolean targetIsNext,
                         float[] before, float[] after, double[] lensBefore, double[] lensAfter) {
        public double cleanLogProb() {
            return before[target];
        }

        public double ablatedLogProb() {
            return after[target];
        }

        /** The {@code k} most probable tokens of {@code logProbs} (before or after), most probable first. */
        public static int[] top(float[] logProbs, int k) {
            return LogitLens.topK(logProbs, 0, logProbs.length, k);
        }
    }

    /**
     * Ablates head (layer, head) on {@code ids} (zero, or mean) and reads position {@code position}.
     *
     * @throws IllegalArgumentException when the model has no such head (ablating it would silently change nothing)
     */
    public static Single ablate(Model model, int[] ids, int position, int layer, int head, boolean mean,
                                BooleanSupplier cancelled) {
        int layers = model.info().layers();
        int heads = model.info().heads();
        if (layer < 0 || layer >= layers || head < 0 || head >= heads) {
            throw new IllegalArgumentException("layer " + layer + " head " + head + " is not a head of this model ("
                    + layers + " layers × " + heads + " heads)");
        }
        int p = Logits.position(position, ids.length);
        HeadOutputs outputs = new HeadOutputs(model.info().layers());
        Trace clean = model.run(ids, RunOptions.display().withoutAttentionMaps().withHeadHook(outputs)
                .withCancellation(cancelled));
        checkCancelled(cancelled);
        float[] replacement = mean ? meanOutput(outputs, layer, head) : null;
        Trace ablated = model.run(ids, RunOptions.display().withoutAttentionMaps().withCancellation(cancelled)
                .withHeadHook(ablationHook(layer, head, replacement)));
        checkCancelled(cancelled);
        boolean isNext = p + 1 < ids.length;
        int target = isNext ? ids[p + 1] : topPrediction(clean, p);
        return new Single(layer, head, mean, p, target, isNext, logProbs(clean, p), logProbs(ablated, p),
                lens(model, clean, p, target), lens(model, ablated, p, target));
    }

    /** The token a map or an ablation measures: the next token, or at the last position the top prediction. */
    public static int defaultTarget(Model model, int[] ids, int position) {
        int p = Logits.position(position, ids.length);
        if (p + 1 < ids.length) {
            return ids[p + 1];
        }
        return topPrediction(model.run(ids, RunOptions.display().withoutAttentionMaps()), p);
    }

    /** The most probable next token at {@code position} (the first of equals). */
    public static int topPrediction(Trace trace, int position) {
        return LogitLens.topK(trace.logits(), position * trace.vocab(), trace.vocab(), 1)[0];
    }

    private static float[] logProbs(Trace trace, int position) {
        float[] out = new float[trace.vocab()];
        LogitLens.logSoftmax(trace.logits(), position * trace.vocab(), trace.vocab(), out, 0);
        return out;
    }

    /** log p(target) at {@code position} read out of every residual stream entry: // [layer + 1]. */
    private static double[] lens(Model model, Trace trace, int position, int target) {
        int hidden = trace.hidden();
        double[] out = new double[trace.layers() + 1];
        for (int l = 0; l < out.length; l++) {
            int from = trace.residualOffset(l, position);
            float[] logits = model.outputHead(java.util.Arrays.copyOfRange(trace.residual(), from, from + hidden), 1);
            LogitLens.logSoftmax(logits, 0, logits.length, logits, 0);
            out[l] = logits[target];
        }
        return out;
    }

    private static void checkCancelled(BooleanSupplier cancelled) {
        if (cancelled != null && cancelled.getAsBoolean()) {
            throw new CancellationException("ablation cancelled");
        }
    }

    /** log p(target) at position with one head ablated. */
    public static double ablatedLogProb(Model model, int[] ids, int position, int target, int layer, int head,
                                        boolean mean) {
        int p = Logits.position(position, ids.length);
        float[] replacement = null;
        if (mean) {
            HeadOutputs clean = new HeadOutputs(model.info().layers());
            model.run(ids, RunOptions.display().withoutAttentionMaps().withHeadHook(clean));
            replacement = meanOutput(clean, layer, head);
        }
        Trace ablated = model.run(ids, RunOptions.display().withoutAttentionMaps()
                .withHeadHook(ablationHook(layer, head, replacement)));
        return Logits.logProb(ablated, p, target);
    }

    /** The mean over positions of one head's output: {@code // [headDim]}. */
    public static float[] meanOutput(HeadOutputs outputs, int layer, int head) {
        int tokens = outputs.tokens();
        int dim = outputs.headDim();
        float[] own = outputs.head(layer, head); // [token][headDim]
        double[] sum = new double[dim];
        for (int t = 0; t < tokens; t++) {
            for (int d = 0; d < dim; d++) {
                sum[d] += own[t * dim + d];
            }
        }
        float[] out = new float[dim];
        for (int d = 0; d < dim; d++) {
            out[d] = (float) (sum[d] / tokens);
        }
        return out;
    }

    /** Replaces head (layer, head) at every position by {@code replacement // [headDim]} (null = zeros). */
    public static RunOptions.HeadHook ablationHook(int layer, int head, float[] replacement) {
        return (l, outputs, tokens, heads, headDim) -> {
            if (l != layer) {
                return;
            }
            for (int t = 0; t < tokens; t++) {
                int base = (t * heads + head) * headDim;
                if (replacement == null) {
                    java.util.Arrays.fill(outputs, base, base + headDim, 0f);
                } else {
                    System.arraycopy(replacement, 0, outputs, base, headDim);
                }
            }
        };
    }
}
