package dev.headlight.ui.view;

import dev.headlight.ui.Analysis;
import dev.headlight.ui.ExplorerViewModel;
import dev.headlight.ui.LensViewModel;
import dev.headlight.analysis.LogitLens;
import dev.headlight.ui.Palette;
import javafx.geometry.Rectangle2D;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;

import java.util.Locale;

/**
 * The logit lens grid: one row per residual stream (embeddings at the top, the model's output at the bottom),
 * one column per position; each cell is the top-1 prediction shaded by its probability.
 */
public final class LensView extends CanvasView {
    static final double LEFT = 46;
    static final double HEADER = 54;
    static final double FOOTER = 54;
    static final double BAR_AREA = 60;

    private final ExplorerViewModel vm;
    private final LensViewModel lensVm;

    public LensView(ExplorerViewModel vm, LensViewModel lensVm) {
        super("logit-lens");
        this.vm = vm;
        this.lensVm = lensVm;
        palette.bind(vm.paletteProperty());
        redrawOnChange(vm.analysisProperty(), vm.colorMapProperty(), lensVm.cellProperty());
        // arrows move the selected cell
        setOnKeyPressed(e -> {
            Analysis a = vm.analysis();
            if (a == null || a.lens() == null) {
                return;
            }
            LogitLens lens = a.lens();
            int r = lensVm.effectiveRow(lens);
            int c = lensVm.effectiveColumn(lens);
            switch (e.getCode()) {
                case UP -> r = Math.max(0, r - 1);
                case DOWN -> r = Math.min(lens.rows() - 1, r + 1);
                case LEFT -> c = Math.max(0, c - 1);
                case RIGHT -> c = Math.min(lens.tokens() - 1, c + 1);
                default -> {
                    return;
                }
            }
            lensVm.select(r, c);
            e.consume();
        });
        setOnMouseClicked(e -> {
            int[] rc = cellAt(e.getX(), e.getY());
            if (rc != null) {
                lensVm.select(rc[0], rc[1]);
            }
        });
    }

    /** Bounds of cell (row, column) at the view's size. */
    public Rectangle2D cellBounds(int row, int column) {
        double[] size = exportSize();
        return cellBounds(vm.analysis().lens(), size[0], size[1], row, column);
    }

    private Rectangle2D cellBounds(LogitLens lens, double w, double h, int row, int column) {
        double cw = (w - LEFT - BAR_AREA) / lens.tokens();
        double ch = Math.min(52, (h - HEADER - FOOTER) / lens.rows());
        return new Rectangle2D(LEFT + column * cw, HEADER + row * ch, cw, ch);
    }

    private int[] cellAt(double x, double y) {
        Analysis a = vm.analysis();
        if (a == null || a.lens() == null) {
            return null;
        }
        LogitLens lens = a.lens();
        Rectangle2D first = cellBounds(lens, getWidth(), getHeight(), 0, 0);
        int c = (int) Math.floor((x - first.getMinX()) / first.getWidth());
        int r = (int) Math.floor((y - first.getMinY()) / first.getHeight());
        return r >= 0 && r < lens.rows() && c >= 0 && c < lens.tokens() ? new int[]{r, c} : null;
    }

    @Override
    protected String hoverText(double x, double y) {
        int[] rc = cellAt(x, y);
        if (rc == null) {
            return null;
        }
        Analysis a = vm.analysis();
        LogitLens lens = a.lens();
        int r = rc[0], c = rc[1];
        String text = String.format(Locale.ROOT, "%s, position %d ‘%s’: ‘%s’ %.1f%%",
                LensViewModel.rowLabel(r, lens.layers()), c, a.label(c), a.vocabLabel(lens.topIds()[r][c][0]),
                100 * lens.topProbs()[r][c][0]);
        if (lens.targetIds()[c] >= 0) {
            text += String.format(Locale.ROOT, "\ntarget ‘%s’: rank %d, %.1f%%", a.vocabLabel(lens.targetIds()[c]),
                    lens.targetRank()[r][c], 100 * lens.targetProb()[r][c]);
        }
        return text;
    }

