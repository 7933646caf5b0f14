package dev.headlight.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headlight.analysis.ActivationPatching;
import dev.headlight.engine.Model;

import java.io.PrintStream;
import java.util.Set;

import static dev.headlight.cli.AnalysisCommandSupport.JSON;

/**
 * {@code headlight patch}: activation patching from a clean into a corrupted prompt, per head and per (layer,
 * position) of the residual stream, with metric logit(answer) - logit(wrong) at the last position.
 */
public final class PatchCommand {
    public static final String NAME = "patch";
    public static final String USAGE = "headlight patch --model DIR --clean TEXT --corrupt TEXT --answer TOKEN"
            + " --wrong TOKEN --json FILE";
    public static final String SUMMARY = "activation patching recovery per head and per residual position";

    private PatchCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (AnalysisCommandSupport.wantsHelp(args)) {
            out.println("usage: " + USAGE);
            out.println("The prompts must encode to the same number of tokens. Recovery = (patched - corrupted) /");
            out.println("(clean - corrupted); null when the two prompts give the same metric.");
            return 0;
        }
        return AnalysisCommandSupport.guard(NAME, USAGE, err, () -> {
            AnalysisCommandSupport.Options o = AnalysisCommandSupport.Options.parse(args,
                    Set.of("--model", "--clean", "--corrupt", "--answer", "--wrong", "--json"), Set.of());
            String json = o.required("--json");
            try (Model model = Model.open(Inputs.modelPath(o.required("--model")))) {
                int[] clean = AnalysisCommandSupport.encode(model, o.required("--clean"));
                int[] corrupt = AnalysisCommandSupport.encode(model, o.required("--corrupt"));
                int answer = AnalysisCommandSupport.resolveToken(model, o.required("--answer"), "--answer");
                int wrong = AnalysisCommandSupport.resolveToken(model, o.required("--wrong"), "--wrong");
                ActivationPatching.Result r = ActivationPatching.run(model, clean, corrupt, answer, wrong, null, null);
                ObjectNode root = JSON.objectNode();
                root.set("model", AnalysisCommandSupport.modelNode(model));
                root.set("clean_ids", AnalysisCommandSupport.ints(clean));
                root.set("clean_tokens", AnalysisCommandSupport.tokens(model, clean));
                root.set("corrupt_ids", AnalysisCommandSupport.ints(corrupt));
                root.set("corrupt_tokens", AnalysisCommandSupport.tokens(model, corrupt));
                root.set("answer", AnalysisCommandSupport.tokenNode(model, answer));
                root.set("wrong", AnalysisCommandSupport.tokenNode(model, wrong));
                root.put("metric", "logit(answer) - logit(wrong) at the last position");
                root.put("clean_metric", r.cleanMetric());
                root.put("corrupt_metric", r.corruptMetric());
                root.set("head_metric", AnalysisCommandSupport.matrix(r.headMetric()));
                root.set("residual_metric", AnalysisCommandSupport.matrix(r.residualMetric()));
                if (r.recoverable()) {
                    root.set("head_recovery", AnalysisCommandSupport.matrix(r.headRecovery()));
                    root.set("residual_recovery", AnalysisCommandSupport.matrix(r.residualRecovery()));
                } else {
                    root.putNull("head_recovery");
                    root.putNull("residual_recovery");
                }
                AnalysisCommandSupport.write(root, json, out);
                out.printf(java.util.Locale.ROOT, "clean metric %.4f, corrupted %.4f%s%n", r.cleanMetric(),
                        r.corruptMetric(), r.recoverable() ? "" : " (equal: recovery undefined)");
            }
            return 0;
        });
    }
}
