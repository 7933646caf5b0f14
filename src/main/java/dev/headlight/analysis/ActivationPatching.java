package dev.headlight.analysis;

import dev.headlight.engine.Model;
import dev.headlight.engine.RunOptions;
import dev.headlight.engine.Trace;

import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Activation patching between a clean and a corrupted prompt of the same token length. The metric is
 * logit(answer) - logit(wrong) at the last position. Each head's output (before the output projection, all
 * positions) and each (layer, position) of the residual stream entering a layer (layer L = before the final norm)
 * is copied from the clean run into the corrupted run in turn; recovery = (patched - corrupted) / (clean -
 * corrupted), so 0 = no effect and 1 = the clean behaviour is fully restored. Patching everything (or the whole
 * residual entering layer 0) restores the clean run exactly, recovery 1.
 */
public final class ActivationPatching {
    private ActivationPatching() {
    }

    /** A head to patch. */
    public record HeadSite(int layer, int head) {
    }

    /** A residual-stream vector to patch: the residual entering {@code layer} (L = final) at {@code position}. */
    public record ResidualSite(int layer, int position) {
    }

    /**
     * @param cleanMetric    metric on the clean prompt
     * @param corruptMetric  metric on the corrupted prompt
     * @param headMetric     metric with each head patched                          // [layer][head]
     * @param residualMetric metric with each residual vector patched              // [layer + 1][position]
     */
    public record Result(int[] cleanIds, int[] corruptIds, int answer, int wrong, double cleanMetric,
                         double corruptMetric, double[][] headMetric, double[][] residualMetric) {

        /** False when clean and corrupted metrics coincide, so recovery is undefined. */
        public boolean recoverable() {
            return Math.abs(cleanMetric - corruptMetric) > 1e-9;
        }

        public double recovery(double patchedMetric) {
            if (!recoverable()) {
                throw new IllegalStateException("the clean and corrupted prompts give the same metric "
                        + cleanMetric + "; recovery is undefined");
            }
            return (patchedMetric - corruptMetric) / (cleanMetric - corruptMetric);
        }

        /** {@code // [layer][head]} recovery. */
        public double[][] headRecovery() {
            return recoveryOf(headMetric);
        }

        /** {@code // [layer + 1][position]} recovery. */
        public double[][] residualRecovery() {
            return recoveryOf(residualMetric);
        }

        private double[][] recoveryOf(double[][] metric) {
            double[][] out = new double[metric.length][];
            for (int i = 0; i < metric.length; i++) {
                out[i] = new double[metric[i].length];
                for (int j = 0; j < metric[i].length; j++) {
                    out[i][j] = recovery(metric[i][j]);
                }
            }
            return out;
        }
    }

    /** The clean run's activations, recorded once and reused for every patch. */
    public static final class CleanRun {
        final HeadOutputs heads;
        final Trace trace;

        private CleanRun(HeadOutputs heads, Trace trace) {
            this.heads = heads;
            this.trace = trace;
        }

        public static CleanRun record(Model model, int[] cleanIds) {
            HeadOutputs heads = new HeadOutputs(model.info().layers());
            Trace trace = model.run(cleanIds, RunOptions.display().withoutAttentionMaps().withHeadHook(heads));
            return new CleanRun(heads, trace);
        }
    }

    /** Reports progress as patches done of patches total. */
    @FunctionalInterface
    public interface Progress {
        void onPatch(int done, int total);
    }

    /** Every head and every residual vector patched in turn: L·H + (L+1)·T forward passes. */
    public static Result run(Model model, int[] cleanIds, int[] corruptIds, int answer, int wrong,
                             BooleanSupplier cancelled, Progress progress) {
        return run(model, cleanIds, corruptIds, answer, wrong, true, true, cancelled, progress);
    }

