package dev.headlight.ui;

import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

import java.util.List;
import java.util.Locale;

/**
 * The head map panel's state: every head as a point of the analysis' head map (the MDS of {@code headlight heads},
 * see {@link HeadFeatures}), scaled into the unit square; the legend of kinds with their counts; the selected and
 * the hovered head. Clicking a point selects its head everywhere ({@link #select}).
 *
 * <p>Heads are numbered {@code layer * heads + head}, as in {@link HeadFeatures}; -1 means none.
 */
public final class HeadMapViewModel {
    /** A line of the legend: a kind and how many heads have it. */
    public record LegendEntry(String kind, int count) {
    }

    /**
     * The map as drawn, made at once from one analysis: its head features (null without an analysis), each head's
     * point {@code // [head][x, y]} in [0, 1]² with y upwards (before the view's margins), and the legend of kinds
     * in order with their counts.
     */
    public record Shown(HeadFeatures features, double[][] points, List<LegendEntry> legend) {
        static final Shown NONE = new Shown(null, new double[0][], List.of());
    }

    private final ExplorerViewModel vm;
    private final ReadOnlyObjectWrapper<Shown> shown = new ReadOnlyObjectWrapper<>(this, "shown", Shown.NONE);
    private final ReadOnlyIntegerWrapper selected = new ReadOnlyIntegerWrapper(this, "selected", -1);
    private final ReadOnlyIntegerWrapper hovered = new ReadOnlyIntegerWrapper(this, "hovered", -1);

    public HeadMapViewModel(ExplorerViewModel vm) {
        this.vm = vm;
        vm.analysisProperty().addListener(o -> showMap());
        vm.selection().layerProperty().addListener(o -> showSelected());
        vm.selection().headProperty().addListener(o -> showSelected());
        showMap();
    }

    // ---- commands

    /** Selects head {@code index} in every panel (a click on its point). */
    public void select(int index) {
        HeadFeatures f = shown.get().features();
        if (f != null && index >= 0 && index < f.positions().length) {
            vm.selection().selectHead(index / f.heads(), index % f.heads());
        }
    }

    /** Marks head {@code index} as the one under the pointer; -1 for none. */
    public void hover(int index) {
        HeadFeatures f = shown.get().features();
        hovered.set(f != null && index >= 0 && index < f.positions().length ? index : -1);
    }

    /** What the hover card says about head {@code index}: where it is, its kind and its feature values. */
    public String describe(int index) {
        HeadFeatures f = shown.get().features();
        double[] v = f.features()[index];
        StringBuilder values = new StringBuilder();
        for (int j = 0; j < v.length; j++) {
            values.append(j == 0 ? "" : j % 3 == 0 ? "\n" : " · ")
                    .append(String.format(Locale.ROOT, "%s %.2f", f.featureNames()[j], v[j]));
        }
        return "layer " + index / f.heads() + " · head " + index % f.heads() + " — " + f.kindNames()[f.kinds()[index]]
                + "\n" + values;
    }

    /** The point's label on the map, "layer.head". */
    public String label(int index) {
        int heads = shown.get().features().heads();
        return index / heads + "." + index % heads;
    }

    // ---- state

    private void showMap() {
        Analysis a = vm.analysis();
        HeadFeatures f = a == null ? null : a.headFeatures();
        hovered.set(-1);
        shown.set(f == null ? Shown.NONE : new Shown(f, unitSquare(f.positions()), legend(f)));
        showSelected();
    }

    private void showSelected() {
        HeadFeatures f = shown.get().features();
        int index = f == null ? -1 : f.index(vm.selection().layer(), vm.selection().head());
        selected.set(f != null && index < f.positions().length ? index : -1);
    }

    /** Scales points // [point][x, y] so each axis spans [0, 1] (a degenerate axis puts every point at 0). */
    static double[][] unitSquare(double[][] positions) {
        double minX = Double.POSITIVE_INFINITY, maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
        for (double[] p : positions) {
            minX = Math.min(minX, p[0]);
            maxX = Math.max(maxX, p[0]);
            minY = Math.min(minY, p[1]);
            maxY = Math.max(maxY, p[1]);
        }
        double spanX = Math.max(1e-9, maxX - minX);
        double spanY = Math.max(1e-9, maxY - minY);
        double[][] scaled = new double[positions.length][];
        for (int i = 0; i < positions.length; i++) {
            scaled[i] = new double[]{(positions[i][0] - minX) / spanX, (positions[i][1] - minY) / spanY};
        }
        return scaled;
    }

    private static List<LegendEntry> legend(HeadFeatures f) {
        int[] counts = new int[f.kindNames().length];
        for (int k : f.kinds()) {
            counts[k]++;
        }
        LegendEntry[] entries = new LegendEntry[counts.length];
        for (int kind = 0; kind < counts.length; kind++) {
            entries[kind] = new LegendEntry(f.kindNames()[kind], counts[kind]);
        }
        return List.of(entries);
    }

    // ---- properties

    public ReadOnlyObjectProperty<Shown> shownProperty() {
        return shown.getReadOnlyProperty();
    }

    /** The shared selection's head as an index, -1 when there is no map. */
    public ReadOnlyIntegerProperty selectedProperty() {
        return selected.getReadOnlyProperty();
    }

    /** The head under the pointer, -1 for none. */
    public ReadOnlyIntegerProperty hoveredProperty() {
        return hovered.getReadOnlyProperty();
    }

}
