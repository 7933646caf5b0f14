package dev.headlight.train;

import dev.headlight.engine.TensorPlacement.Axis;
import dev.headlight.engine.TensorPlacement.HeadSlice;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where each GPT-2 tensor lives in one flat float array, with its Hugging Face name and shape. Conv1D weights are
 * stored as HF stores them, [in, out], so a row of the weight is one input feature.
 */
public final class ParamLayout {
    /**
     * One tensor: HF name, shape, offset into the flat array, whether AdamW decays it, the engine's role name for
     * it ({@link dev.headlight.engine.TensorPlacement#component()}), its layer (-1 outside the stack) and each
     * head's slice of it, as the engine places a GPT-2 file's tensors (c_attn: q|k|v column blocks, c_proj: rows).
     */
    public record Slot(String name, int[] shape, int offset, boolean decay, String component, int layer,
                       List<HeadSlice> headSlices) {
        public long[] longShape() {
            long[] out = new long[shape.length];
            for (int i = 0; i < shape.length; i++) {
                out[i] = shape[i];
            }
            return out;
        }

        public int size() {
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }
    }

    private final List<Slot> slots = new ArrayList<>();
    private int total;

    public final int wte;      // [vocab][dModel]
    public final int wpe;      // [positions][dModel]
    public final int[] ln1W;   // [layer] -> [dModel]
    public final int[] ln1B;   // [layer] -> [dModel]
    public final int[] attnW;  // [layer] -> [dModel][3 * dModel]  (q | k | v columns, heads contiguous inside each)
    public final int[] attnB;  // [layer] -> [3 * dModel]
    public final int[] projW;  // [layer] -> [dModel][dModel]
    public final int[] projB;  // [layer] -> [dModel]
    public final int[] ln2W;   // [layer] -> [dModel]
    public final int[] ln2B;   // [layer] -> [dModel]
    public final int[] fcW;    // [layer] -> [dModel][ffn]
    public final int[] fcB;    // [layer] -> [ffn]
    public final int[] fcProjW; // [layer] -> [ffn][dModel]
    public final int[] fcProjB; // [layer] -> [dModel]
    public final int lnfW;     // [dModel]
    public final int lnfB;     // [dModel]

    public ParamLayout(GptConfig c) {
        int d = c.dModel();
        int layers = c.layers();
        int hd = c.headDim();
        int heads = c.heads();
        wte = add("transformer.wte.weight", "embed.tokens", -1, List.of(), false, c.vocab(), d);
        wpe = add("transformer.wpe.weight", "embed.positions", -1, List.of(), false, c.positions(), d);
        ln1W = new int[layers];
        ln1B = new int[layers];
        attnW = new int[layers];
        attnB = new int[layers];
        projW = new int[layers];
        projB = new int[layers];
        ln2W = new int[layers];
        ln2B = new int[layers];
        fcW = new int[layers];
        fcB = new int[layers];
        fcProjW = new int[layers];
        fcProjB = new int[layers];
        for (int l = 0; l < layers; l++) {
            String p = "transformer.h." + l + ".";
            List<HeadSlice> qkvColumns = qkvSlices(heads, hd, Axis.COLUMNS);
            List<HeadSlice> qkvEntries = qkvSlices(heads, hd, Axis.ROWS);
            List<HeadSlice> outputRows = new ArrayList<>();
            for (int h = 0; h < heads; h++) {
                outputRows.add(new HeadSlice(h, "o", Axis.ROWS, h * hd, (h + 1) * hd));
            }
            ln1W[l] = add(p + "ln_1.weight", "norm.attn", l, List.of(), false, d);
            ln1B[l] = add(p + "ln_1.bias", "norm.attn.bias", l, List.of(), false, d);
            attnW[l] = add(p + "attn.c_attn.weight", "attn.qkv", l, qkvColumns, true, d, 3 * d);
            attnB[l] = add(p + "attn.c_attn.bias", "attn.qkv.bias", l, qkvEntries, false, 3 * d);
            projW[l] = add(p + "attn.c_proj.weight", "attn.o", l, outputRows, true, d, d);
            projB[l] = add(p + "attn.c_proj.bias", "attn.o.bias", l, List.of(), false, d);
            ln2W[l] = add(p + "ln_2.weight", "norm.mlp", l, List.of(), false, d);
            ln2B[l] = add(p + "ln_2.bias", "norm.mlp.bias", l, List.of(), false, d);
            fcW[l] = add(p + "mlp.c_fc.weight", "mlp.up", l, List.of(), true, d, c.ffn());
            fcB[l] = add(p + "mlp.c_fc.bias", "mlp.up.bias", l, List.of(), false, c.ffn());
            fcProjW[l] = add(p + "mlp.c_proj.weight", "mlp.down", l, List.of(), true, c.ffn(), d);
            fcProjB[l] = add(p + "mlp.c_proj.bias", "mlp.down.bias", l, List.of(), false, d);
        }
        lnfW = add("transformer.ln_f.weight", "final_norm", -1, List.of(), false, d);
        lnfB = add("transformer.ln_f.bias", "final_norm.bias", -1, List.of(), false, d);
    }

    /** [all q heads | all k heads | all v heads] along {@code axis}, as GPT-2's c_attn stores them. */
    private static List<HeadSlice> qkvSlices(int heads, int hd, Axis axis) {
        List<HeadSlice> out = new ArrayList<>();
        String[] parts = {"q", "k", "v"};
        for (int part = 0; part < 3; part++) {
            for (int h = 0; h < heads; h++) {
                int from = part * heads * hd + h * hd;
                out.add(new HeadSlice(h, parts[part], axis, from, from + hd));
            }
        }
        return out;
    }

    private int add(String name, String component, int layer, List<HeadSlice> headSlices, boolean decay,
                    int... shape) {
        Slot s = new Slot(name, shape, total, decay, component, layer, List.copyOf(headSlices));
        slots.add(s);
        total += s.size();
        return s.offset();
    }

    public List<Slot> slots() {
        return Collections.unmodifiableList(slots);
    }

    public Slot slot(String name) {
        for (Slot s : slots) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no tensor " + name);
    }

    /** Number of floats in the flat parameter array. */
    public int total() {
        return total;
    }
}
