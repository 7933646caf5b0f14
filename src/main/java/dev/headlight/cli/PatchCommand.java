package dev.headlight.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headlight.analysis.ActivationPatching;
import dev.headlight.engine.Model;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * {@code headlight patch}: activation patching from a clean into a corrupted prompt, per head and per (layer,
 * position) of the residual stream, with metric logit(answer) - logit(wrong) at the last position.
 */
final class PatchCommand extends Command {

    PatchCommand() {
        super("patch",
                "activation patching recovery per head and per residual position",
                "patch --model DIR --clean TEXT --corrupt TEXT --answer TOKEN --wrong TOKEN --json FILE",
                Inputs.analysisOptions(
                        Option.value("clean", "TEXT", "the prompt whose activations are patched in"),
                        Option.value("corrupt", "TEXT", "the prompt that is patched, of the same number of tokens"),
                        Inputs.tokenOption("answer", "the right next token"),
                        Inputs.tokenOption("wrong", "the wrong next token")),
                """
                        The prompts must encode to the same number of tokens. Recovery = (patched - corrupted) /
                        (clean - corrupted); null when the two prompts give the same metric.""");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws IOException {
        String json = args.require("json", "FILE");
        String cleanText = args.require("clean", "TEXT");
        String corruptText = args.require("corrupt", "TEXT");
        try (Model model = Inputs.openModel(args)) {
            int[] clean = Inputs.encode(model, cleanText, "clean");
            int[] corrupt = Inputs.encode(model, corruptText, "corrupt");
            int answer = Inputs.token(model, args, "answer");
            int wrong = Inputs.token(model, args, "wrong");
            ActivationPatching.Result r = ActivationPatching.run(model, clean, corrupt, answer, wrong, null, null);
            ObjectNode root = Json.object();
            root.set("model", AnalysisJson.modelNode(model));
            root.set("clean_ids", AnalysisJson.ints(clean));
            root.set("clean_tokens", AnalysisJson.tokens(model, clean));
            root.set("corrupt_ids", AnalysisJson.ints(corrupt));
            root.set("corrupt_tokens", AnalysisJson.tokens(model, corrupt));
            root.set("answer", AnalysisJson.tokenNode(model, answer));
            root.set("wrong", AnalysisJson.tokenNode(model, wrong));
            root.put("metric", "logit(answer) - logit(wrong) at the last position");
            root.put("clean_metric", r.cleanMetric());
            root.put("corrupt_metric", r.corruptMetric());
            root.set("head_metric", AnalysisJson.matrix(r.headMetric()));
            root.set("residual_metric", AnalysisJson.matrix(r.residualMetric()));
            if (r.recoverable()) {
                root.set("head_recovery", AnalysisJson.matrix(r.headRecovery()));
                root.set("residual_recovery", AnalysisJson.matrix(r.residualRecovery()));
            } else {
                root.putNull("head_recovery");
                root.putNull("residual_recovery");
            }
            AnalysisJson.write(root, json, out);
            out.printf(Locale.ROOT, "clean metric %.4f, corrupted %.4f%s%n", r.cleanMetric(),
                    r.corruptMetric(), r.recoverable() ? "" : " (equal: recovery undefined)");
        }
        return Cli.OK;
    }
}
