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
     * Analyses {@code trace} (a run of {@code model}); runs the standard multi-period probe through the model when
     * enabled (once per model and probe: its evidence is cached while the model is reachable).
     */
    public static HeadAnalysisResult analyze(Model model, Trace trace, ProbeOptions options) {
        return analyze(model, trace, options, null);
    }

    /** As {@link #analyze(Model, Trace, ProbeOptions)}; {@code cancelled} (may be null) stops the probe passes. */
    public static HeadAnalysisResult analyze(Model model, Trace trace, ProbeOptions options,
                                             BooleanSupplier cancelled) {
        HeadDistances.warmUpInBackground(); // overlaps the JSD kernel's compilation with the probe pass
        ProbeRun probe = options.enabled() ? probe(model, options.seed(), options.periods(), cancelled) : null;
        return analyze(trace.attentions(), trace.inputIds(), probe, model.info().causal(), options.clusters());
    }

    /** The standard probe's evidence and the attention maps of its longest period (for distances). */
    public record ProbeRun(ProbeEvidence evidence, AttentionMaps longestPeriodMaps) {
    }

    /**
     * Every head's kind from the standard probe with the default seed and periods: the one function the window and
     * the command line label heads with. Cached per model.
     */
    public static HeadKind.Verdict[][] kinds(Model model, BooleanSupplier cancelled) {
        ProbeEvidence e = probe(model, ProbeOptions.DEFAULT_SEED, Probe.PERIODS, cancelled).evidence();
        int layers = model.info().layers();
        int heads = model.info().heads();
        HeadKind.Verdict[][] out = new HeadKind.Verdict[layers][heads];
        for (int l = 0; l < layers; l++) {
            for (int h = 0; h < heads; h++) {
                out[l][h] = e.kind(l, h);
            }
        }
        return out;
    }

    // The probe does not depend on the prompt: its evidence is kept per model (and probe) while the model lives.
    private static final Map<Model, Map<List<Object>, ProbeRun>> PROBE_CACHE =
            Collections.synchronizedMap(new WeakHashMap<>());

    /** Runs (or finds in the cache) the multi-period probe of {@code model}. */
    public static ProbeRun probe(Model model, long seed, int[] periods, BooleanSupplier cancelled) {
        List<Object> key = List.of(seed, Arrays.stream(periods).boxed().toList());
        Map<List<Object>, ProbeRun> perModel = PROBE_CACHE.computeIfAbsent(model,
                m -> Collections.synchronizedMap(new HashMap<>()));
        ProbeRun cached = perModel.get(key);
        if (cached != null) {
            return cached;
        }
        // the probe's maps are small (61 tokens) and all kept: the window's attention budget is for prompts
        RunOptions run = RunOptions.exact().withAttentionBudget(AttentionMaps.UNBOUNDED);
        if (cancelled != null) {
            run = run.withCancellation(cancelled);
        }
        List<Probe.Periodic> sequences = Probe.multiPeriod(model, seed, periods);
        List<AttentionMaps> maps = new ArrayList<>();
        List<int[]> ids = new ArrayList<>();
        for (Probe.Periodic p : sequences) {
            maps.add(model.run(p.ids(), run).attentions());
            ids.add(p.ids());
        }
        int[] used = sequences.stream().mapToInt(Probe.Periodic::period).toArray();
        ProbeRun result = new ProbeRun(ProbeEvidence.of(used, ids, maps, model.info().causal()), maps.getLast());
        perModel.put(key, result);
        return result;
    }

    /**
     * The analysis from attention maps with a single probe sequence (its period taken as half its length after
     * BOS). {@code probe} and {@code probeIds} may both be null.
     */
    public static HeadAnalysisResult analyze(AttentionMaps prompt, int[] promptIds, AttentionMaps probe,
                                             int[] probeIds, boolean causal, int clusters) {
        if ((probe == null) != (probeIds == null)) {
            throw new IllegalArgumentException("probe maps and probe ids go together");
        }
        ProbeRun run = probe == null ? null : new ProbeRun(ProbeEvidence.of(new int[]{probeIds.length / 2},
                List.of(probeIds), List.of(probe), causal), probe);
        return analyze(prompt, promptIds, run, causal, clusters);
    }

    /**
     * The analysis from the prompt's attention maps and the probe's evidence (may be null: kinds then come from the
     * prompt's scores). {@code clusters} = 0 picks {@link AverageLinkage#defaultClusterCount}.
     */
    public static HeadAnalysisResult analyze(AttentionMaps prompt, int[] promptIds, ProbeRun probe, boolean causal,
                                             int clusters) {
        int layers = prompt.layers();
        int heads = prompt.heads();
        HeadScores[][] promptScores = HeadScoring.scoreAll(prompt, promptIds, causal);
        ProbeEvidence evidence = probe == null ? null : probe.evidence();
        List<HeadDistances.View> views = new ArrayList<>();
        if (probe != null) {
            views.add(new HeadDistances.View(probe.longestPeriodMaps(), causal));
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
                Optional<HeadScores> onProbe = evidence == null ? Optional.empty()
                        : Optional.of(evidence.mean()[l][h]);
                HeadKind.Verdict verdict = evidence == null
                        ? new HeadKind.Verdict(HeadKind.classify(own), java.util.OptionalInt.empty())
                        : evidence.kind(l, h);
                reports.add(new HeadReport(l, h, own, onProbe, verdict.kind(), cluster[k], xy[k][0], xy[k][1],
                        verdict.offset()));
            }
        }
        return new HeadAnalysisResult(layers, heads, promptIds.clone(), evidence,
                List.copyOf(reports), distance, tree.merges());
    }
}
