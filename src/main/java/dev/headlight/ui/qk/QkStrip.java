package dev.headlight.ui.qk;

import dev.headlight.analysis.QkCell;
import dev.headlight.ui.Diverging;
import dev.headlight.ui.Palette;
import dev.headlight.ui.view.CanvasView;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * BertViz's neuron view for one cell: the query vector, the key vector and their elementwise product as strips of
 * d_head cells (blue negative, red positive; q and k on one scale, the product on its own), the products as
 * signed bars with the largest outlined, and below, the query's whole row of probabilities with the cell's key
 * marked. Hovering an element names its values and the stored rows it comes from.
 */
final class QkStrip extends CanvasView {
    private static final double LEFT = 58, RIGHT = 10, TOP = 8, STRIP = 18, GAP = 6, BARS = 64, ROW = 46;
    private final QkViewModel vm;

    QkStrip(QkViewModel vm) {
        super("qk-view", 520, TOP + 3 * (STRIP + GAP) + BARS + GAP + 14 + ROW + 24);
        this.vm = vm;
        getStyleClass().add("qk-strip");
        redrawOnChange(vm.shownProperty());
    }

    private double cellWidth(QkCell c) {
        return (getWidth() - LEFT - RIGHT) / c.headDim();
    }

    /** The element under x, or -1. */
    int elementAt(double x) {
        QkCell c = vm.shownProperty().get().cell();
        if (c == null || x < LEFT || x >= getWidth() - RIGHT) {
            return -1;
        }
        return Math.min(c.headDim() - 1, (int) ((x - LEFT) / cellWidth(c)));
    }

    @Override
    protected String hoverText(double x, double y) {
        QkCell c = vm.shownProperty().get().cell();
        int e = elementAt(x);
        if (c == null || e < 0 || y > TOP + 3 * (STRIP + GAP) + BARS) {
            return null;
        }
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "element %d: q %.5g × k %.5g = %.5g", e,
                c.q()[e], c.k()[e], c.products()[e]));
        for (QkCell.Contribution t : c.topContributions(c.headDim())) {
            if (t.element() == e) {
                s.append("\nq from ").append(t.queryRow()).append("\nk from ").append(t.keyRow());
            }
        }
        return s.toString();
    }

    @Override
    protected void paint(GraphicsContext g, double w, double h) {
        Palette p = palette.get();
        g.setFill(p.background());
        g.fillRect(0, 0, w, h);
        QkCell c = vm.shownProperty().get().cell();
        if (c == null) {
            return;
        }
        g.setFont(Font.font("System", 11));
        g.setTextBaseline(VPos.CENTER);
        double cw = cellWidth(c);
        double qkLimit = 1e-12;
        double productLimit = 1e-12;
        for (int e = 0; e < c.headDim(); e++) {
            qkLimit = Math.max(qkLimit, Math.max(Math.abs(c.q()[e]), Math.abs(c.k()[e])));
            productLimit = Math.max(productLimit, Math.abs(c.products()[e]));
        }
        Set<Integer> top = new HashSet<>();
        c.topContributions(Math.min(QkViewModel.TOP, c.headDim())).forEach(t -> top.add(t.element()));
        String[] names = {"query", "key", "q × k"};
        for (int row = 0; row < 3; row++) {
            double y = TOP + row * (STRIP + GAP);
            g.setFill(p.text());
            g.setTextAlign(TextAlignment.RIGHT);
            g.fillText(names[row], LEFT - 6, y + STRIP / 2);
            for (int e = 0; e < c.headDim(); e++) {
                double v = row == 0 ? c.q()[e] : row == 1 ? c.k()[e] : c.products()[e];
                g.setFill(Diverging.color(v, row == 2 ? productLimit : qkLimit));
                g.fillRect(LEFT + e * cw, y, Math.max(1, cw - (cw > 4 ? 1 : 0)), STRIP);
            }
        }
        // signed bars of the products around a zero line; the largest outlined
        double zero = TOP + 3 * (STRIP + GAP) + BARS / 2;
        g.setStroke(p.grid());
        g.setLineWidth(1);
        g.strokeLine(LEFT, zero + 0.5, w - RIGHT, zero + 0.5);
        g.setFill(p.mutedText());
        g.setTextAlign(TextAlignment.RIGHT);
        g.fillText(String.format(Locale.ROOT, "%.2g", productLimit), LEFT - 6, zero - BARS / 2 + 5);
        g.fillText(String.format(Locale.ROOT, "%.2g", -productLimit), LEFT - 6, zero + BARS / 2 - 5);
        for (int e = 0; e < c.headDim(); e++) {
            double bh = c.products()[e] / productLimit * (BARS / 2 - 2);
            g.setFill(Diverging.color(c.products()[e], productLimit));
            double x = LEFT + e * cw;
            double bw = Math.max(1, cw - (cw > 4 ? 1 : 0));
            g.fillRect(x, bh >= 0 ? zero - bh : zero, bw, Math.abs(bh));
            if (top.contains(e)) {
                g.setStroke(p.text());
                g.strokeRect(x, bh >= 0 ? zero - bh : zero, bw, Math.max(1, Math.abs(bh)));
            }
        }
        g.setFill(p.mutedText());
        g.setTextAlign(TextAlignment.LEFT);
        double axis = TOP + 3 * (STRIP + GAP) + BARS + 7;
        g.fillText(String.format(Locale.ROOT, "d_head = %d   Σ q×k = %.5g   × %.4g%s   → p = %.5f", c.headDim(),
                c.dot(), c.scale(), c.softcap() > 0 ? String.format(Locale.ROOT, ", soft-cap %.3g", c.softcap()) : "",
                c.probability()), LEFT, axis);
        paintRow(g, p, c, w, axis + 10);
    }

    /** The query's row of probabilities over key positions (masked keys empty), the cell's key marked. */
    private void paintRow(GraphicsContext g, Palette p, QkCell c, double w, double top) {
        double[] logits = c.rowLogits();
        int tokens = logits.length;
        double kw = (w - LEFT - RIGHT) / tokens;
        g.setFill(p.text());
        g.setTextAlign(TextAlignment.RIGHT);
        g.fillText("softmax", LEFT - 6, top + ROW / 2);
        for (int j = 0; j < tokens; j++) {
            if (Double.isNaN(logits[j])) {
                continue;
            }
            double prob = Math.exp(logits[j] - c.rowMax()) / c.rowSum();
            double bh = prob * (ROW - 2);
            g.setFill(j == c.key() ? p.selection() : p.accent());
            g.fillRect(LEFT + j * kw, top + ROW - bh, Math.max(1, kw - (kw > 4 ? 1 : 0)), Math.max(1, bh));
        }
        g.setStroke(p.grid());
        g.strokeLine(LEFT, top + ROW + 0.5, w - RIGHT, top + ROW + 0.5);
        g.setFill(p.mutedText());
        g.setTextAlign(TextAlignment.CENTER);
        g.fillText("key " + c.key(), Math.clamp(LEFT + (c.key() + 0.5) * kw, LEFT + 20, w - RIGHT - 20), top + ROW + 9);
    }
}
