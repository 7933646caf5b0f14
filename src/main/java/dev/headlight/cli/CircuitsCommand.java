package dev.headlight.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headlight.analysis.HeadKind;
import dev.headlight.analysis.OvRole;
import dev.headlight.analysis.Probe;
import dev.headlight.analysis.ProbeOptions;
import dev.headlight.analysis.circuits.CircuitConventions;
import dev.headlight.analysis.circuits.HeadCircuits;
import dev.headlight.analysis.circuits.ModelCircuits;
import dev.headlight.engine.Model;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.OptionalDouble;

/**
 * {@code headlight circuits}: what each head's weights say it does (copying score, OV role, OV singular directions
 * in tokens) and how every pair of heads composes, as JSON with the conventions written in.
 */
final class CircuitsCommand extends Command {
    static final int DEFAULT_TOP = 5;

    static final String CONVENTIONS = CircuitConventions.TEXT;

    CircuitsCommand() {
        super("circuits", "copying and composition scores of every head, read from the weights",
                "circuits --model DIR [--top N] --json FILE",
                Inputs.analysisOptions(
                        Option.value("top", "N", "singular directions per head in ov_top, each with its N top input and"
                                + " output tokens (default " + DEFAULT_TOP + "); composition always lists every pair")),
                "Writes {\"conventions\", \"heads\": [{layer, head, copying, ov_role, positional_offset, ov_top:"
                        + " [{in, out, sigma}]}], \"composition\": [{from: [l1, h1], to: [l2, h2], q, k, v}]}.\n"
                        + "Head kinds (for positional_offset) come from the multi-period probe (periods "
                        + HeadsCommand.periodsText(Probe.PERIODS) + ", seed " + ProbeOptions.DEFAULT_SEED + ").\n"
                        + CONVENTIONS);
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws IOException {
        String json = args.require("json", "FILE");
        int top = args.intValue("top", DEFAULT_TOP, 1, 1000);
        try (Model model = Inputs.openModel(args)) {
            ModelCircuits result = ModelCircuits.compute(model, top, null, null);
            AnalysisJson.write(toJson(model, result), json, out);
            out.println(summary(result));
        }
        return Cli.OK;
    }

    static ObjectNode toJson(Model model, ModelCircuits m) {
        ObjectNode root = Json.object();
        ObjectNode c = root.putObject("conventions");
        c.put("vectors", "row vectors (TransformerLens): W_Q, W_K, W_V [d_model, d_head], W_O [d_head, d_model];"
                + " W_QK = W_Q W_K^T, W_OV = W_V W_O; grouped-query attention: a query head uses its group's K, V");
        c.put("folded", "pre-attention norm into W_Q, W_K, W_V; Qwen3 q_norm/k_norm into W_Q/W_K; Gemma 2"
                + " post-attention norm into W_O; final norm into W_U; Gemma norm weights as (1 + w); nothing in BERT");
        c.put("ignored", "norm biases, centring, 1/rms, q/k/v/o biases, attention scale, soft-caps, Gemma's"
                + " sqrt(d) embedding scale, rotary");
        c.put("copying", "Re(sum lambda) / sum |lambda|, lambda the eigenvalues of W_O W_U W_E W_V [d_head,"
                + " d_head] (the nonzero eigenvalues of W_E W_OV W_U); W_E token embeddings; null without a linear"
                + " unembedding");
        c.put("composition", "||A B||_F / (||A||_F ||B||_F), A = W_OV(from); q: B = W_QK(to); k: B = W_QK(to)^T;"
                + " v: B = W_OV(to); every pair of heads with from layer < to layer");
        c.put("null", "a score whose denominator is below " + HeadCircuits.NULL_RELATIVE
                + " of the product of its factors' Frobenius norms");
        c.put("ov_top", "top singular directions sigma u v^T of W_E W_OV W_U, largest sigma first; in / out:"
                + " the tokens with the largest entries of u / v, sign chosen so u's largest-magnitude entry is"
                + " positive; tokens as the tokenizer's vocabulary strings (\"#id\" without a tokenizer)");
        c.put("ov_role", OvRole.rulesText());
        c.put("positional_offset", "offset k (query position - key position) of a head of kind positional on"
                + " the multi-period probe (periods " + HeadsCommand.periodsText(Probe.PERIODS) + "), else null");
        c.put("unembedding", !m.circuits().hasUnembedding() ? "none"
                : m.circuits().weights().tied() ? "tied to the token embeddings" : "untied");
        c.put("top", m.ovTop().isEmpty() || m.ovTop().getFirst().isEmpty() ? 0
                : m.ovTop().getFirst().size());
        ArrayNode heads = root.putArray("heads");
        int layers = m.circuits().layers();
        int count = m.circuits().heads();
        for (int l = 0; l < layers; l++) {
            for (int h = 0; h < count; h++) {
                ObjectNode node = heads.addObject();
                node.put("layer", l);
                node.put("head", h);
                put(node, "copying", m.copying()[l][h].score());
                OvRole role = m.ovRole(l, h);
                if (role == null) {
                    node.putNull("ov_role");
                } else {
                    node.put("ov_role", role.key());
                }
                HeadKind.Verdict kind = m.kinds()[l][h];
                if (kind.offset().isPresent()) {
                    node.put("positional_offset", kind.offset().getAsInt());
                } else {
                    node.putNull("positional_offset");
                }
                ArrayNode ov = node.putArray("ov_top");
                for (HeadCircuits.SingularDirection d : m.ovTop().get(l * count + h)) {
                    ObjectNode dir = ov.addObject();
                    dir.set("in", tokens(model, d.in()));
                    dir.set("out", tokens(model, d.out()));
                    dir.put("sigma", d.sigma());
                }
            }
        }
        ArrayNode composition = root.putArray("composition");
        for (HeadCircuits.Composition s : m.table().all()) {
            ObjectNode node = composition.addObject();
            node.putArray("from").add(s.fromLayer()).add(s.fromHead());
            node.putArray("to").add(s.toLayer()).add(s.toHead());
            put(node, "q", s.q());
            put(node, "k", s.k());
            put(node, "v", s.v());
        }
        return root;
    }

    private static void put(ObjectNode node, String key, OptionalDouble v) {
        if (v.isPresent()) {
            node.put(key, v.getAsDouble());
        } else {
            node.putNull(key);
        }
    }

    private static ArrayNode tokens(Model model, List<HeadCircuits.TokenValue> tokens) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (HeadCircuits.TokenValue t : tokens) {
            String s = model.hasTokenizer() ? model.tokenizer().idToToken(t.token()) : null;
            a.add(s != null ? s : "#" + t.token());
        }
        return a;
    }

    private static String summary(ModelCircuits m) {
        int layers = m.circuits().layers();
        int heads = m.circuits().heads();
        int copying = 0;
        int suppression = 0;
        for (int l = 0; l < layers; l++) {
            for (int h = 0; h < heads; h++) {
                OvRole r = m.ovRole(l, h);
                copying += r == OvRole.COPYING ? 1 : 0;
                suppression += r == OvRole.COPY_SUPPRESSION ? 1 : 0;
            }
        }
        return layers * heads + " heads: " + copying + " copying, " + suppression + " copy-suppression"
                + (m.circuits().hasUnembedding() ? "" : " (no linear unembedding: copying scores are null)")
                + "; " + layers * (layers - 1) / 2 * heads * heads + " composition pairs";
    }
}
