package dev.headlight.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headlight.analysis.DirectLogitAttribution;
import dev.headlight.engine.Model;

import java.io.PrintStream;
import java.util.Set;

import static dev.headlight.cli.AnalysisCommandSupport.JSON;

/** {@code headlight dla}: direct logit attribution of one token's logit at one position. */
public final class DlaCommand {
    public static final String NAME = "dla";
    public static final String USAGE = "headlight dla --model DIR --prompt TEXT [--position P] --token TOKEN"
            + " --json FILE";
    public static final String SUMMARY = "direct logit attribution to heads, MLPs and the embedding";

    private DlaCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (AnalysisCommandSupport.wantsHelp(args)) {
            out.println("usage: " + USAGE);
            out.println("P defaults to -1 (the last token). embedding + heads + attention_bias + mlp + norm_bias +");
            out.println("unembed_bias = pre_cap_logit; the model's logit is its final soft-cap (if any).");
            return 0;
        }
        return AnalysisCommandSupport.guard(NAME, USAGE, err, () -> {
            AnalysisCommandSupport.Options o = AnalysisCommandSupport.Options.parse(args,
                    Set.of("--model", "--prompt", "--position", "--token", "--json"), Set.of());
            String json = o.required("--json");
            try (Model model = Model.open(Inputs.modelPath(o.required("--model")))) {
                int[] ids = AnalysisCommandSupport.encode(model, o.required("--prompt"));
                int token = AnalysisCommandSupport.resolveToken(model, o.required("--token"), "--token");
                DirectLogitAttribution.Result r = DirectLogitAttribution.compute(model, ids,
                        o.intValue("--position", -1), token);
                ObjectNode root = JSON.objectNode();
                root.set("model", AnalysisCommandSupport.modelNode(model));
                root.set("ids", AnalysisCommandSupport.ints(ids));
                root.set("tokens", AnalysisCommandSupport.tokens(model, ids));
                root.put("position", r.position());
                root.set("token", AnalysisCommandSupport.tokenNode(model, token));
                root.put("embedding", r.embedding());
                root.set("heads", AnalysisCommandSupport.matrix(r.heads()));
                ArrayNode bias = root.putArray("attention_bias");
                ArrayNode mlp = root.putArray("mlp");
                for (int l = 0; l < r.mlp().length; l++) {
                    bias.add(r.attentionBias()[l]);
                    mlp.add(r.mlp()[l]);
                }
                root.put("norm_bias", r.normBias());
                root.put("unembed_bias", r.unembedBias());
                root.put("pre_cap_logit", r.total());
                root.put("reconstructed_logit", r.reconstructedLogit());
                root.put("model_logit", r.modelLogit());
                AnalysisCommandSupport.write(root, json, out);
                out.printf(java.util.Locale.ROOT, "logit %.4f = sum of contributions %.4f%n", r.modelLogit(),
                        r.reconstructedLogit());
            }
            return 0;
        });
    }
}