    @Override
    protected String placeholder() {
        Analysis a = vm.analysis();
        return a == null ? "Each layer's next-token guess appears here"
                : a.lens() == null ? "Computing the logit lens…" : null;
    }

    @Override
    protected void paint(GraphicsContext g, double w, double h) {
        Palette p = palette.get();
        Analysis a = vm.analysis();
        LogitLens lens = a.lens();
        int rows = lens.rows();
        int tokens = lens.tokens();
        Rectangle2D c00 = cellBounds(lens, w, h, 0, 0);
        double cw = c00.getWidth();
        double ch = c00.getHeight();
        int maxChars = (int) Math.max(1, cw / 6.2);
        Font cellFont = Font.font(ViewText.FAMILY, Math.clamp(Math.min(ch * 0.45, cw / 3.2), 7, 13));
        g.setTextBaseline(VPos.CENTER);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < tokens; c++) {
                Rectangle2D cell = cellBounds(lens, w, h, r, c);
                float prob = lens.topProbs()[r][c][0];
                int argb = vm.colorMapProperty().get().argb(prob);
                g.setFill(ViewText.color(argb));
                g.fillRect(cell.getMinX(), cell.getMinY(), cell.getWidth() + 0.5, cell.getHeight() + 0.5);
                if (cw >= 14) {
                    g.setFill(ViewText.color(dev.headlight.ui.ColorMap.contrastingText(argb)));
                    g.setFont(lens.topIds()[r][c][0] == lens.targetIds()[c]
                            ? Font.font(ViewText.FAMILY, FontWeight.BOLD, cellFont.getSize()) : cellFont);
                    g.setTextAlign(TextAlignment.CENTER);
                    g.fillText(ellipsize(a.vocabLabel(lens.topIds()[r][c][0]), maxChars), cell.getMinX() + cw / 2,
                            cell.getMinY() + ch / 2, cw - 2);
                }
            }
        }
        // row labels
        g.setFont(Font.font(ViewText.FAMILY, 10));
        g.setFill(p.mutedText());
        g.setTextAlign(TextAlignment.RIGHT);
        for (int r = 0; r < rows; r++) {
            g.fillText(LensViewModel.rowLabel(r, lens.layers()), LEFT - 6, HEADER + (r + 0.5) * ch);
        }
        // input tokens above, targets below, rotated
        Font tokenFont = Font.font(ViewText.FAMILY, Math.clamp(cw * 0.7, MIN_LABEL_FONT / outputScale(), 11));
        g.setFont(tokenFont);
        int every = labelEvery(cw, outputScale());
        for (int c = 0; c < tokens; c += every) {
            double x = LEFT + (c + 0.5) * cw;
            g.save();
            g.translate(x, HEADER - 4);
            g.rotate(-60);
            g.setTextAlign(TextAlignment.LEFT);
            g.setFill(a.special()[c] ? p.accent() : p.text());
            g.fillText(ellipsize(a.label(c), 10), 0, 0);
            g.restore();
            if (lens.targetIds()[c] >= 0) {
                g.save();
                g.translate(x, HEADER + rows * ch + 4);
                g.rotate(60);
                g.setTextAlign(TextAlignment.LEFT);
                g.setFill(p.mutedText());
                g.fillText(ellipsize(a.vocabLabel(lens.targetIds()[c]), 10), 0, 0);
                g.restore();
            }
        }
        // selected cell
        int sr = lensVm.effectiveRow(lens);
        int sc = lensVm.effectiveColumn(lens);
        Rectangle2D sel = cellBounds(lens, w, h, sr, sc);
        g.setStroke(p.selection());
        g.setLineWidth(2);
        g.strokeRect(sel.getMinX() + 1, sel.getMinY() + 1, sel.getWidth() - 2, sel.getHeight() - 2);
        double barHeight = Math.min(rows * ch, 220);
        ViewText.colorBar(g, w - BAR_AREA + 12, HEADER, 12, barHeight, vm.colorMapProperty().get(), t -> t, p,
                "top-1 p");
    }
}
