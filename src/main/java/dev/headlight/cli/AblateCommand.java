package dev.headlight.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headlight.analysis.HeadAblation;
import dev.headlight.engine.Model;

import java.io.PrintStream;
import java.util.Set;

import static dev.headlight.cli.AnalysisCommandSupport.JSON;

/**
 * {@code headlight ablate}: zero- (or mean-) ablate each head in turn and report the change in log p(target) at a
 * position, as a layers × heads matrix.
 */
public final class AblateCommand {
    public static final String NAME = "ablate";
    public static final String USAGE = "headlight ablate --model DIR --prompt TEXT --position P --target TOKEN"
            + " [--mean] --json FILE";
    public static final String SUMMARY = "change in a target token's log-probability when each head is ablated";

    private AblateCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (AnalysisCommandSupport.wantsHelp(args)) {
            out.println("usage: " + USAGE);
            out.println("P indexes the prompt's tokens (special tokens included; -1 = last); the target is read from");
            out.println("the next-token distribution at P. TOKEN is #id, a vocabulary string, or a text of one token.");
            out.println("--mean replaces the head's output by its mean over positions instead of zeros.");
            return 0;
        }
        return AnalysisCommandSupport.guard(NAME, USAGE, err, () -> {
            AnalysisCommandSupport.Options o = AnalysisCommandSupport.Options.parse(args,
                    Set.of("--model", "--prompt", "--position", "--target", "--json"), Set.of("--mean"));
            String json = o.required("--json");
            try (Model model = Model.open(Inputs.modelPath(o.required("--model")))) {
                int[] ids = AnalysisCommandSupport.encode(model, o.required("--prompt"));
                int position = o.intValue("--position", Integer.MIN_VALUE);
                if (position == Integer.MIN_VALUE) {
                    throw new AnalysisCommandSupport.UsageException("--position is required");
                }
                int target = AnalysisCommandSupport.resolveToken(model, o.required("--target"), "--target");
                HeadAblation.Result r = HeadAblation.map(model, ids, position, target, o.has("--mean"), null, null);
                ObjectNode root = JSON.objectNode();
                root.set("model", AnalysisCommandSupport.modelNode(model));
                root.set("ids", AnalysisCommandSupport.ints(ids));
                root.set("tokens", AnalysisCommandSupport.tokens(model, ids));
                root.put("position", r.position());
                root.set("target", AnalysisCommandSupport.tokenNode(model, target));
                root.put("ablation", r.mean() ? "mean" : "zero");
                root.put("clean_log_prob", r.cleanLogProb());
                root.put("delta", "ablated minus clean log-probability, [layer][head]");
                root.set("delta_log_prob", AnalysisCommandSupport.matrix(r.delta()));
                AnalysisCommandSupport.write(root, json, out);
                int[] worst = mostNegative(r.delta());
                out.printf(java.util.Locale.ROOT, "clean log p = %.4f; largest drop %.4f at layer %d head %d%n",
                        r.cleanLogProb(), r.delta()[worst[0]][worst[1]], worst[0], worst[1]);
            }
            return 0;
        });
    }

    private static int[] mostNegative(double[][] m) {
        int[] best = {0, 0};
        for (int l = 0; l < m.length; l++) {
            for (int h = 0; h < m[l].length; h++) {
                if (m[l][h] < m[best[0]][best[1]]) {
                    best = new int[]{l, h};
                }
            }
        }
        return best;
    }
}
