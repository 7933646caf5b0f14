package dev.headlight.ui;

import dev.headlight.format.tokenizer.LostCharacters;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.util.ArrayList;
import java.util.List;

/**
 * The tokens panel's state: a chip per token of the prompt (text, tooltip, special or not), the note on characters
 * the vocabulary lacks, and how strongly the selected head's query attends to each chip. Hovering or clicking a
 * chip selects its position as the query token everywhere ({@link #selectQuery}).
 *
 * <p>The selected head's map is kept while that head stays selected, so moving the query only re-reads a row; a
 * map whose layer must be recomputed is fetched through the {@link HeadViewModel.MapLoader} and the chips stay
 * untinted until it arrives (a newer selection makes a fetch in flight stale).
 */
public final class TokensViewModel {
    /** A tint's opacity comes in steps of 1 / {@value}: a chip whose step did not change keeps its style. */
    public static final int TINT_STEPS = 20;
    /** The strongest tint, so a chip's text stays readable on it. */
    static final double MAX_TINT = 0.85;

    /** One token's chip: its readable text, its tooltip ("position 3 · id 464 · special") and whether it is special. */
    public record Chip(String text, String tooltip, boolean special) {
    }

    private final ExplorerViewModel vm;
    private final HeadViewModel.MapLoader loader;
    private final ReadOnlyObjectWrapper<List<Chip>> chips = new ReadOnlyObjectWrapper<>(this, "chips", List.of());
    private final ReadOnlyStringWrapper lostNote = new ReadOnlyStringWrapper(this, "lostNote", "");
    /** [position] the accent's opacity behind each chip, 0 = none (the query's own chip, or no map yet). */
    private final ReadOnlyObjectWrapper<double[]> tints = new ReadOnlyObjectWrapper<>(this, "tints", new double[0]);
    private float[] map;       // [query][key] of the selected head, for mapKey
    private Object mapKey;     // the analysis, layer and head the map belongs to
    private Object pending;    // the key a fetch in flight is for, or null

    public TokensViewModel(ExplorerViewModel vm) {
        this(vm, HeadViewModel.MapLoader.shownFirst());
    }

    public TokensViewModel(ExplorerViewModel vm, HeadViewModel.MapLoader loader) {
        this.vm = vm;
        this.loader = loader;
        vm.analysisProperty().addListener(o -> showTokens());
        Selection s = vm.selection();
        s.queryProperty().addListener(o -> retint());
        s.layerProperty().addListener(o -> retint());
        s.headProperty().addListener(o -> retint());
        showTokens();
    }

    // ---- commands

    /** Makes position {@code t} the query token of every panel (hovering or clicking its chip). */
    public void selectQuery(int t) {
        vm.selection().queryProperty().set(t);
    }

    // ---- state

    private void showTokens() {
        map = null;
        mapKey = null;
        pending = null;
        Analysis a = vm.analysis();
        List<Chip> made = new ArrayList<>(a == null ? 0 : a.tokens());
        for (int t = 0; a != null && t < a.tokens(); t++) {
            boolean special = a.special()[t];
            made.add(new Chip(a.label(t), "position " + t + " · id " + a.ids()[t] + (special ? " · special" : ""),
                    special));
        }
        chips.set(List.copyOf(made));
        lostNote.set(a == null || a.lost().isEmpty() ? "" : lostNote(a.lost()));
        retint();
    }

    /** E.g. "⚠ Not in the vocabulary, dropped: '␣' ×5, '.' (no token stands for them)". */
    private static String lostNote(List<LostCharacters> lost) {
        String d = LostCharacters.describe(lost);
        return "⚠ " + Character.toUpperCase(d.charAt(0)) + d.substring(1) + " (no token stands for "
                + (lost.size() == 1 ? "it" : "them") + ")";
    }

    private void retint() {
        Analysis a = vm.analysis();
        Selection s = vm.selection();
        int q = s.query();
        int tokens = a == null ? 0 : a.tokens();
        float[] row = q >= 0 && q < tokens ? selectedMap(a, s.layer(), s.head()) : null;
        double[] shown = new double[tokens];
        for (int t = 0; row != null && t < tokens; t++) {
            shown[t] = t == q ? 0 : tint(row[q * tokens + t]);
        }
        tints.set(shown);
    }

    /** The accent's opacity for an attention weight: 0.9 × weight, at most {@value #MAX_TINT}, in whole steps. */
    static double tint(float weight) {
        return Math.round(Math.min(MAX_TINT, weight * 0.9) * TINT_STEPS) / (double) TINT_STEPS;
    }

    /** The selected head's map // [query][key]; null while its layer is fetched (the chips are tinted on arrival). */
    private float[] selectedMap(Analysis a, int layer, int head) {
        List<Object> key = List.of(a, layer, head);
        if (key.equals(mapKey)) {
            return map;
        }
        float[] ready = (long) a.tokens() * a.tokens() <= HeadViewModel.ON_FX_MAX ? a.mapIfReady(layer, head, false)
                : null;
        if (ready != null) {
            mapKey = key;
            map = ready;
            return map;
        }
        if (!key.equals(pending)) {
            pending = key;
            // a failure leaves the chips untinted: the head view reports the same map's failure in the banner
            loader.load(() -> key.equals(pending), () -> a.map(layer, head, false), fetched -> {
                if (key.equals(pending)) {
                    pending = null;
                    mapKey = key;
                    map = fetched;
                    retint();
                }
            }, failure -> {
                if (key.equals(pending)) {
                    pending = null;
                }
            });
        }
        return null;
    }

    // ---- properties

    /** A chip per token of the analysis, in order; empty when there is none. */
    public ReadOnlyObjectProperty<List<Chip>> chipsProperty() {
        return chips.getReadOnlyProperty();
    }

    public List<Chip> chips() {
        return chips.get();
    }

    /** The note above the chips on characters the vocabulary lacks; empty when there are none. */
    public ReadOnlyStringProperty lostNoteProperty() {
        return lostNote.getReadOnlyProperty();
    }

    /** [position] the accent's opacity behind each chip: a multiple of 1/{@value #TINT_STEPS}, 0 = untinted. */
    public ReadOnlyObjectProperty<double[]> tintsProperty() {
        return tints.getReadOnlyProperty();
    }

    public double[] tints() {
        return tints.get();
    }

    /** The query token (the shared selection's), -1 for none. */
    public ReadOnlyIntegerProperty queryProperty() {
        return vm.selection().queryProperty();
    }

    /** The colours the chips are tinted with. */
    public ReadOnlyObjectProperty<Palette> paletteProperty() {
        return vm.paletteProperty();
    }
}
