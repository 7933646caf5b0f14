package dev.headlight.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headlight.engine.Model;
import dev.headlight.engine.ModelInfo;
import dev.headlight.engine.TensorPlacement;
import dev.headlight.format.safetensors.TensorInfo;
import dev.headlight.format.safetensors.TensorStore;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Shows a model's architecture and the role of every stored tensor, including each head's slice. */
final class InspectCommand extends Command {

    InspectCommand() {
        super("inspect",
                "show a model's architecture and where every tensor sits in it",
                "inspect --model DIR [--json]",
                List.of(Inputs.MODEL, Option.flag("json", "print one JSON object instead of a table")),
                """
                        For every tensor in the weights files: name, dtype, shape, layer, component (e.g. attn.q, mlp.up,
                        unembed) with a description, and for tensors split by head which rows or columns belong to each
                        head (q/k/v/o; for grouped-query attention k and v slices belong to kv-heads).""");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) {
        try (Model model = Inputs.openModel(args)) {
            if (args.has("json")) {
                out.println(Json.line(json(model)));
            } else {
                out.print(table(model));
            }
        }
        return Cli.OK;
    }

    private static ObjectNode json(Model model) {
        ObjectNode root = Json.object();
        root.set("model", Json.modelInfo(model.info()));
        TensorStore weights = model.weights();
        ArrayNode files = root.putArray("files");
        weights.files().forEach(f -> files.add(f.path().getFileName().toString()));
        ArrayNode tensors = root.putArray("tensors");
        for (TensorPlacement p : model.tensorMap()) {
            TensorInfo info = weights.info(p.tensorName());
            ObjectNode t = tensors.addObject();
            t.put("name", p.tensorName());
            t.put("dtype", info.dtype().name());
            ArrayNode shape = t.putArray("shape");
            Arrays.stream(info.shape()).forEach(shape::add);
            t.put("file", weights.tensor(p.tensorName()).file().getFileName().toString());
            t.put("layer", p.layer());
            t.put("component", p.component());
            t.put("description", p.description());
            ArrayNode slices = t.putArray("head_slices");
            for (TensorPlacement.HeadSlice s : p.headSlices()) {
                ObjectNode n = slices.addObject();
                n.put("head", s.head());
                n.put("part", s.part());
                n.put("axis", s.axis().name().toLowerCase(Locale.ROOT));
                n.put("from", s.from());
                n.put("to", s.to());
            }
        }
        return root;
    }

    private static String table(Model model) {
        ModelInfo info = model.info();
        TensorStore weights = model.weights();
        StringBuilder sb = new StringBuilder();
        sb.append("Model         ").append(info.folder()).append('\n');
        sb.append("Architecture  ").append(info.architecture()).append(" (model_type ").append(info.modelType())
                .append(", family ").append(info.family()).append(", ")
                .append(info.causal() ? "causal" : "bidirectional").append(")\n");
        sb.append("Shape         ").append(info.layers()).append(" layers x ").append(info.heads()).append(" heads (")
                .append(info.kvHeads()).append(" kv heads, head dim ").append(info.headDim()).append("), hidden ")
                .append(info.hidden()).append(", intermediate ").append(info.intermediate()).append(", vocab ")
                .append(info.vocab()).append(", up to ").append(info.maxPositions()).append(" positions\n");
        sb.append("Weights       ").append(ModelInfo.humanCount(info.parameters())).append(" parameters (")
                .append(info.parameters()).append("), ").append(info.weightsDType()).append(", ")
                .append(String.format(Locale.ROOT, "%.1f MB", info.weightsBytes() / 1e6)).append(" in ")
                .append(weights.files().size()).append(weights.files().size() == 1 ? " file" : " files")
                .append('\n').append('\n');

        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"TENSOR", "DTYPE", "SHAPE", "LAYER", "COMPONENT", "DESCRIPTION"});
        List<String> slices = new ArrayList<>();
        for (TensorPlacement p : model.tensorMap()) {
            TensorInfo t = weights.info(p.tensorName());
            rows.add(new String[]{p.tensorName(), t.dtype().name(), t.shapeString(),
                    p.layer() < 0 ? "-" : Integer.toString(p.layer()), p.component(), p.description()});
            slices.add(describeSlices(p.headSlices()));
        }
        int[] width = new int[6];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.length; c++) {
                line.append(row[c]);
                if (c < row.length - 1) {
                    line.append(" ".repeat(width[c] - row[c].length() + 2));
                }
            }
            sb.append(line.toString().stripTrailing()).append('\n');
            if (r > 0 && !slices.get(r - 1).isEmpty()) {
                sb.append("    heads: ").append(slices.get(r - 1)).append('\n');
            }
        }
        return sb.toString();
    }

    /** "q0 rows 0-15, q1 rows 16-31, ..." */
    private static String describeSlices(List<TensorPlacement.HeadSlice> slices) {
        List<String> parts = new ArrayList<>();
        for (TensorPlacement.HeadSlice s : slices) {
            parts.add(s.part() + s.head() + " " + (s.axis() == TensorPlacement.Axis.ROWS ? "rows " : "cols ")
                    + s.from() + "-" + (s.to() - 1));
        }
        return String.join(", ", parts);
    }
}
