package dev.headlight.ui;

import dev.headlight.analysis.LogitLens;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The logit lens panel's state: which cell is selected (row = residual stream entering layer {@code row}, the last
 * row is the model's output; column = position), its top-k list and the target token's rank in every row.
 * Follows the shared selection: a new layer selects the row after that layer, a new query token the column.
 */
public final class LensViewModel {
    private final ExplorerViewModel vm;
    private final ReadOnlyObjectWrapper<Cell> cell = new ReadOnlyObjectWrapper<>(this, "cell", new Cell(1, -1));
    private final ReadOnlyObjectWrapper<Side> side = new ReadOnlyObjectWrapper<>(this, "side", Side.NONE);

    /** One line of the side lists: a label, a detail (e.g. rank) and a probability in [0, 1]. */
    public record Row(String label, String detail, double probability) {
        public String percent() {
            return String.format(Locale.ROOT, "%.1f%%", 100 * probability);
        }
    }

    /** The selected cell: row = residual stream entering layer {@code row} (the last is the output), column = position. */
    public record Cell(int row, int column) {
    }

    /**
     * The side lists of the selected cell, made at once: its heading and top-k tokens, and the heading and rows of
     * the target token's rank per layer (empty when there is no next token).
     */
    public record Side(String heading, List<Row> topK, String rankHeading, List<Row> ranks) {
        static final Side NONE = new Side("", List.of(), "", List.of());
    }

    public LensViewModel(ExplorerViewModel vm) {
        this.vm = vm;
        Selection s = vm.selection();
        s.layerProperty().addListener((o, a, b) -> moveTo(new Cell(b.intValue() + 1, cell.get().column())));
        s.queryProperty().addListener((o, a, b) -> moveTo(new Cell(cell.get().row(), b.intValue())));
        cell.set(new Cell(s.layer() + 1, s.query()));
        cell.addListener((o, a, b) -> update());
        vm.analysisProperty().addListener((o, a, b) -> update());
    }

    /** Selects a cell from the lens grid: also selects the token, and the layer that produced the row. */
    public void select(int newRow, int newColumn) {
        moveTo(new Cell(newRow, cell.get().column()));
        vm.selection().queryProperty().set(newColumn);
        moveTo(new Cell(newRow, newColumn));
        if (newRow >= 1) {
            vm.selection().layerProperty().set(newRow - 1);
            moveTo(new Cell(newRow, newColumn));
        }
    }

    /** Sets the cell only when it differs, so the side lists are not remade for the same cell. */
    private void moveTo(Cell c) {
        if (!c.equals(cell.get())) {
            cell.set(c);
        }
    }

    /** The row shown, clamped into the lens. */
    public int effectiveRow(LogitLens lens) {
        return Math.clamp(cell.get().row(), 0, lens.rows() - 1);
    }

    /** The column shown: the selected token, or the last one when none is selected. */
    public int effectiveColumn(LogitLens lens) {
        int c = cell.get().column();
        return c < 0 || c >= lens.tokens() ? lens.tokens() - 1 : c;
    }

    public static String rowLabel(int row, int layers) {
        return row == 0 ? "embed" : row == layers ? "out" : "L" + (row - 1);
    }

    private void update() {
        Analysis a = vm.analysis();
        if (a == null || a.lens() == null) {
            side.set(new Side(a == null ? "" : "Computing the logit lens…", List.of(), "", List.of()));
            return;
        }
        LogitLens lens = a.lens();
        int r = effectiveRow(lens);
        int c = effectiveColumn(lens);
        String where = r == 0 ? "embeddings" : r == lens.layers() ? "model output" : "after layer " + (r - 1);
        String heading = "Position " + c + " ‘" + a.label(c) + "’, " + where;
        List<Row> topK = new ArrayList<>();
        for (int i = 0; i < lens.topIds()[r][c].length; i++) {
            topK.add(new Row(a.vocabLabel(lens.topIds()[r][c][i]), (i + 1) + ".", lens.topProbs()[r][c][i]));
        }
        int target = lens.targetIds()[c];
        if (target < 0) {
            side.set(new Side(heading, topK, "No next token after the last position", List.of()));
            return;
        }
        List<Row> ranks = new ArrayList<>();
        for (int layer = 0; layer < lens.rows(); layer++) {
            // "#12,345": the heading says it is a rank, and a 50k vocabulary's ranks must fit the narrow list
            ranks.add(new Row(String.format(Locale.ROOT, "#%,d", lens.targetRank()[layer][c]), rowLabel(layer, lens.layers()),
                    lens.targetProb()[layer][c]));
        }
        side.set(new Side(heading, topK, (a.model().info().causal() ? "Rank of the next token ‘"
                : "Rank of the token ‘") + a.vocabLabel(target) + "’ per layer", ranks));
    }

    /** The selected cell (changed by {@link #select} and the shared selection). */
    public ReadOnlyObjectProperty<Cell> cellProperty() {
        return cell.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Side> sideProperty() {
        return side.getReadOnlyProperty();
    }
}