    /**
     * As {@link #run(Model, int[], int[], int, int, BooleanSupplier, Progress)}, patching only heads and/or only
     * residual vectors; a skipped family's metric matrix has zero-length rows.
     */
    public static Result run(Model model, int[] cleanIds, int[] corruptIds, int answer, int wrong,
                             boolean patchHeads, boolean patchResidual, BooleanSupplier cancelled,
                             Progress progress) {
        check(model, cleanIds, corruptIds, answer, wrong);
        int layers = model.info().layers();
        int heads = model.info().heads();
        int tokens = cleanIds.length;
        CleanRun clean = CleanRun.record(model, cleanIds);
        double cleanMetric = metric(clean.trace, answer, wrong);
        double corruptMetric = metric(model.run(corruptIds, RunOptions.display().withoutAttentionMaps()), answer,
                wrong);
        int total = (patchHeads ? layers * heads : 0) + (patchResidual ? (layers + 1) * tokens : 0);
        int done = 0;
        double[][] headMetric = new double[layers][patchHeads ? heads : 0];
        for (int l = 0; l < layers && patchHeads; l++) {
            for (int h = 0; h < heads; h++) {
                checkCancelled(cancelled);
                headMetric[l][h] = patchedMetric(model, clean, corruptIds, answer, wrong,
                        Set.of(new HeadSite(l, h)), Set.of());
                report(progress, ++done, total);
            }
        }
        double[][] residualMetric = new double[layers + 1][patchResidual ? tokens : 0];
        for (int l = 0; l <= layers && patchResidual; l++) {
            for (int p = 0; p < tokens; p++) {
                checkCancelled(cancelled);
                residualMetric[l][p] = patchedMetric(model, clean, corruptIds, answer, wrong, Set.of(),
                        Set.of(new ResidualSite(l, p)));
                report(progress, ++done, total);
            }
        }
        return new Result(cleanIds.clone(), corruptIds.clone(), answer, wrong, cleanMetric, corruptMetric,
                headMetric, residualMetric);
    }

    /** The metric of the corrupted prompt with any set of heads and residual vectors patched from the clean run. */
    public static double patchedMetric(Model model, CleanRun clean, int[] corruptIds, int answer, int wrong,
                                       Set<HeadSite> headSites, Set<ResidualSite> residualSites) {
        RunOptions options = RunOptions.display().withoutAttentionMaps();
        if (!headSites.isEmpty()) {
            options = options.withHeadHook((layer, outputs, tokens, heads, headDim) -> {
                float[] source = clean.heads.layer(layer); // [token][head][headDim]
                for (HeadSite site : headSites) {
                    if (site.layer() != layer) {
                        continue;
                    }
                    for (int t = 0; t < tokens; t++) {
                        int base = (t * heads + site.head()) * headDim;
                        System.arraycopy(source, base, outputs, base, headDim);
                    }
                }
            });
        }
        if (!residualSites.isEmpty()) {
            Trace source = clean.trace;
            options = options.withResidualHook((layer, residual, tokens, hidden) -> {
                for (ResidualSite site : residualSites) {
                    if (site.layer() == layer) {
                        System.arraycopy(source.residual(), source.residualOffset(layer, site.position()),
                                residual, site.position() * hidden, hidden);
                    }
                }
            });
        }
        return metric(model.run(corruptIds, options), answer, wrong);
    }

    /** logit(answer) - logit(wrong) at the last position. */
    public static double metric(Trace trace, int answer, int wrong) {
        int last = trace.tokens() - 1;
        return Logits.logit(trace, last, answer) - Logits.logit(trace, last, wrong);
    }

    static void check(Model model, int[] cleanIds, int[] corruptIds, int answer, int wrong) {
        if (cleanIds.length != corruptIds.length) {
            throw new IllegalArgumentException("the clean prompt has " + cleanIds.length
                    + " tokens and the corrupted prompt " + corruptIds.length + "; patching needs equal lengths");
        }
        if (cleanIds.length == 0) {
            throw new IllegalArgumentException("empty prompts");
        }
        Logits.checkToken(answer, model.info().vocab());
        Logits.checkToken(wrong, model.info().vocab());
    }

    private static void checkCancelled(BooleanSupplier cancelled) {
        if (cancelled != null && cancelled.getAsBoolean()) {
            throw new CancellationException("patching cancelled");
        }
    }

    private static void report(Progress progress, int done, int total) {
        if (progress != null) {
            progress.onPatch(done, total);
        }
    }
}
