package dev.headlight.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headlight.analysis.HeadAblation;
import dev.headlight.engine.Model;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * {@code headlight ablate}: zero- (or mean-) ablate each head in turn and report the change in log p(target) at a
 * position, as a layers × heads matrix.
 */
final class AblateCommand extends Command {

    AblateCommand() {
        super("ablate",
                "change in a target token's log-probability when each head is ablated",
                "ablate --model DIR --prompt TEXT --position P --target TOKEN [--mean] --json FILE",
                Inputs.analysisOptions(Inputs.PROMPT,
                        Option.value("position", "P",
                                "the prompt position whose next-token distribution is read; -1 = last"),
                        Inputs.tokenOption("target", "the token whose log-probability is compared"),
                        Option.flag("mean",
                                "replace the head's output by its mean over positions instead of zeros")),
                """
                        P indexes the prompt's tokens (special tokens included; -1 = last); the target is read from
                        the next-token distribution at P. TOKEN is #id, a vocabulary string, or a text of one token.
                        --mean replaces the head's output by its mean over positions instead of zeros.""");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws IOException {
        String json = args.require("json", "FILE");
        String prompt = args.require("prompt", "TEXT");
        args.require("position", "P");
        int position = args.intValue("position", -1);
        try (Model model = Inputs.openModel(args)) {
            int[] ids = Inputs.encode(model, prompt, "prompt");
            int target = Inputs.token(model, args, "target");
            HeadAblation.Result r = HeadAblation.map(model, ids, position, target, args.has("mean"), null, null);
            ObjectNode root = AnalysisJson.withPrompt(model, ids);
            root.put("position", r.position());
            root.set("target", AnalysisJson.tokenNode(model, target));
            root.put("ablation", r.mean() ? "mean" : "zero");
            root.put("clean_log_prob", r.cleanLogProb());
            root.put("delta", "ablated minus clean log-probability, [layer][head]");
            root.set("delta_log_prob", AnalysisJson.matrix(r.delta()));
            AnalysisJson.write(root, json, out);
            int[] worst = mostNegative(r.delta());
            out.printf(Locale.ROOT, "clean log p = %.4f; largest drop %.4f at layer %d head %d%n",
                    r.cleanLogProb(), r.delta()[worst[0]][worst[1]], worst[0], worst[1]);
        }
        return Cli.OK;
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
