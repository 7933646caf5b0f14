package dev.headlight.ui;

import dev.headlight.analysis.LogitLens;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.Locale;

/**
 * The logit lens panel's state: which cell is selected (row = residual stream entering layer {@code row}, the last
 * row is the model's output; column = position), its top-k list and the target token's rank in every row.
 * Follows the shared selection: a new layer selects the row after that layer, a new query token the column.
 */
public final class LensViewModel {
    private final ExplorerViewModel vm;
    private final IntegerProperty row = new SimpleIntegerProperty(this, "row", 1);
    private final IntegerProperty column = new SimpleIntegerProperty(this, "column", -1);
    private final StringProperty heading = new SimpleStringProperty(this, "heading", "");
    private final StringProperty rankHeading = new SimpleStringProperty(this, "rankHeading", "");
    private final ObservableList<Row> topK = FXCollections.observableArrayList();
    private final ObservableList<Row> ranks = FXCollections.observableArrayList();

    /** One line of the side lists: a label, a detail (e.g. rank) and a probability in [0, 1]. */
    public record Row(String label, String detail, double probability) {
        public String percent() {
            return String.format(Locale.ROOT, "%.1f%%", 100 * probability);
        }
    }

    public LensViewModel(ExplorerViewModel vm) {
        this.vm = vm;
        Selection s = vm.selection();
        s.layerProperty().addListener((o, a, b) -> row.set(b.intValue() + 1));
        s.queryProperty().addListener((o, a, b) -> column.set(b.intValue()));
        row.set(s.layer() + 1);
        column.set(s.query());
        row.addListener((o, a, b) -> update());
        column.addListener((o, a, b) -> update());
        vm.analysisProperty().addListener((o, a, b) -> update());
    }

    /** Selects a cell from the lens grid: also selects the token, and the layer that produced the row. */
    public void select(int newRow, int newColumn) {
        row.set(newRow);
        vm.selection().queryProperty().set(newColumn);
        column.set(newColumn);
        if (newRow >= 1) {
            vm.selection().layerProperty().set(newRow - 1);
            row.set(newRow);
        }
    }

    /** The row shown, clamped into the lens. */
    public int effectiveRow(LogitLens lens) {
        return Math.clamp(row.get(), 0, lens.rows() - 1);
    }

    /** The column shown: the selected token, or the last one when none is selected. */
    public int effectiveColumn(LogitLens lens) {
        int c = column.get();
        return c < 0 || c >= lens.tokens() ? lens.tokens() - 1 : c;
    }

    public static String rowLabel(int row, int layers) {
        return row == 0 ? "embed" : row == layers ? "out" : "L" + (row - 1);
    }

    private void update() {
        Analysis a = vm.analysis();
        topK.clear();
        ranks.clear();
        if (a == null || a.lens() == null) {
            heading.set(a == null ? "" : "Computing the logit lens…");
            rankHeading.set("");
            return;
        }
        LogitLens lens = a.lens();
        int r = effectiveRow(lens);
        int c = effectiveColumn(lens);
        String where = r == 0 ? "embeddings" : r == lens.layers() ? "model output" : "after layer " + (r - 1);
        heading.set("Position " + c + " ‘" + a.label(c) + "’, " + where);
        for (int i = 0; i < lens.topIds()[r][c].length; i++) {
            topK.add(new Row(a.vocabLabel(lens.topIds()[r][c][i]), (i + 1) + ".", lens.topProbs()[r][c][i]));
        }
        int target = lens.targetIds()[c];
        if (target < 0) {
            rankHeading.set("No next token after the last position");
            return;
        }
        rankHeading.set((a.model().info().causal() ? "Rank of the next token ‘" : "Rank of the token ‘")
                + a.vocabLabel(target) + "’ per layer");
        for (int layer = 0; layer < lens.rows(); layer++) {
            // "#12,345": the heading says it is a rank, and a 50k vocabulary's ranks must fit the narrow list
            ranks.add(new Row(String.format(Locale.ROOT, "#%,d", lens.targetRank()[layer][c]), rowLabel(layer, lens.layers()),
                    lens.targetProb()[layer][c]));
        }
    }

    public IntegerProperty rowProperty() {
        return row;
    }

    public IntegerProperty columnProperty() {
        return column;
    }

    public StringProperty headingProperty() {
        return heading;
    }

    public StringProperty rankHeadingProperty() {
        return rankHeading;
    }

    public ObservableList<Row> topK() {
        return topK;
    }

    public ObservableList<Row> ranks() {
        return ranks;
    }
}
