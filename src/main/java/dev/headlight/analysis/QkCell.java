package dev.headlight.analysis;

import dev.headlight.engine.Model;
import dev.headlight.engine.QueryKeys;
import dev.headlight.engine.TensorPlacement;
import dev.headlight.engine.Trace;
import dev.headlight.format.config.Family;
import dev.headlight.format.config.ModelConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * One attention cell taken apart the way BertViz's neuron view does: head {@code head} of layer {@code layer},
 * query position {@code query} looking at key position {@code key}.
 * <pre>
 *   products[e] = q[e] * k[e]                       e over headDim; q, k after norms, biases, q/k norms, rotary
 *   dot         = sum(products)
 *   scaled      = dot * scale                       1/sqrt(headDim) or the family's own
 *   logit       = softcap > 0 ? tanh(scaled / softcap) * softcap : scaled
 *   probability = exp(logit - rowMax) / sum over visible keys j of exp(logit_j - rowMax)
 * </pre>
 * computed in double from the engine's own queries and keys ({@link Model#queryKeys}), so {@code probability}
 * equals the attention map's cell to float precision. {@code queryRows} / {@code keyRows} say which indices of
 * which stored tensor produce q[e] and k[e] (before rotary; rotary then mixes element e with its partner
 * {@link #rotaryPartner}).
 *
 * @param q           the query vector                                       // [headDim]
 * @param k           the key vector of the head's kv-head                   // [headDim]
 * @param products    q[e] * k[e]                                            // [headDim]
 * @param rowLogits   the logits of the query's whole row; NaN where masked  // [token]
 * @param rowMax      the largest visible logit of the row (softmax shift)
 * @param rowSum      sum over visible keys of exp(logit - rowMax)
 * @param engineProbability the cell as the forward pass stored it (the trace's map: float16 in a display trace)
 * @param rotaryDims  dimensions of each head that rotate (0 without rotary); element e < rotaryDims pairs with
 *                    e ± rotaryDims / 2 (rotate_half)
 * @param scaleSource how {@code scale} was chosen, for people ("1/√d_head = 1/√16")
 */
public record QkCell(int layer, int head, int kvHead, int query, int key, int headDim,
                     float[] q, float[] k, double[] products, double dot, double scale, String scaleSource,
                     double scaled, double softcap, double logit, double[] rowLogits, double rowMax, double rowSum,
                     double probability, double engineProbability, int rotaryDims,
                     StoredRows queryRows, StoredRows keyRows) {

    /**
     * Where a head's part is stored: indices [from, to) of {@code axis} of {@code tensor}; element e of the vector
     * comes from index {@code from + e} (a row of a torch Linear weight, a column of GPT-2's Conv1D). Null when the
     * model's tensor map has no slice for it.
     */
    public record StoredRows(String tensor, TensorPlacement.Axis axis, int from, int to) {
        public int indexOf(int element) {
            return from + element;
        }

        public String describe() {
            return (axis == TensorPlacement.Axis.ROWS ? "rows " : "columns ") + from + "–" + (to - 1) + " of " + tensor;
        }

    }

    /**
     * One element's share of the dot product and where its q and k come from: "row 37" (or "rows 37 and 45" with
     * rotary) of the query's and the key's stored tensors.
     */
    public record Contribution(int element, double q, double k, double product, int partner,
                               String queryRow, String keyRow) {
    }

    /**
     * Explains cell (query, key) of head (layer, head) of {@code trace}. Runs the layer's norm and q/k
     * projections once for the prompt (no forward pass): call it off the UI thread for long prompts.
     *
     * @throws IllegalArgumentException for a layer, head or position outside the trace, or a key the query
     *                                  does not see (masked: its probability is 0 by definition, not by q·k)
     */
    public static QkCell explain(Model model, Trace trace, int layer, int head, int query, int key) {
        int tokens = trace.tokens();
        if (layer < 0 || layer >= trace.layers() || head < 0 || head >= trace.heads()) {
            throw new IllegalArgumentException("no head " + layer + "." + head);
        }
        if (query < 0 || query >= tokens || key < 0 || key >= tokens) {
            throw new IllegalArgumentException("no cell (" + query + ", " + key + ") in a prompt of " + tokens);
        }
        float[] residual = Arrays.copyOfRange(trace.residual(), trace.residualOffset(layer, 0),
                trace.residualOffset(layer + 1, 0));                                 // [token][hidden]
        QueryKeys qk = model.queryKeys(layer, residual, tokens);
        if (!qk.sees(query, key)) {
            throw new IllegalArgumentException("position " + query + " does not see position " + key
                    + (qk.causal() && key > query ? " (causal mask)" : " (outside the sliding window)"));
        }
        int hd = qk.headDim();
        int kvHead = qk.kvHeadOf(head);
        float[] q = Arrays.copyOfRange(qk.queries(), qk.queryOffset(query, head), qk.queryOffset(query, head) + hd);
        float[] k = Arrays.copyOfRange(qk.keys(), qk.keyOffset(key, kvHead), qk.keyOffset(key, kvHead) + hd);
        double[] products = new double[hd];
        double dot = 0;
        for (int e = 0; e < hd; e++) {
            products[e] = (double) q[e] * k[e];
            dot += products[e];
        }
        double[] rowLogits = new double[tokens];
        double rowMax = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < tokens; j++) {
            rowLogits[j] = qk.sees(query, j) ? logit(qk, query, head, kvHead, j) : Double.NaN;
            if (!Double.isNaN(rowLogits[j])) {
                rowMax = Math.max(rowMax, rowLogits[j]);
            }
        }
        double rowSum = 0;
        for (double l : rowLogits) {
            if (!Double.isNaN(l)) {
                rowSum += Math.exp(l - rowMax);
            }
        }
        double scale = qk.scale();
        double scaled = dot * scale;
        double softcap = qk.softcap();
        double logit = softcap > 0 ? Math.tanh(scaled / softcap) * softcap : scaled;
        double probability = Math.exp(logit - rowMax) / rowSum;
        ModelConfig config = model.config();
        int rotaryDims = config.rope() == null ? 0 : (int) (hd * config.rope().rotaryFraction());
        return new QkCell(layer, head, kvHead, query, key, hd, q, k, products, dot, scale,
                scaleSource(config, layer, hd, scale), scaled, softcap, logit, rowLogits, rowMax, rowSum, probability,
                trace.attentions().get(layer, head, query, key), rotaryDims,
                storedRows(model, layer, "q", head), storedRows(model, layer, "k", kvHead));
    }

    /** The logit of one (query, key) pair, as {@link #logit} of the cell. */
    private static double logit(QueryKeys qk, int query, int head, int kvHead, int key) {
        int qOff = qk.queryOffset(query, head);
        int kOff = qk.keyOffset(key, kvHead);
        double dot = 0;
        for (int e = 0; e < qk.headDim(); e++) {
            dot += (double) qk.queries()[qOff + e] * qk.keys()[kOff + e];
        }
        double scaled = dot * qk.scale();
        return qk.softcap() > 0 ? Math.tanh(scaled / qk.softcap()) * qk.softcap() : scaled;
    }

    static String scaleSource(ModelConfig config, int layer, int headDim, double scale) {
        String root = "1/√d_head = 1/√" + headDim;
        if (config.family() == Family.GEMMA2) {
            return "query_pre_attn_scalar^−½ (config.json)";
        }
        if (config.scaleAttnByInverseLayerIdx()) {
            return root + " / (layer + 1) = / " + (layer + 1) + " (scale_attn_by_inverse_layer_idx)";
        }
        if (Math.abs(scale - 1 / Math.sqrt(headDim)) < 1e-6) {
            return root;
        }
        return scale == 1 ? "none (scale_attn_weights is false)" : "from config.json";
    }

    /** The weight (not bias) tensor slice of part "q" or "k" for {@code head} (a kv-head for "k"), or null. */
    static StoredRows storedRows(Model model, int layer, String part, int head) {
        for (TensorPlacement p : model.tensorMap()) {
            if (p.layer() != layer || p.component().endsWith(".bias") || !p.component().startsWith("attn.")) {
                continue;
            }
            for (TensorPlacement.HeadSlice s : p.headSlices()) {
                if (s.part().equals(part) && s.head() == head) {
                    return new StoredRows(p.tensorName(), s.axis(), s.from(), s.to());
                }
            }
        }
        return null;
    }

    /** Element e's rotary partner (rotate_half: e ± rotaryDims / 2), or -1 when e does not rotate. */
    public int rotaryPartner(int element) {
        if (element >= rotaryDims) {
            return -1;
        }
        int half = rotaryDims / 2;
        return element < half ? element + half : element - half;
    }

    /** The {@code n} elements with the largest |q[e] k[e]|, largest first, with the stored rows behind them. */
    public List<Contribution> topContributions(int n) {
        Integer[] order = new Integer[headDim];
        for (int e = 0; e < headDim; e++) {
            order[e] = e;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer e) -> -Math.abs(products[e])));
        List<Contribution> out = new ArrayList<>();
        for (int i = 0; i < Math.min(n, headDim); i++) {
            int e = order[i];
            out.add(new Contribution(e, q[e], k[e], products[e], rotaryPartner(e), rowsOf(queryRows, e),
                    rowsOf(keyRows, e)));
        }
        return out;
    }

    /**
     * "row 37" or, for a rotating element, "rows 37 and 45" (rotary mixes the pair) of the stored slice's tensor
     * ({@link StoredRows#tensor}).
     */
    private String rowsOf(StoredRows rows, int element) {
        if (rows == null) {
            return "";
        }
        boolean byRow = rows.axis() == TensorPlacement.Axis.ROWS;
        int partner = rotaryPartner(element);
        if (partner < 0) {
            return (byRow ? "row " : "column ") + rows.indexOf(element);
        }
        return (byRow ? "rows " : "columns ") + rows.indexOf(element) + " and " + rows.indexOf(partner);
    }

    /** The whole computation on one line per step, for the view and the report. */
    public List<String> steps() {
        List<String> s = new ArrayList<>();
        s.add(String.format(Locale.ROOT, "q · k = Σ over %d dims of q[e]·k[e] = %.6g", headDim, dot));
        s.add(String.format(Locale.ROOT, "× scale %.6g (%s) = %.6g", scale, scaleSource, scaled));
        if (softcap > 0) {
            s.add(String.format(Locale.ROOT, "soft-cap tanh(s / %.4g) × %.4g = %.6g", softcap, softcap, logit));
        }
        s.add(String.format(Locale.ROOT, "softmax over the row: exp(%.6g − max %.6g) / Σ %.6g = %.6f",
                logit, rowMax, rowSum, probability));
        return s;
    }
}
