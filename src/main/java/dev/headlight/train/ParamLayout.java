package dev.headlight.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where each GPT-2 tensor lives in one flat float array, with its Hugging Face name and shape. Conv1D weights are
 * stored as HF stores them, [in, out], so a row of the weight is one input feature.
 */
public final class ParamLayout {
    /** One tensor: HF name, shape, offset into the flat array, and whether AdamW decays it. */
    public record Slot(String name, int[] shape, int offset, boolean decay) {
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
        wte = add("transformer.wte.weight", false, c.vocab(), d);
        wpe = add("transformer.wpe.weight", false, c.positions(), d);
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
            ln1W[l] = add(p + "ln_1.weight", false, d);
            ln1B[l] = add(p + "ln_1.bias", false, d);
            attnW[l] = add(p + "attn.c_attn.weight", true, d, 3 * d);
            attnB[l] = add(p + "attn.c_attn.bias", false, 3 * d);
            projW[l] = add(p + "attn.c_proj.weight", true, d, d);
            projB[l] = add(p + "attn.c_proj.bias", false, d);
            ln2W[l] = add(p + "ln_2.weight", false, d);
            ln2B[l] = add(p + "ln_2.bias", false, d);
            fcW[l] = add(p + "mlp.c_fc.weight", true, d, c.ffn());
            fcB[l] = add(p + "mlp.c_fc.bias", false, c.ffn());
            fcProjW[l] = add(p + "mlp.c_proj.weight", true, c.ffn(), d);
            fcProjB[l] = add(p + "mlp.c_proj.bias", false, d);
        }
        lnfW = add("transformer.ln_f.weight", false, d);
        lnfB = add("transformer.ln_f.bias", false, d);
    }

    private int add(String name, boolean decay, int... shape) {
        Slot s = new Slot(name, shape, total, decay);
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
