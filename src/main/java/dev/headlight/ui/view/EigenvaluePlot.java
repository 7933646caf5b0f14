package dev.headlight.ui.view;

import dev.headlight.ui.CircuitsViewModel;
import dev.headlight.ui.ExplorerViewModel;
import dev.headlight.ui.Palette;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

import java.util.Locale;

/**
 * The selected head's OV eigenvalues in the complex plane: the eigenvalues of W_O W_U W_E W_V [d_head, d_head],
 * which are the nonzero eigenvalues of the full OV circuit W_E W_OV W_U. Mostly on the positive real axis: the
 * head copies (copying score near +1); on the negative side: it suppresses what it attends to.
 */
public final class EigenvaluePlot extends CanvasView {
    private static final double MARGIN = 26;
    private final CircuitsViewModel circuits;

    public EigenvaluePlot(ExplorerViewModel vm, CircuitsViewModel circuits) {
        super("ov-eigenvalues", 220, 200);
        this.circuits = circuits;
        palette.bind(vm.paletteProperty());
        redrawOnChange(circuits.shownHeadProperty());
    }

    @Override
    protected String placeholder() {
        var d = circuits.shownHeadProperty().get().detail();
        if (d == null) {
            return "OV eigenvalues";
        }
        double[] re = d.copying().eigenReal();
        if (re.length == 0) {
            return "No OV eigenvalues: needs a linear unembedding";
        }
        return java.util.Arrays.stream(re).anyMatch(Double::isNaN)
                ? "No OV eigenvalues: this head's weights hold NaN or infinities" : null;
    }

    @Override
    protected void paint(GraphicsContext g, double w, double h) {
        Palette p = palette.get();
        var d = circuits.shownHeadProperty().get().detail();
        double[] re = d.copying().eigenReal();
        double[] im = d.copying().eigenImaginary();
        double limit = 1e-30;
        for (int i = 0; i < re.length; i++) {
            limit = Math.max(limit, Math.hypot(re[i], im[i]));
        }
        limit *= 1.1;
        double side = Math.min(w, h - 16) - 2 * MARGIN;
        double cx = w / 2;
        double cy = 16 + MARGIN + side / 2;
        double scale = side / (2 * limit);
        g.setStroke(p.grid());
        g.setLineWidth(1);
        g.strokeRect(cx - side / 2, cy - side / 2, side, side);
        g.strokeLine(cx - side / 2, cy, cx + side / 2, cy);
        g.strokeLine(cx, cy - side / 2, cx, cy + side / 2);
        g.setFont(Font.font(ViewText.FAMILY, 10));
        g.setFill(p.mutedText());
        g.setTextBaseline(VPos.TOP);
        g.setTextAlign(TextAlignment.CENTER);
        g.fillText(String.format(Locale.ROOT, "%.3g", -limit), cx - side / 2, cy + side / 2 + 2);
        g.fillText(String.format(Locale.ROOT, "%.3g", limit), cx + side / 2, cy + side / 2 + 2);
        g.fillText("Re", cx + side / 4, cy + side / 2 + 2);
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.CENTER);
        g.fillText("Im", cx - side / 2 - 3, cy - side / 4);
        double r = 3.5;
        for (int i = 0; i < re.length; i++) {
            double x = cx + re[i] * scale;
            double y = cy - im[i] * scale;
            g.setFill(re[i] >= 0 ? dev.headlight.ui.Diverging.color(1, 1) : dev.headlight.ui.Diverging.color(-1, 1));
            g.fillOval(x - r, y - r, 2 * r, 2 * r);
            g.setStroke(p.text());
            g.strokeOval(x - r, y - r, 2 * r, 2 * r);
        }
        g.setFont(Font.font(ViewText.FAMILY, 11));
        g.setFill(p.text());
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.TOP);
        var score = d.copying().score();
        g.fillText("OV eigenvalues (" + re.length + ")  copying "
                + (score.isPresent() ? String.format(Locale.ROOT, "%.3f", score.getAsDouble()) : "null"), 6, 4);
    }
}
