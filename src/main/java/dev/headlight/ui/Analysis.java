package dev.headlight.ui;

import dev.headlight.analysis.LogitLens;
import dev.headlight.engine.Model;
import dev.headlight.engine.Trace;

/**
 * Everything the panels show about one prompt on one model, computed off the FX thread in one task.
 *
 * @param labels  readable token strings (Tokenizer.displayToken)  // [token]
 * @param special whether each token is a special token           // [token]
 */
// lens is null while it is still being computed (the attention views are shown first).
public record Analysis(Model model, String prompt, int[] ids, String[] labels, boolean[] special, Trace trace,
                       LogitLens lens, HeadFeatures headFeatures, long passNanos, long totalNanos) {

    public int tokens() {
        return ids.length;
    }

    public int layers() {
        return trace.layers();
    }

    public int heads() {
        return trace.heads();
    }

    /** A token label for display with its position, e.g. "3 ␣cat". */
    public String label(int token) {
        return token >= 0 && token < labels.length ? labels[token] : "";
    }

    /** Readable string of any vocabulary id (lens predictions). */
    public String vocabLabel(int id) {
        var tokenizer = AnalysisService.tokenizerOrNull(model);
        String s = tokenizer == null ? null : tokenizer.displayToken(id);
        return s == null ? "#" + id : s;
    }

    /** One head's map, or the mean of the layer's heads: // [query][key]. */
    public float[] map(int layer, int head, boolean layerMean) {
        return layerMean ? trace.attentions().layerMean(layer) : trace.attentions().head(layer, head);
    }
}
