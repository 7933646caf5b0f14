package dev.headlight.ui.interventions;

import dev.headlight.ui.Diverging;

import dev.headlight.ui.Palette;
import dev.headlight.ui.view.CanvasView;
import javafx.geometry.Rectangle2D;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * A signed grid (rows × columns, e.g. layers × heads or layers × positions) in diverging colours with row and
 * column labels, the value written in each cell when it fits, an outlined selected cell, and a colour bar.
 * Clicking a cell reports (row, column).
 */
public final class GridHeatmap extends CanvasView {
    static final double LEFT = 44;
    static final double TOP = 34;
    static final double BOTTOM = 56;
    static final double RIGHT = 64;

    private double[][] grid; // [row][column]
    private String[] rowLabels;
    private String[] columnLabels;
    private String title = "";
    /** Fixed half-range of the colour scale, or NaN to use the grid's largest magnitude. */
    private double fixedLimit = Double.NaN;
    private int selectedRow = -1;
    private int selectedColumn = -1;
    private BiConsumer<Integer, Integer> onCell;

    public GridHeatmap(String exportName) {
        super(exportName);
        setOnMouseClicked(e -> {
            int[] rc = cellAt(e.getX(), e.getY());
            if (rc != null && onCell != null) {
                onCell.accept(rc[0], rc[1]);
            }
        });
    }

    /** Shows a grid; null clears the view. */
    public void show(String newTitle, double[][] newGrid, String[] newRowLabels, String[] newColumnLabels,
                     double limit) {
        title = newTitle == null ? "" : newTitle;
        grid = newGrid;
        rowLabels = newRowLabels;
        columnLabels = newColumnLabels;
        fixedLimit = limit;
        redraw();
    }

    public void select(int row, int column) {
        selectedRow = row;
        selectedColumn = column;
        redraw();
    }

    public void setOnCell(BiConsumer<Integer, Integer> handler) {
        onCell = handler;
    }

    public double[][] grid() {
        return grid;
    }

    public String title() {
        return title;
    }

    private int rows() {
        return grid == null ? 0 : grid.length;
    }

    private int columns() {
        return grid == null || grid.length == 0 ? 0 : grid[0].length;
    }

    /** Where cell (row, column) is drawn at the view's current size. */
    public Rectangle2D cellBounds(int row, int column) {
        double[] size = exportSize();
        return cellBounds(size[0], size[1], row, column);
    }

    private Rectangle2D cellBounds(double w, double h, int row, int column) {
        double cw = Math.max(1, (w - LEFT - RIGHT) / Math.max(1, columns()));
        double ch = Math.max(1, (h - TOP - BOTTOM) / Math.max(1, rows()));
        double cell = Math.min(Math.min(cw, ch * 3), 90);
        double height = Math.min(ch, 48);
        return new Rectangle2D(LEFT + column * cell, TOP + row * height, cell, height);
    }

    private int[] cellAt(double x, double y) {
        for (int r = 0; r < rows(); r++) {
            for (int c = 0; c < columns(); c++) {
                if (cellBounds(getWidth(), getHeight(), r, c).contains(x, y)) {
                    return new int[]{r, c};
                }
            }
        }
        return null;
    }

    @Override
    protected String hoverText(double x, double y) {
        int[] rc = cellAt(x, y);
        if (rc == null) {
            return null;
        }
        return label(rowLabels, rc[0]) + " · " + label(columnLabels, rc[1]) + ": "
                + format(grid[rc[0]][rc[1]]);
    }

    private static String label(String[] labels, int i) {
        return labels != null && i < labels.length ? labels[i] : String.valueOf(i);
    }

    static String format(double v) {
        if (Double.isNaN(v)) {
            return "—";
        }
        String s = String.format(Locale.ROOT, Math.abs(v) >= 10 ? "%.1f" : "%.2f", v);
        return s.matches("-0\\.0+") ? s.substring(1) : s; // no "-0.00"
    }

