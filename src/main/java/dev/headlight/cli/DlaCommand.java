package dev.headlight.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headlight.analysis.DirectLogitAttribution;
import dev.headlight.engine.Model;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** {@code headlight dla}: direct logit attribution of one token's logit at one position. */
final class DlaCommand extends Command {

    DlaCommand() {
        super("dla",
                "direct logit attribution to heads, MLPs and the embedding",
                "dla --model DIR --prompt TEXT [--position P] --token TOKEN --json FILE",
                Inputs.analysisOptions(Inputs.PROMPT,
                        Option.value("position", "P", "the prompt position whose logit is explained (default -1, "
                                + "the last)"),
                        Inputs.tokenOption("token", "the token whose logit is explained")),
                """
                        P defaults to -1 (the last token). embedding + heads + attention_bias + mlp + norm_bias +
                        unembed_bias = pre_cap_logit; the model's logit is its final soft-cap (if any).""");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws IOException {
        String json = args.require("json", "FILE");
        String prompt = args.require("prompt", "TEXT");
        try (Model model = Inputs.openModel(args)) {
            int[] ids = Inputs.encode(model, prompt, "prompt");
            int token = Inputs.token(model, args, "token");
            DirectLogitAttribution.Result r = DirectLogitAttribution.compute(model, ids,
                    args.intValue("position", -1), token);
            ObjectNode root = AnalysisJson.withPrompt(model, ids);
            root.put("position", r.position());
            root.set("token", AnalysisJson.tokenNode(model, token));
            root.put("embedding", r.embedding());
            root.set("heads", AnalysisJson.matrix(r.heads()));
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
            AnalysisJson.write(root, json, out);
            out.printf(Locale.ROOT, "logit %.4f = sum of contributions %.4f%n", r.modelLogit(),
                    r.reconstructedLogit());
        }
        return Cli.OK;
    }
}
