package dev.headlight.ui;

import dev.headlight.analysis.circuits.CircuitEvidence;
import dev.headlight.analysis.circuits.HeadCircuits;

import javafx.beans.InvalidationListener;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleObjectProperty;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The model view's state: which per-head number colours the bar under each map (a prompt score, the copying score
 * read from the weights, or the composition with the selected head) and the bars' values; what hovering a head
 * says; moving the selected head with the arrow keys.
 */
public final class ModelViewModel {
    /** What the bars show. */
    public enum Source { NONE, PROMPT_SCORE, COPYING, COMPOSES_WITH_SELECTED }

    /** One entry of the colour-by choice. */
    public record ColorBy(String label, Source source, HeadScoreChoice score) {
        @Override
        public String toString() {
            return label;
        }
    }

    public static final ColorBy NONE = new ColorBy("No score", Source.NONE, HeadScoreChoice.NONE);
    public static final ColorBy COPYING = new ColorBy("copying score (weights)", Source.COPYING, null);
    public static final ColorBy COMPOSES = new ColorBy("composes with selected head", Source.COMPOSES_WITH_SELECTED,
            null);

    /**
     * The bars' values.
     *
     * @param values [layer][head] as computed (NaN: none, e.g. the selected head itself)
     * @param signed whether the values run from -1 to 1 (a diverging scale) rather than from 0 to {@code limit}
     * @param limit  the value drawn at full colour
     */
    public record Bars(ColorBy by, double[][] values, boolean signed, double limit) {
        /** The value's place on the colour scale: 0-1, or -1 to 1 when signed. */
        public double scaled(int layer, int head) {
            double v = values[layer][head];
            return limit > 0 ? v / limit : v;
        }
    }

    private final ExplorerViewModel explorer;
    private final CircuitsViewModel circuits;
    private final ObjectProperty<ColorBy> colorBy = new SimpleObjectProperty<>(this, "colorBy", NONE);
    private final ReadOnlyObjectWrapper<Bars> bars = new ReadOnlyObjectWrapper<>(this, "bars");

    /** {@code circuits} may be null (a view without the Circuits panel): the choice then has prompt scores only. */
    public ModelViewModel(ExplorerViewModel explorer, CircuitsViewModel circuits) {
        this.explorer = explorer;
        this.circuits = circuits;
        InvalidationListener update = o -> update();
        colorBy.addListener(update);
        explorer.analysisProperty().addListener(update);
        if (circuits != null) {
            circuits.evidenceProperty().addListener(update);
            circuits.shownHeadProperty().addListener(update);
            circuits.showQProperty().addListener(update);
            circuits.showKProperty().addListener(update);
            circuits.showVProperty().addListener(update);
        }
        colorBy.addListener(o -> requestCircuitsIfNeeded());
        // a newly opened model's circuits too (the circuits view model, built first, has forgotten the request)
        // (a change listener: those run after every invalidation listener, in the order they were added)
        explorer.modelProperty().addListener((o, a, b) -> requestCircuitsIfNeeded());
    }

    private void requestCircuitsIfNeeded() {
        ColorBy by = colorBy.get();
        if (by != null && circuits != null && (by.source() == Source.COPYING
                || by.source() == Source.COMPOSES_WITH_SELECTED)) {
            circuits.request();
        }
    }

    /** The entries of the colour-by choice. */
    public List<ColorBy> choices() {
        List<ColorBy> out = new ArrayList<>();
        out.add(NONE);
        for (HeadScoreChoice c : HeadScoreChoice.available()) {
            if (c != HeadScoreChoice.NONE) {
                out.add(new ColorBy(c.label(), Source.PROMPT_SCORE, c));
            }
        }
        if (circuits != null) {
            out.add(COPYING);
            out.add(COMPOSES);
        }
        return out;
    }

    private void update() {
        ColorBy by = colorBy.get();
        Analysis a = explorer.analysis();
        if (by == null || by.source() == Source.NONE || a == null) {
            bars.set(null);
            return;
        }
        bars.set(switch (by.source()) {
            case PROMPT_SCORE -> {
                double[][] v = by.score().scores().apply(a);
                yield v == null ? null : new Bars(by, v, false, 1);
            }
            case COPYING -> copyingBars(by);
            case COMPOSES_WITH_SELECTED -> {
                double[][] v = circuits.compositionWithSelected();
                double max = 0;
                if (v != null) {
                    for (double[] row : v) {
                        for (double x : row) {
                            max = Double.isNaN(x) ? max : Math.max(max, x);
                        }
                    }
                }
                // relative to the strongest: composition scores of trained models are small (often below 0.3)
                yield v == null ? null : new Bars(by, v, false, max);
            }
            case NONE -> null;
        });
    }

    private Bars copyingBars(ColorBy by) {
        CircuitEvidence e = circuits.evidenceProperty().get();
        if (e == null) {
            return null;
        }
        return new Bars(by, HeadCircuits.Copying.scores(e.copying()), true, 1);
    }

    // ---- commands

    /** Moves the selected head by {@code layers} and {@code heads}, staying inside the model. */
    public void moveSelection(int layers, int heads) {
        Analysis a = explorer.analysis();
        if (a == null) {
            return;
        }
        Selection s = explorer.selection();
        s.selectHead(Math.clamp(s.layer() + layers, 0, a.layers() - 1),
                Math.clamp(s.head() + heads, 0, a.heads() - 1));
    }

    /** What hovering head (layer, head) says: its place, its kind and the bar's number. */
    public String hoverText(int layer, int head) {
        Analysis a = explorer.analysis();
        if (a == null) {
            return null;
        }
        StringBuilder b = new StringBuilder("layer " + layer + " · head " + head);
        if (a.headFeatures() != null) {
            b.append(" — ").append(a.headFeatures().kind(layer, head));
        }
        Bars bar = bars.get();
        if (bar != null && layer < bar.values().length && head < bar.values()[layer].length) {
            double v = bar.values()[layer][head];
            b.append('\n').append(bar.by().label()).append(": ")
                    .append(Double.isNaN(v) ? "none" : String.format(Locale.ROOT, "%.3f", v));
        }
        return b.toString();
    }

    // ---- properties

    public ObjectProperty<ColorBy> colorByProperty() {
        return colorBy;
    }

    /** The bars under the maps, or null for none. */
    public ReadOnlyObjectProperty<Bars> barsProperty() {
        return bars.getReadOnlyProperty();
    }

    public ExplorerViewModel explorer() {
        return explorer;
    }
}
