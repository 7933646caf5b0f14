package dev.headlight.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headlight.analysis.Comparison;
import dev.headlight.analysis.WeightChange;
import dev.headlight.engine.Model;
import dev.headlight.format.FormatException;
import dev.headlight.format.JsonOutput;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code headlight compare}: two model folders of the same architecture and shapes (relative weight change per
 * tensor and head slice, per-head Jensen–Shannon distance of their attention on one prompt), or two prompts on
 * one model (per-head distance over the aligned positions).
 */
final class CompareCommand extends Command {
    private static final Option A = Option.value("a", "DIR", "model folder A (the reference: changes are relative to it)");
    private static final Option B = Option.value("b", "DIR", "model folder B, of the same architecture and shapes as A");
    private static final Option B_PROMPT = Option.value("b-prompt", "TEXT",
            "compare --prompt with this prompt on model A instead of two models");
    private static final Option B_IDS = Option.value("b-ids", "1,2,3", "as --b-prompt, with token ids");
    

    CompareCommand() {
        super("compare",
                "compare two models (weights and attention) or two prompts on one model",
                "compare --a DIR (--b DIR | --b-prompt TEXT | --b-ids 1,2,3) (--prompt TEXT | --ids 1,2,3) --json FILE",
                List.of(A, B, Inputs.PROMPT, Inputs.IDS, B_PROMPT, B_IDS, Inputs.JSON_FILE),
                """
                        Two models (--a, --b): both run the prompt (tokenized by A's tokenizer; both get the same ids).
                        Folders that differ in architecture, a setting (layers, heads, sizes, vocabulary) or a tensor's
                        shape are refused with one line naming what differs.
                        Two prompts (--a with --b-prompt or --b-ids): model A runs --prompt and the second prompt.

                        JSON: "tensors" lists {"name", "component", "layer", "head", "slice", "relative_change"} for each
                        tensor (head and slice null) followed by its head slices; "heads" lists {"layer", "head",
                        "js_distance"}. layer is null outside the layer stack.

                        Definitions:
                        """ + "  " + wrap(WeightChange.DEFINITION) + "\n  " + wrap(Comparison.JS_DEFINITION) + "\n  "
                        + wrap(Comparison.ALIGNMENT));
    }

    private static String wrap(String text) {
        StringBuilder sb = new StringBuilder();
        int column = 0;
        for (String word : text.split(" ")) {
            if (column > 0 && column + word.length() > 104) {
                sb.append("\n  ");
                column = 0;
            } else if (column > 0) {
                sb.append(' ');
                column++;
            }
            sb.append(word);
            column += word.length();
        }
        return sb.toString();
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws Exception {
        Path a = folder(args, "a");
        String json = args.require("json", "FILE");
        Inputs.Input input = Inputs.input(args);
        boolean prompts = args.has("b-prompt") || args.has("b-ids");
        if (prompts && args.has("b")) {
            throw new UsageException("give --b DIR (two models) or --b-prompt/--b-ids (two prompts), not both");
        }
        if (args.has("b-prompt") && args.has("b-ids")) {
            throw new UsageException("give either --b-prompt or --b-ids, not both");
        }
        if (!prompts && !args.has("b")) {
            throw new UsageException("missing --b DIR (or --b-prompt TEXT to compare two prompts)");
        }
        ObjectNode root = Json.object();
        ObjectNode definitions = root.putObject("definitions");
        definitions.put("relative_change", WeightChange.DEFINITION);
        definitions.put("js_distance", Comparison.JS_DEFINITION);
        definitions.put("alignment", Comparison.ALIGNMENT);
        Comparison.Result result;
        try (Model ma = Model.open(a)) {
            int[] ids = input.idsFor(ma);
            if (prompts) {
                int[] idsB = new Inputs.Input(args.get("b-prompt"), args.intList("b-ids")).idsFor(ma);
                root.put("mode", "prompts");
                root.set("model", Json.modelInfo(ma.info()));
                root.set("a_ids", AnalysisJson.ints(ids));
                root.set("b_ids", AnalysisJson.ints(idsB));
                result = Comparison.prompts(ma, ids, idsB, null);
            } else {
                try (Model mb = Model.open(folder(args, "b"))) {
                    root.put("mode", "models");
                    root.set("a", Json.modelInfo(ma.info()));
                    root.set("b", Json.modelInfo(mb.info()));
                    root.set("ids", AnalysisJson.ints(ids));
                    List<WeightChange.Change> changes = WeightChange.between(ma, mb);
                    result = Comparison.models(ma, mb, ids, null);
                    root.set("tensors", tensors(changes));
                    summarize(changes, out, json);
                }
            }
        }
        root.put("aligned_positions", result.alignedPositions());
        root.set("heads", heads(result.jsDistance()));
        AnalysisJson.write(root, json, out);
        if (!json.equals("-")) {
            double[][] js = result.jsDistance();
            int[] most = result.mostDifferentHead();
            int bestLayer = most[0];
            int bestHead = most[1];
            out.printf(Locale.ROOT, "largest JS distance: layer %d head %d, %.4f over %d positions; wrote %s%n",
                    bestLayer, bestHead, js[bestLayer][bestHead], result.alignedPositions(), json);
        }
        return Cli.OK;
    }

    private static Path folder(Args args, String option) {
        Path folder = Inputs.modelPath(args.require(option, "DIR"));
        if (!Files.isDirectory(folder)) {
            throw new FormatException(folder, Files.exists(folder) ? "is a file; --" + option
                    + " takes a model folder" : "no such folder");
        }
        return folder;
    }

    private static ArrayNode tensors(List<WeightChange.Change> changes) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (WeightChange.Change c : changes) {
            ObjectNode n = out.addObject();
            JsonOutput.putTensorPiece(n, c.name(), c.component(), c.layer(), c.head(), c.slice());
            if (Double.isNaN(c.relativeChange())) {
                n.putNull("relative_change");
            } else {
                n.put("relative_change", c.relativeChange());
            }
        }
        return out;
    }

    private static ArrayNode heads(double[][] js) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (int l = 0; l < js.length; l++) {
            for (int h = 0; h < js[l].length; h++) {
                ObjectNode n = out.addObject();
                n.put("layer", l);
                n.put("head", h);
                n.put("js_distance", js[l][h]);
            }
        }
        return out;
    }

    private static void summarize(List<WeightChange.Change> changes, PrintStream out, String json) {
        if (json.equals("-")) {
            return; // stdout is the JSON
        }
        WeightChange.Change largest = null;
        for (WeightChange.Change c : changes) {
            if (!c.isSlice() && !Double.isNaN(c.relativeChange())
                    && (largest == null || c.relativeChange() > largest.relativeChange())) {
                largest = c;
            }
        }
        if (largest != null) {
            out.printf(Locale.ROOT, "largest relative change: %s %.4g%n", largest.name(), largest.relativeChange());
        }
    }
}
