package dev.headlight.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headlight.analysis.SliceSquares;
import dev.headlight.engine.TensorPlacement.HeadSlice;
import dev.headlight.format.FormatException;
import dev.headlight.format.JsonOutput;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How training wrote into the weights: at every recorded step, the gradient norm and the update norm of every
 * parameter tensor and of every head slice. The trainer fills it; {@link CheckpointTimeline#weightRecords()} reads
 * it back from training.json.
 *
 * <h2>Layout in training.json</h2>
 * <pre>{@code
 * "weight_records": {
 *   "format": "headlight-weight-records/1",
 *   "every": 1,                          // a record every this many optimiser steps
 *   "gradient_norm": "...definition...", "update_norm": "...definition...",
 *   "steps": [0, 1, 2, ...],             // [record] the optimiser step (0 = the first update, as "loss" counts)
 *   "series": [                          // one entry per quantity: each tensor, then its head slices
 *     {"name": "transformer.h.1.attn.c_attn.weight", "component": "attn.qkv", "layer": 1,
 *      "head": null, "slice": null,      // the whole tensor
 *      "gradient_norm": [...],           // [record]
 *      "update_norm": [...]},            // [record]
 *     {"name": "transformer.h.1.attn.c_attn.weight", "component": "attn.qkv", "layer": 1,
 *      "head": 0, "slice": "q", "gradient_norm": [...], "update_norm": [...]},
 *     ...]
 * }
 * }</pre>
 * {@code gradient_norm} is ||G||_F of the batch's mean-loss gradient before global-norm clipping (the gradient
 * {@link GptModel#lossAndGradient} computes); {@code update_norm} is ||W_after - W_before||_F of the optimiser step
 * (AdamW and its weight decay). {@code layer} is null outside the layer stack. Head slices are those of the engine's
 * tensor placement: q, k, v = each head's column block of c_attn.weight and its entries of c_attn.bias, o = each
 * head's rows of c_proj.weight; {@code component} is the engine's role name (embed.tokens, attn.qkv, attn.o, mlp.up,
 * mlp.down, norm.attn, ...). Values are float32.
 */
public final class WeightRecords {
    public static final String FORMAT = "headlight-weight-records/1";
    public static final String GRADIENT_DEFINITION = "||G||_F of the batch mean-loss gradient before clipping";
    public static final String UPDATE_DEFINITION = "||W_after - W_before||_F of the optimiser step (AdamW with decay)";
    /** The slices of the attention update share: q, k, v, o of each head. */
    public static final List<String> ATTENTION_SLICES = List.of("q", "k", "v", "o");

    /**
     * One recorded quantity: a whole tensor ({@code head} -1, {@code slice} null) or one head's slice of it.
     * {@code layer} is -1 outside the layer stack.
     */
    public record Quantity(String name, String component, int layer, int head, String slice) {
        public boolean isSlice() {
            return slice != null;
        }

        /** "transformer.h.1.mlp.c_fc.weight" or "L1 H0 q of transformer.h.1.attn.c_attn.weight". */
        public String label() {
            return isSlice() ? "L" + layer + " H" + head + " " + slice + " of " + name : name;
        }
    }

    /** One record: {@code // [quantity]} norms at optimiser step {@code step}. */
    public record Record(int step, float[] gradientNorm, float[] updateNorm) {
    }

    private final List<Quantity> quantities;
    private final int every;
    private final List<Record> records = new ArrayList<>();
    private final ParamLayout layout; // null when read from a file

    private WeightRecords(List<Quantity> quantities, int every, ParamLayout layout) {
        this.quantities = List.copyOf(quantities);
        this.every = every;
        this.layout = layout;
    }

    /** Empty records for the tensors of {@code layout}, a record every {@code every} steps. */
    static WeightRecords forLayout(ParamLayout layout, int every) {
        List<Quantity> q = new ArrayList<>();
        for (ParamLayout.Slot s : layout.slots()) {
            q.add(new Quantity(s.name(), s.component(), s.layer(), -1, null));
            for (HeadSlice h : s.headSlices()) {
                q.add(new Quantity(s.name(), s.component(), s.layer(), h.head(), h.part()));
            }
        }
        return new WeightRecords(q, every, layout);
    }

    /** Whether optimiser step {@code step} is recorded. */
    public boolean records(int step) {
        return step % every == 0;
    }

    /**
     * Records step {@code step}: the gradient norms (from {@link #norms} of the unclipped gradient) and the norms
     * of {@code after - before} ({@code // [param]}, the trainer's flat layout); {@code scratch} is a buffer of the
     * same length.
     */
    Record record(int step, float[] gradientNorms, float[] before, float[] after, float[] scratch) {
        for (int k = 0; k < scratch.length; k++) {
            scratch[k] = after[k] - before[k];
        }
        Record r = new Record(step, gradientNorms, norms(scratch));
        synchronized (records) {
            records.add(r);
        }
        return r;
    }

    /** Per quantity ||x||_F of a flat parameter-shaped vector, in the order of {@link #quantities()}. */
    float[] norms(float[] vector) {
        float[] out = new float[quantities.size()];
        int q = 0;
        for (ParamLayout.Slot s : layout.slots()) {
            SliceSquares squares = new SliceSquares(s.longShape(), s.headSlices());
            squares.add(vector, s.offset(), 0, (int) squares.rows());
            out[q++] = (float) Math.sqrt(squares.total());
            for (int i = 0; i < s.headSlices().size(); i++) {
                out[q++] = (float) Math.sqrt(squares.slice(i));
            }
        }
        return out;
    }

    public List<Quantity> quantities() {
        return quantities;
    }

    /** A record every this many steps. */
    public int every() {
        return every;
    }

    /** The records so far (a copy: the trainer may add more while a reader looks). */
    public List<Record> records() {
        synchronized (records) {
            return Collections.unmodifiableList(new ArrayList<>(records));
        }
    }

    /** The index of a quantity, or -1. {@code head} -1 and {@code slice} null for the whole tensor. */
    public int indexOf(String name, int head, String slice) {
        for (int i = 0; i < quantities.size(); i++) {
            Quantity q = quantities.get(i);
            if (q.name().equals(name) && q.head() == head && java.util.Objects.equals(q.slice(), slice)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The share of the attention update that went to each head: for each record, head (l, h)'s
     * ||dW||² summed over the weight-matrix slices in {@code slices} (of q, k, v, o; bias entries not counted)
     * divided by the same sum over every head of every layer. {@code // [record][layer * heads + head]}; rows sum
     * to 1 (all 0 for a step that changed no attention weight). Squared norms because the slices are disjoint:
     * they add up to the squared norm of the whole update.
     */
    public static double[][] updateShare(List<Quantity> quantities, List<Record> records, List<String> slices,
                                         int layers, int heads) {
        double[][] out = new double[records.size()][layers * heads];
        for (int r = 0; r < records.size(); r++) {
            float[] u = records.get(r).updateNorm();
            double sum = 0;
            for (int q = 0; q < quantities.size(); q++) {
                Quantity qt = quantities.get(q);
                if (qt.isSlice() && !qt.component().endsWith(".bias") && slices.contains(qt.slice())
                        && qt.layer() >= 0 && qt.layer() < layers && qt.head() < heads) {
                    double sq = (double) u[q] * u[q];
                    out[r][qt.layer() * heads + qt.head()] += sq;
                    sum += sq;
                }
            }
            if (sum > 0) {
                for (int k = 0; k < out[r].length; k++) {
                    out[r][k] /= sum;
                }
            }
        }
        return out;
    }

    /** The "weight_records" node of training.json. */
    ObjectNode toJson() {
        List<Record> rows = records();
        ObjectNode root = TrainJson.MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("every", every);
        root.put("gradient_norm", GRADIENT_DEFINITION);
        root.put("update_norm", UPDATE_DEFINITION);
        ArrayNode steps = root.putArray("steps");
        for (Record r : rows) {
            steps.add(r.step());
        }
        ArrayNode series = root.putArray("series");
        for (int q = 0; q < quantities.size(); q++) {
            Quantity qt = quantities.get(q);
            ObjectNode n = series.addObject();
            JsonOutput.putTensorPiece(n, qt.name(), qt.component(), qt.layer(), qt.head(), qt.slice());
            ArrayNode g = n.putArray("gradient_norm");
            ArrayNode u = n.putArray("update_norm");
            for (Record r : rows) {
                g.add(r.gradientNorm()[q]);
                u.add(r.updateNorm()[q]);
            }
        }
        return root;
    }

    /**
     * The records of a training.json root, or null when it has none.
     *
     * @throws FormatException naming {@code file} when the node is malformed
     */
    public static WeightRecords read(JsonNode root, Path file) {
        JsonNode node = root == null ? null : root.get("weight_records");
        if (node == null || node.isNull()) {
            return null;
        }
        if (!FORMAT.equals(node.path("format").asText())) {
            throw new FormatException(file, "weight_records has format '" + node.path("format").asText()
                    + "', expected " + FORMAT);
        }
        JsonNode steps = node.path("steps");
        JsonNode series = node.path("series");
        if (!steps.isArray() || !series.isArray()) {
            throw new FormatException(file, "weight_records needs the arrays steps and series");
        }
        List<Quantity> quantities = new ArrayList<>();
        int n = steps.size();
        float[][] g = new float[series.size()][];
        float[][] u = new float[series.size()][];
        for (int q = 0; q < series.size(); q++) {
            JsonNode s = series.get(q);
            quantities.add(new Quantity(s.path("name").asText(), s.path("component").asText(),
                    s.path("layer").isInt() ? s.path("layer").asInt() : -1,
                    s.path("head").isInt() ? s.path("head").asInt() : -1,
                    s.path("slice").isTextual() ? s.path("slice").asText() : null));
            g[q] = floats(s.path("gradient_norm"), n, file, quantities.getLast());
            u[q] = floats(s.path("update_norm"), n, file, quantities.getLast());
        }
        WeightRecords out = new WeightRecords(quantities, Math.max(1, node.path("every").asInt(1)), null);
        for (int r = 0; r < n; r++) {
            float[] gr = new float[quantities.size()];
            float[] ur = new float[quantities.size()];
            for (int q = 0; q < quantities.size(); q++) {
                gr[q] = g[q][r];
                ur[q] = u[q][r];
            }
            out.records.add(new Record(steps.get(r).asInt(), gr, ur));
        }
        return out;
    }

    private static float[] floats(JsonNode a, int n, Path file, Quantity q) {
        if (!a.isArray() || a.size() != n) {
            throw new FormatException(file, "weight_records series " + q.label() + " does not have " + n
                    + " values per norm");
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = a.get(i).isNumber() ? (float) a.get(i).asDouble() : Float.NaN;
        }
        return out;
    }
}
