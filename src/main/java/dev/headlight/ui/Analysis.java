package dev.headlight.ui;

import dev.headlight.analysis.LogitLens;
import dev.headlight.engine.Model;
import dev.headlight.engine.Trace;

/**
 * Everything the panels show about one prompt on one model, computed off the FX thread in one task.
 *
 * @param labels  readable token strings (Tokenizer.displayToken)  // [token]
 * @param special whether each token is a special token           // [token]
 * @param lost    characters of the prompt the vocabulary lacks (dropped or made the unknown token), in text order
 */
// lens is null while it is still being computed (the attention views are shown first).
public record Analysis(Model model, String prompt, int[] ids, String[] labels, boolean[] special, Trace trace,
                       LogitLens lens, HeadFeatures headFeatures, long passNanos, long totalNanos,
                       java.util.List<dev.headlight.format.tokenizer.LostCharacters> lost) {

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

    /**
     * One head's map, or the mean of the layer's heads: // [query][key]. Recomputes the layer when the memory
     * budget did not keep it: on the FX thread, call it only when {@link #mapReady} (else use
     * {@link AttentionLoader}).
     */
    public float[] map(int layer, int head, boolean layerMean) {
        return layerMean ? trace.attentions().layerMean(layer) : trace.attentions().head(layer, head);
    }

    /**
     * {@link #map} if it can answer at once (the layer is kept or was recomputed recently), else null: never
     * recomputes, safe on the FX thread.
     */
    public float[] mapIfReady(int layer, int head, boolean layerMean) {
        return layerMean ? trace.attentions().layerMeanIfReady(layer) : trace.attentions().headIfReady(layer, head);
    }

    /** Whether {@link #map} returns at once: the layer's maps are kept, or were recomputed recently. */
    public boolean mapReady(int layer) {
        return trace.attentions().isReady(layer);
    }

    /** Whether {@code layer}'s maps were not kept and are recomputed when shown. */
    public boolean recomputed(int layer) {
        return !trace.attentions().isKept(layer);
    }

    /**
     * Null when every layer's maps are kept; else what people should know, e.g. "Prompt of 3,000 tokens:
     * attention maps of layers 8–31 are recomputed when shown (memory budget 512 MiB)".
     */
    public String attentionNote() {
        var maps = trace.attentions();
        if (!maps.recomputes()) {
            return null;
        }
        return String.format(java.util.Locale.ROOT, "Prompt of %,d tokens: ", tokens()) + maps.describe();
    }
}
