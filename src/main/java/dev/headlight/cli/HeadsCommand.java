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
import java.util.Set;

import static dev.headlight.cli.AnalysisCommandSupport.JSON;

/**
 * {@code headlight heads}: per-head scores, kind, cluster and head-map position for a prompt (or exact ids), as
 * JSON. "scores" are always on the prompt / ids; with --probe the standard probe also runs, its scores are
 * "probe_scores", kinds are read from them, and distances average over both.
 */
public final class HeadsCommand {
    public static final String NAME = "heads";
    public static final String USAGE = "headlight heads --model DIR (--prompt TEXT | --ids 1,2,3) [--probe]"
            + " [--seed N] [--repeat N] [--clusters K] --json FILE";
    public static final String SUMMARY = "head scores, kinds, clusters and a 2D head map";

    private HeadsCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (AnalysisCommandSupport.wantsHelp(args)) {
            out.println("usage: " + USAGE);
            out.println("Scores per head (previous_token, first_token, self, duplicate_token, induction, entropy;");
            out.println("null when a score's query set is empty), a kind, an average-linkage cluster and MDS x, y.");
            out.println("--json - writes to standard output. Kind rules:");
            out.println(HeadKind.rulesText());
            return 0;
        }
        return AnalysisCommandSupport.guard(NAME, USAGE, err, () -> {
            AnalysisCommandSupport.Options o = AnalysisCommandSupport.Options.parse(args,
                    Set.of("--model", "--prompt", "--ids", "--seed", "--repeat", "--clusters", "--json"),
                    Set.of("--probe"));
            String folder = o.required("--model");
            String json = o.required("--json");
            if (o.has("--prompt") == o.has("--ids")) {
                throw new AnalysisCommandSupport.UsageException("give exactly one of --prompt and --ids");
            }
            ProbeOptions probe = new ProbeOptions(o.has("--probe"),
                    o.longValue("--seed", ProbeOptions.DEFAULT_SEED),
                    o.intValue("--repeat", ProbeOptions.DEFAULT_REPEAT_LENGTH), o.intValue("--clusters", 0));
            try (Model model = Model.open(Inputs.modelPath(folder))) {
                int[] ids = o.has("--ids")
                        ? AnalysisCommandSupport.parseIds(o.required("--ids"), model.info().vocab())
                        : AnalysisCommandSupport.encode(model, o.required("--prompt"));
                AttentionMaps promptMaps = model.run(ids, RunOptions.exact()).attentions();
                AttentionMaps probeMaps = null;
                int[] probeIds = null;
                if (probe.enabled()) {
                    probeIds = Probe.ids(model, probe.seed(), probe.repeatLength());
                    probeMaps = model.run(probeIds, RunOptions.exact()).attentions();
                }
                HeadAnalysisResult result = HeadAnalysis.analyze(promptMaps, ids, probeMaps, probeIds,
                        model.info().causal(), probe.clusters());
                AnalysisCommandSupport.write(toJson(model, result, probe), json, out);
                out.println(summary(result));
            }
            return 0;
        });
    }

    static ObjectNode toJson(Model model, HeadAnalysisResult result, ProbeOptions probe) {
        ObjectNode root = JSON.objectNode();
        root.set("model", AnalysisCommandSupport.modelNode(model));
        root.set("ids", AnalysisCommandSupport.ints(result.promptIds()));
        root.set("tokens", AnalysisCommandSupport.tokens(model, result.promptIds()));
        if (result.hasProbe()) {
            ObjectNode p = root.putObject("probe");
            p.put("seed", probe.seed());
            p.put("repeat_length", probe.repeatLength());
            p.set("ids", AnalysisCommandSupport.ints(result.probeIds()));
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
        ObjectNode node = JSON.objectNode();
        for (Score score : Score.values()) {
            AnalysisCommandSupport.put(node, score.key(), s.get(score));
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
