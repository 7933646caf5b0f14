package dev.headlight.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headlight.analysis.HeadAnalysis;
import dev.headlight.analysis.HeadAnalysisResult;
import dev.headlight.analysis.HeadKind;
import dev.headlight.analysis.HeadReport;
import dev.headlight.analysis.HeadScores;
import dev.headlight.analysis.Probe;
import dev.headlight.analysis.ProbeOptions;
import dev.headlight.analysis.Score;
import dev.headlight.engine.AttentionMaps;
import dev.headlight.engine.Model;
import dev.headlight.engine.RunOptions;

import java.io.PrintStream;
import java.io.IOException;
import java.util.List;

/**
 * {@code headlight heads}: per-head scores, kind, cluster and head-map position for a prompt (or exact ids), as
 * JSON. "scores" are always on the prompt / ids; with --probe the standard multi-period probe also runs, its
 * scores (averaged over the periods) are "probe_scores", kinds are read from its evidence (the same function the
 * window labels heads with), and distances average over the prompt and the longest period.
 */
final class HeadsCommand extends Command {

    HeadsCommand() {
        super("heads",
                "head scores, kinds, clusters and a 2D head map",
                "heads --model DIR (--prompt TEXT | --ids 1,2,3) [--probe] [--seed N] [--periods 8,11,15,20]"
                        + " [--clusters K] --json FILE",
                Inputs.analysisOptions(Inputs.PROMPT, Inputs.IDS,
                        Option.flag("probe", "also run the standard probe (random tokens repeated with several periods);"
                                + " kinds come from it"),
                        Option.value("seed", "N", "seed of the probe's random tokens (default " + ProbeOptions.DEFAULT_SEED
                                + ")"),
                        Option.value("periods", "LIST", "the probe's periods, comma-separated (default "
                                + periodsText(Probe.PERIODS) + "); a period that does not repeat within the model's"
                                + " context is left out"),
                        Option.value("clusters", "K", "average-linkage clusters (default 0: chosen automatically)")),
                """
                        Scores per head (previous_token, first_token, self, duplicate_token, induction, entropy;
                        null when a score's query set is empty), a kind, an average-linkage cluster and MDS x, y.
                        The probe: for each period p, p distinct random tokens repeated to %d tokens after BOS;
                        probe_scores are the mean over the periods. --json - writes to standard output. Kind rules:
                        """.formatted(Probe.MULTI_PERIOD_TOKENS) + HeadKind.rulesText());
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws IOException {
        String json = args.require("json", "FILE");
        Inputs.Input input = Inputs.input(args);
        ProbeOptions probe = new ProbeOptions(args.has("probe"), args.longValue("seed", ProbeOptions.DEFAULT_SEED),
                args.has("periods") ? args.intList("periods") : Probe.PERIODS,
                args.intValue("clusters", 0));
        try (Model model = Inputs.openModel(args)) {
            int[] ids = input.idsFor(model);
            HeadAnalysisResult result = HeadAnalysis.analyze(model, model.run(ids, RunOptions.exact()), probe);
            AnalysisJson.write(toJson(model, result, probe), json, out);
            out.println(summary(result));
        }
        return Cli.OK;
    }

    static ObjectNode toJson(Model model, HeadAnalysisResult result, ProbeOptions probe) {
        ObjectNode root = AnalysisJson.withPrompt(model, result.promptIds());
        if (result.hasProbe()) {
            ObjectNode p = root.putObject("probe");
            p.put("seed", probe.seed());
            p.set("periods", AnalysisJson.ints(result.probe().periods()));
            p.put("tokens_per_period", result.probe().ids().getFirst().length);
            ArrayNode ids = p.putArray("ids");
            result.probe().ids().forEach(i -> ids.add(AnalysisJson.ints(i)));
        } else {
            root.putNull("probe");
        }
        root.put("kind_source", result.hasProbe() ? "probe" : "prompt");
        root.put("distance", "Jensen-Shannon divergence (bits) of attention rows, mean over queries");
        ObjectNode rules = root.putObject("kind_thresholds");
        rules.put("positional_every_period", HeadKind.POSITIONAL_MIN);
        rules.put("induction", HeadKind.INDUCTION_MIN);
        rules.put("previous_token", HeadKind.PREVIOUS_TOKEN_MIN);
        rules.put("duplicate_token", HeadKind.DUPLICATE_TOKEN_MIN);
        rules.put("sink_first_token", HeadKind.SINK_MIN);
        rules.put("self", HeadKind.SELF_MIN);
        rules.put("local_self_plus_previous", HeadKind.LOCAL_MIN);
        rules.put("broad_entropy", HeadKind.BROAD_ENTROPY_MIN);
        ArrayNode heads = root.putArray("heads");
        for (HeadReport r : result.reports()) {
            ObjectNode h = heads.addObject();
            h.put("layer", r.layer());
            h.put("head", r.head());
            h.set("scores", scores(r.prompt()));
            r.probe().ifPresent(s -> h.set("probe_scores", scores(s)));
            h.put("kind", r.kind().key());
            if (r.positionalOffset().isPresent()) {
                h.put("positional_offset", r.positionalOffset().getAsInt());
            } else {
                h.putNull("positional_offset");
            }
            h.put("cluster", r.cluster());
            h.put("x", r.x());
            h.put("y", r.y());
        }
        return root;
    }

    static ObjectNode scores(HeadScores s) {
        ObjectNode node = Json.object();
        for (Score score : Score.values()) {
            AnalysisJson.put(node, score.key(), s.get(score));
        }
        return node;
    }

    private static String summary(HeadAnalysisResult result) {
        java.util.Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        for (HeadReport r : result.reports()) {
            counts.merge(r.kindLabel(), 1, Integer::sum);
        }
        StringBuilder b = new StringBuilder();
        b.append(result.layers() * result.heads()).append(" heads:");
        counts.forEach((kind, n) -> b.append(' ').append(kind).append(' ').append(n).append(','));
        b.setLength(b.length() - 1);
        if (result.hasProbe()) {
            b.append(" (probe periods ").append(periodsText(result.probe().periods())).append(')');
        }
        return b.toString();
    }

    static String periodsText(int[] periods) {
        return java.util.Arrays.stream(periods).mapToObj(Integer::toString)
                .collect(java.util.stream.Collectors.joining(","));
    }
}
