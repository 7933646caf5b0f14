package dev.headlight.analysis;

import dev.headlight.engine.AttentionMaps;
import dev.headlight.engine.Model;
import dev.headlight.engine.RunOptions;
import dev.headlight.engine.Trace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The per-prompt head analysis the UI and the {@code heads} command call: scores on the prompt (and on the
 * standard {@link Probe}), a {@link HeadKind} per head, JSD distances between heads, a 2D head map by classical
 * MDS and average-linkage clusters.
 */
public final class HeadAnalysis {
    private HeadAnalysis() {
    }

    /**
     * Analyses {@code trace} (a run of {@code model}); runs the probe through the model when enabled (once per
     * model and probe: its attention is cached while the model is reachable).
     */
    public static HeadAnalysisResult analyze(Model model, Trace trace, ProbeOptions options) {
        return analyze(model, trace, options, null);
    }

    /** As {@link #analyze(Model, Trace, ProbeOptions)}; {@code cancelled} (may be null) stops the probe pass. */
    public static HeadAnalysisResult analyze(Model model, Trace trace, ProbeOptions options,
                                             BooleanSupplier cancelled) {
        HeadDistances.warmUpInBackground(); // overlaps the JSD kernel's compilation with the probe pass
        AttentionMaps probeMaps = null;
        int[] probeIds = null;
        if (options.enabled()) {
            probeIds = Probe.ids(model, options.seed(), options.repeatLength());
            probeMaps = probeAttentions(model, probeIds, cancelled);
        }
        return analyze(trace.attentions(), trace.inputIds(), probeMaps, probeIds, model.info().causal(),
                options.clusters());
    }

    // The probe does not depend on the prompt: its attention is kept per model (and probe) while the model lives.
    private static final Map<Model, Map<List<Integer>, AttentionMaps>> PROBE_CACHE =
            Collections.synchronizedMap(new WeakHashMap<>());

    private static AttentionMaps probeAttentions(Model model, int[] probeIds, BooleanSupplier cancelled) {
        List<Integer> key = Arrays.stream(probeIds).boxed().toList();
        Map<List<Integer>, AttentionMaps> perModel = PROBE_CACHE.computeIfAbsent(model,
                m -> Collections.synchronizedMap(new HashMap<>()));
        AttentionMaps cached = perModel.get(key);
        if (cached != null) {
            return cached;
        }
        RunOptions run = RunOptions.exact();
        if (cancelled != null) {
            run = run.withCancellation(cancelled);
        }
        AttentionMaps maps = model.run(probeIds, run).attentions();
        perModel.put(key, maps);
        return maps;
    }

    /**
     * The analysis from attention maps alone. {@code probe} and {@code probeIds} may both be null.
     * {@code clusters} = 0 picks {@link AverageLinkage#defaultClusterCount}.
     */
    public static HeadAnalysisResult analyze(AttentionMaps prompt, int[] promptIds, AttentionMaps probe,
                                             int[] probeIds, boolean causal, int clusters) {
        if ((probe == null) != (probeIds == null)) {
            throw new IllegalArgumentException("probe maps and probe ids go together");
        }
        int layers = prompt.layers();
        int heads = prompt.heads();
        HeadScores[][] promptScores = HeadScoring.scoreAll(prompt, promptIds, causal);
        HeadScores[][] probeScores = probe == null ? null : HeadScoring.scoreAll(probe, probeIds, causal);
        List<HeadDistances.View> views = new ArrayList<>();
        if (probe != null) {
            views.add(new HeadDistances.View(probe, causal));
        }
        views.add(new HeadDistances.View(prompt, causal));
        double[][] distance = HeadDistances.compute(views);
        double[][] xy = ClassicalMds.embed2d(distance);
        AverageLinkage tree = AverageLinkage.cluster(distance);
        int n = layers * heads;
        int[] cluster = tree.cut(clusters > 0 ? clusters : AverageLinkage.defaultClusterCount(n));
        List<HeadReport> reports = new ArrayList<>(n);
        for (int l = 0; l < layers; l++) {
            for (int h = 0; h < heads; h++) {
                int k = l * heads + h;
                HeadScores own = promptScores[l][h];
                Optional<HeadScores> onProbe = probeScores == null ? Optional.empty()
                        : Optional.of(probeScores[l][h]);
                HeadKind kind = HeadKind.classify(onProbe.orElse(own));
                reports.add(new HeadReport(l, h, own, onProbe, kind, cluster[k], xy[k][0], xy[k][1]));
            }
        }
        return new HeadAnalysisResult(layers, heads, promptIds.clone(), probeIds == null ? null : probeIds.clone(),
                List.copyOf(reports), distance, tree.merges());
    }
}
