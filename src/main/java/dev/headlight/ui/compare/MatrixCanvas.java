package dev.headlight.ui.compare;

import dev.headlight.ui.view.CanvasView;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

import java.util.function.BiConsumer;

/**
 * A titled matrix of coloured cells with row and column labels, optional text and marks in cells, a selected cell
 * and a click handler: the compare view's grids (heads, weight slices), attention maps and logit lenses, and the
 * timeline's weight-change heatmap. A {@link CanvasView}: it repaints when resized, given new content or a new
 * palette, and exports at any scale without the selected cell's mark.
 */
public final class MatrixCanvas extends CanvasView {
    /** What to draw. {@code argb} colours cell (row, column); {@code text} and {@code marked} may be null. */
    public record Content(String title, int rows, int columns, String[] rowLabels, String[] columnLabels,
                          CellColour argb, String[][] text, boolean[][] marked) {
    }

    @FunctionalInterface
    public interface CellColour {
        int argb(int row, int column);
    }

    private static final double TITLE = 18;
    private Content content;
    private int selectedRow = -1;
    private int selectedColumn = -1;
    private BiConsumer<Integer, Integer> onCell;
    private double left;
    private double top;
    private double cellW;
    private double cellH;

    public MatrixCanvas() {
        super("matrix");
        setMinSize(120, 80);
        setPrefSize(320, 240);
        setOnMouseClicked(e -> {
            if (content == null || onCell == null || cellW <= 0 || cellH <= 0) {
                return;
            }
            int c = (int) Math.floor((e.getX() - left) / cellW);
            int r = (int) Math.floor((e.getY() - top) / cellH);
            if (r >= 0 && r < content.rows() && c >= 0 && c < content.columns()) {
                onCell.accept(r, c);
            }
        });
    }

    public void setContent(Content newContent) {
        content = newContent;
        redraw();
    }

    public Content content() {
        return content;
    }

    public void setSelected(int row, int column) {
        selectedRow = row;
        selectedColumn = column;
        redraw();
    }

    /** Called with (row, column) when a cell is clicked. */
    public void setOnCell(BiConsumer<Integer, Integer> handler) {
        onCell = handler;
    }

    /** The centre of a cell in this region's coordinates, for tests that click it. */
    public double[] cellCentre(int row, int column) {
        return new double[] {left + (column + 0.5) * cellW, top + (row + 0.5) * cellH};
    }

    @Override
    public String exportName() {
        return content == null ? super.exportName() : content.title().toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }

    @Override
    protected void paint(GraphicsContext g, double w, double h) {
        if (content == null || content.rows() == 0 || content.columns() == 0) {
            return;
        }
        g.setFont(Font.font(11));
        g.setFill(palette.get().mutedText());
        g.setTextBaseline(VPos.TOP);
        g.setTextAlign(TextAlignment.LEFT);
        g.fillText(content.title(), 2, 1);
        double labelW = content.rowLabels() == null ? 4 : Math.min(90, 7.0 * maxLength(content.rowLabels()) + 6);
        double labelH = content.columnLabels() == null ? 2 : 16;
        left = labelW;
        top = TITLE + labelH;
        cellW = Math.max(1, (w - left - 2) / content.columns());
        cellH = Math.max(1, (h - top - 2) / content.rows());
        g.setTextBaseline(VPos.CENTER);
        if (content.rowLabels() != null && cellH >= 8) {
            g.setTextAlign(TextAlignment.RIGHT);
            for (int r = 0; r < content.rows(); r++) {
                g.fillText(content.rowLabels()[r], left - 4, top + (r + 0.5) * cellH, labelW - 4);
            }
        }
        if (content.columnLabels() != null) {
            g.setTextAlign(TextAlignment.CENTER);
            int every = Math.max(1, (int) Math.ceil(28 / cellW));
            for (int c = 0; c < content.columns(); c += every) {
                g.fillText(content.columnLabels()[c], left + (c + 0.5) * cellW, TITLE + labelH / 2, cellW * every);
            }
        }
        for (int r = 0; r < content.rows(); r++) {
            for (int c = 0; c < content.columns(); c++) {
                int argb = content.argb().argb(r, c);
                g.setFill(Color.rgb(argb >> 16 & 0xFF, argb >> 8 & 0xFF, argb & 0xFF));
                g.fillRect(left + c * cellW, top + r * cellH, Math.ceil(cellW), Math.ceil(cellH));
                if (content.text() != null && content.text()[r][c] != null && cellW >= 14 && cellH >= 10) {
                    double lum = 0.2126 * (argb >> 16 & 0xFF) + 0.7152 * (argb >> 8 & 0xFF) + 0.0722 * (argb & 0xFF);
                    g.setFill(lum > 128 ? Color.BLACK : Color.WHITE);
                    g.setTextAlign(TextAlignment.CENTER);
                    g.fillText(content.text()[r][c], left + (c + 0.5) * cellW, top + (r + 0.5) * cellH, cellW - 2);
                }
            }
        }
        if (content.marked() != null) {
            g.setStroke(Color.rgb(230, 60, 40));
            g.setLineWidth(2);
            for (int r = 0; r < content.rows(); r++) {
                for (int c = 0; c < content.columns(); c++) {
                    if (content.marked()[r][c]) {
                        g.strokeRect(left + c * cellW + 1, top + r * cellH + 1, cellW - 2, cellH - 2);
                    }
                }
            }
        }
        if (!exporting() && selectedRow >= 0 && selectedRow < content.rows() && selectedColumn >= 0
                && selectedColumn < content.columns()) {
            g.setStroke(Color.rgb(255, 200, 0));
            g.setLineWidth(3);
            g.strokeRect(left + selectedColumn * cellW + 1.5, top + selectedRow * cellH + 1.5, cellW - 3, cellH - 3);
        }
    }

    private static int maxLength(String[] labels) {
        int n = 0;
        for (String s : labels) {
            n = Math.max(n, s == null ? 0 : s.length());
        }
        return n;
    }
}
