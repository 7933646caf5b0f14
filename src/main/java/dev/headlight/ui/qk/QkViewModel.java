package dev.headlight.ui.qk;

import dev.headlight.analysis.QkCell;
import dev.headlight.ui.Analysis;
import dev.headlight.ui.ExplorerViewModel;
import dev.headlight.ui.Selection;
import dev.headlight.ui.task.TaskHandle;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

import java.util.Locale;

/**
 * The q·k panel's state: the selected head's attention cell (query token, key token) taken apart by
 * {@link QkCell}. Follows the shared selection; with no key selected it explains the key the query attends to
 * most. Computed off the FX thread (the layer's q/k projections for the prompt) while the panel is shown.
 */
public final class QkViewModel {
    /** How many elements the contribution list shows. */
    public static final int TOP = 8;
    private static final String LANE = "qk";

    /**
     * What the panel shows: the cell taken apart (null when there is none), which head and cell in words, and why
     * there is no cell (masked key, no model) or that one is being computed (empty when shown).
     */
    public record Shown(QkCell cell, String heading, String message) {
    }

    private final ExplorerViewModel vm;
    private final ReadOnlyObjectWrapper<Shown> shown = new ReadOnlyObjectWrapper<>(this, "shown",
            new Shown(null, "", ""));
    private boolean active = true;
    private TaskHandle task;

    public QkViewModel(ExplorerViewModel vm) {
        this.vm = vm;
        Selection s = vm.selection();
        s.layerProperty().addListener((o, a, b) -> refresh());
        s.headProperty().addListener((o, a, b) -> refresh());
        s.queryProperty().addListener((o, a, b) -> refresh());
        s.keyProperty().addListener((o, a, b) -> refresh());
        vm.analysisProperty().addListener((o, a, b) -> refresh());
        refresh();
    }

    /** Only a shown panel recomputes on every change; showing it again catches up. */
    public void setActive(boolean shown) {
        boolean was = active;
        active = shown;
        if (shown && !was) {
            refresh();
        }
    }

    /** Explains the selected cell again (after a selection or prompt change). */
    public void refresh() {
        if (task != null) {
            task.cancel();
            task = null;
        }
        Analysis a = vm.analysis();
        if (a == null) {
            shown.set(new Shown(null, "", "Open a model to take an attention cell apart."));
            return;
        }
        if (!active) {
            return;
        }
        Selection s = vm.selection();
        int layer = s.layer();
        int head = s.head();
        int query = s.query() >= 0 && s.query() < a.tokens() ? s.query() : a.tokens() - 1;
        boolean chosen = s.key() >= 0 && s.key() < a.tokens();
        int selectedKey = s.key();
        shown.set(new Shown(shown.get().cell(), shown.get().heading(), "Computing q·k…"));
        var model = a.model();
        var trace = a.trace();
        task = vm.tasks().task("Taking the cell apart…", ctx -> {
                    // the strongest key may need the layer's map recomputed: here, not on the FX thread
                    int key = chosen ? selectedKey : strongestKey(trace, layer, head, query);
                    return QkCell.explain(model, trace, layer, head, query, key);
                })
                .serial(LANE).quiet()
                .onSuccess(c -> shown.set(new Shown(c, String.format(Locale.ROOT,
                        "Layer %d, head %d: ‘%s’ (%d) looks at ‘%s’ (%d)%s", layer, head, a.label(query), query,
                        a.label(c.key()), c.key(),
                        chosen ? "" : " — its strongest key (click a head-view cell to choose)"), "")))
                .onFailure(e -> shown.set(new Shown(null, String.format(Locale.ROOT,
                        "Layer %d, head %d: ‘%s’ (%d) → ‘%s’ (%d)", layer, head, a.label(query), query,
                        chosen ? a.label(selectedKey) : "?", selectedKey), e.getMessage())))
                .submit();
    }

    /** The key position with the largest probability in the row (the first of ties). */
    static int strongestKey(dev.headlight.engine.Trace trace, int layer, int head, int query) {
        int best = 0;
        for (int j = 1; j < trace.tokens(); j++) {
            if (trace.attentions().get(layer, head, query, j) > trace.attentions().get(layer, head, query, best)) {
                best = j;
            }
        }
        return best;
    }

    public ReadOnlyObjectProperty<Shown> shownProperty() {
        return shown.getReadOnlyProperty();
    }
}