    @Override
    protected void paint(GraphicsContext g, double w, double h) {
        Palette p = palette.get();
        g.setFont(Font.font(11));
        g.setTextBaseline(VPos.CENTER);
        g.setFill(p.text());
        g.setTextAlign(TextAlignment.LEFT);
        g.fillText(title, 8, 14);
        if (grid == null || rows() == 0 || columns() == 0) {
            return;
        }
        double limit = Double.isNaN(fixedLimit) ? Diverging.limit(grid) : fixedLimit;
        for (int r = 0; r < rows(); r++) {
            for (int c = 0; c < columns(); c++) {
                Rectangle2D b = cellBounds(w, h, r, c);
                Color color = Diverging.color(grid[r][c], limit);
                g.setFill(color);
                g.fillRect(b.getMinX(), b.getMinY(), b.getWidth() - 1, b.getHeight() - 1);
                if (b.getWidth() >= 30 && b.getHeight() >= 14) {
                    g.setFill(color.getBrightness() < 0.6 ? Color.WHITE : Color.web("#1f2328"));
                    g.setTextAlign(TextAlignment.CENTER);
                    g.fillText(format(grid[r][c]), b.getMinX() + b.getWidth() / 2, b.getMinY() + b.getHeight() / 2);
                }
            }
        }
        g.setFill(p.mutedText());
        g.setTextAlign(TextAlignment.RIGHT);
        for (int r = 0; r < rows(); r++) {
            Rectangle2D b = cellBounds(w, h, r, 0);
            g.fillText(label(rowLabels, r), LEFT - 5, b.getMinY() + b.getHeight() / 2);
        }
        Rectangle2D last = cellBounds(w, h, rows() - 1, 0);
        double labelsY = last.getMaxY() + 4;
        for (int c = 0; c < columns(); c++) {
            Rectangle2D b = cellBounds(w, h, 0, c);
            String text = label(columnLabels, c);
            int maxChars = (int) Math.max(2, Math.floor(b.getWidth() / 6));
            g.save();
            if (b.getWidth() < 36) {
                g.translate(b.getMinX() + b.getWidth() / 2, labelsY);
                g.rotate(60);
                g.setTextAlign(TextAlignment.LEFT);
                g.fillText(ellipsize(text, 10), 0, 0);
            } else {
                g.setTextAlign(TextAlignment.CENTER);
                g.fillText(ellipsize(text, maxChars), b.getMinX() + b.getWidth() / 2, labelsY + 6);
            }
            g.restore();
        }
        if (selectedRow >= 0 && selectedRow < rows() && selectedColumn >= 0 && selectedColumn < columns()) {
            Rectangle2D b = cellBounds(w, h, selectedRow, selectedColumn);
            g.setStroke(p.selection());
            g.setLineWidth(2);
            g.strokeRect(b.getMinX() + 1, b.getMinY() + 1, b.getWidth() - 3, b.getHeight() - 3);
        }
        paintColourBar(g, w, h, limit, p);
    }

    private void paintColourBar(GraphicsContext g, double w, double h, double limit, Palette p) {
        Rectangle2D first = cellBounds(w, h, 0, columns() - 1);
        double x = first.getMaxX() + 12;
        double top = TOP;
        double height = Math.max(40, Math.min(h - TOP - BOTTOM, rows() * first.getHeight()));
        for (int i = 0; i < height; i++) {
            double t = 1 - 2 * i / height;
            g.setFill(Diverging.color(t * limit, limit));
            g.fillRect(x, top + i, 10, 1.5);
        }
        g.setFill(p.mutedText());
        g.setTextAlign(TextAlignment.LEFT);
        g.fillText("+" + format(limit), x + 13, top + 4);
        g.fillText("0", x + 13, top + height / 2);
        g.fillText("−" + format(limit), x + 13, top + height - 4);
    }
}
