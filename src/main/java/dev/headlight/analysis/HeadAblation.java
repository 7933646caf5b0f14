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
                if (cancelled != null && cancelled.getAsBoolean()) {
                    throw new CancellationException("ablation cancelled");
                }
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
