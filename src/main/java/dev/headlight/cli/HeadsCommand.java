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
 * JSON. "scores" are always on the prompt / ids; with --probe the standard probe also runs, its scores are
 * "probe_scores", kinds are read from them, and distances average over both.
 */
final class HeadsCommand extends Command {

    HeadsCommand() {
        super("heads",
                "head scores, kinds, clusters and a 2D head map",
                "heads --model DIR (--prompt TEXT | --ids 1,2,3) [--probe] [--seed N] [--repeat N] [--clusters K]"
                        + " --json FILE");
    }

    @Override
    public List<Option> options() {
        return List.of(Inputs.MODEL, Inputs.PROMPT, Inputs.IDS,
                Option.flag("probe", "also run the standard probe (random tokens repeated); kinds come from it"),
                Option.value("seed", "N", "seed of the probe's random tokens (default " + ProbeOptions.DEFAULT_SEED
                        + ")"),
                Option.value("repeat", "N", "length of the probe's repeated segment (default "
                        + ProbeOptions.DEFAULT_REPEAT_LENGTH + ")"),
                Option.value("clusters", "K", "average-linkage clusters (default 0: chosen automatically)"),
                Inputs.JSON_FILE);
    }

    @Override
    public String details() {
        return """
                Scores per head (previous_token, first_token, self, duplicate_token, induction, entropy;
                null when a score's query set is empty), a kind, an average-linkage cluster and MDS x, y.
                --json - writes to standard output. Kind rules:
                """ + HeadKind.rulesText();
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws IOException {
        String json = args.require("json", "FILE");
        Inputs.Input input = Inputs.input(args);
        ProbeOptions probe = new ProbeOptions(args.has("probe"), args.longValue("seed", ProbeOptions.DEFAULT_SEED),
                args.intValue("repeat", ProbeOptions.DEFAULT_REPEAT_LENGTH),
                args.intValue("clusters", 0));
        try (Model model = Inputs.openModel(args)) {
            int[] ids = input.idsFor(model);
            AttentionMaps promptMaps = model.run(ids, RunOptions.exact()).attentions();
            AttentionMaps probeMaps = null;
            int[] probeIds = null;
            if (probe.enabled()) {
                probeIds = Probe.ids(model, probe.seed(), probe.repeatLength());
                probeMaps = model.run(probeIds, RunOptions.exact()).attentions();
            }
            HeadAnalysisResult result = HeadAnalysis.analyze(promptMaps, ids, probeMaps, probeIds,
                    model.info().causal(), probe.clusters());
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
            p.put("repeat_length", probe.repeatLength());
            p.set("ids", AnalysisJson.ints(result.probeIds()));
        } else {
            root.putNull("probe");
        }
        root.put("kind_source", result.hasProbe() ? "probe" : "prompt");
        root.put("distance", "Jensen-Shannon divergence (bits) of attention rows, mean over queries");
        ObjectNode rules = root.putObject("kind_thresholds");
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
        int[] counts = new int[HeadKind.values().length];
        for (HeadReport r : result.reports()) {
            counts[r.kind().ordinal()]++;
        }
        StringBuilder b = new StringBuilder();
        b.append(result.layers() * result.heads()).append(" heads:");
        for (HeadKind k : HeadKind.values()) {
            if (counts[k.ordinal()] > 0) {
                b.append(' ').append(k.key()).append(' ').append(counts[k.ordinal()]);
            }
        }
        return b.toString();
    }
}
