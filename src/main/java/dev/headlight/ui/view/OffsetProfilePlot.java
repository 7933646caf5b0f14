package dev.headlight.ui.view;

import dev.headlight.analysis.OffsetProfile;
import dev.headlight.ui.ExplorerViewModel;
import dev.headlight.ui.Palette;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

import java.util.List;
import java.util.Locale;

/**
 * A number per relative offset (query position − key position) as lines: the QK positional profile read from the
 * weights, or the behavioural profile (mean attention per offset) on the probe and the prompt.
 */
public final class OffsetProfilePlot extends CanvasView {
    private static final double LEFT = 44;
    private static final double TOP = 20;
    private static final double BOTTOM = 30;
    private static final double RIGHT = 8;

    /** One line: a label for the legend and its profile. */
    public record Series(String label, OffsetProfile profile) {
    }

    private String title = "";
    private String emptyMessage = "";
    private List<Series> series = List.of();
    private int maxOffset = 32;

    public OffsetProfilePlot(ExplorerViewModel vm, String name) {
        super(name, 260, 200);
        palette.bind(vm.paletteProperty());
    }

    /** Shows {@code lines} (nulls left out) over offsets up to {@code maxOffset}, or {@code empty} when none. */
    public void show(String newTitle, List<Series> lines, int newMaxOffset, String empty) {
        this.title = newTitle;
        this.series = lines.stream().filter(s -> s.profile() != null).toList();
        this.maxOffset = Math.max(1, newMaxOffset);
        this.emptyMessage = empty;
        redraw();
    }

    /** The lines shown. */
    public List<Series> series() {
        return series;
    }

    private Color lineColor(int i, Palette p) {
        return i == 0 ? p.accent() : Color.web(p.dark() ? "#F0A050" : "#D55E00");
    }

    @Override
    protected String placeholder() {
        return series.isEmpty() ? emptyMessage : null;
    }

    @Override
    protected void paint(GraphicsContext g, double w, double h) {
        Palette p = palette.get();
        g.setFont(Font.font(ViewText.FAMILY, 11));
        g.setFill(p.text());
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.TOP);
        g.fillText(title, 6, 4);
        int from = Integer.MAX_VALUE;
        int to = Integer.MIN_VALUE;
        double lo = 0;
        double hi = 0;
        for (Series s : series) {
            OffsetProfile pr = s.profile();
            int a = Math.max(pr.firstOffset(), -maxOffset);
            int b = Math.min(pr.lastOffset(), maxOffset);
            from = Math.min(from, a);
            to = Math.max(to, b);
            for (int k = a; k <= b; k++) {
                double v = pr.at(k);
                if (!Double.isNaN(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (hi == lo) {
            hi = lo + 1;
        }
        double x0 = LEFT;
        double x1 = w - RIGHT;
        double y0 = TOP + 14;
        double y1 = h - BOTTOM;
        int first = from;
        int span = Math.max(1, to - from);
        double top = hi;
        double range = hi - lo;
        java.util.function.IntToDoubleFunction xOf = k -> x0 + (k - first) * (x1 - x0) / span;
        java.util.function.DoubleUnaryOperator yOf = v -> y1 - (v - (top - range)) * (y1 - y0) / range;
        g.setStroke(p.grid());
        g.setLineWidth(1);
        g.strokeRect(x0, y0, x1 - x0, y1 - y0);
        if (lo < 0) {
            g.strokeLine(x0, yOf.applyAsDouble(0), x1, yOf.applyAsDouble(0));
        }
        g.setFont(Font.font(ViewText.FAMILY, 10));
        g.setFill(p.mutedText());
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.CENTER);
        g.fillText(String.format(Locale.ROOT, "%.3g", hi), x0 - 3, y0);
        g.fillText(String.format(Locale.ROOT, "%.3g", lo), x0 - 3, y1);
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.TOP);
        int step = ModelView.labelStep((x1 - x0) / span, 22);
        for (int k = from - Math.floorMod(from, step); k <= to; k += step) {
            if (k >= from) {
                g.fillText(Integer.toString(k), xOf.applyAsDouble(k), y1 + 2);
            }
        }
        g.fillText("offset (query − key)", (x0 + x1) / 2, y1 + 14);
        double legendX = x0 + 4;
        for (int i = 0; i < series.size(); i++) {
            OffsetProfile pr = series.get(i).profile();
            Color c = lineColor(i, p);
            g.setStroke(c);
            g.setFill(c);
            g.setLineWidth(1.6);
            g.beginPath();
            boolean started = false;
            for (int k = Math.max(pr.firstOffset(), from); k <= Math.min(pr.lastOffset(), to); k++) {
                double v = pr.at(k);
                if (Double.isNaN(v)) {
                    started = false;
                    continue;
                }
                double x = xOf.applyAsDouble(k);
                double y = yOf.applyAsDouble(v);
                if (started) {
                    g.lineTo(x, y);
                } else {
                    g.moveTo(x, y);
                    started = true;
                }
                if (span <= 48) {
                    g.fillOval(x - 1.8, y - 1.8, 3.6, 3.6);
                }
            }
            g.stroke();
            g.setFont(Font.font(ViewText.FAMILY, 10));
            g.setTextAlign(TextAlignment.LEFT);
            g.setTextBaseline(VPos.CENTER);
            g.strokeLine(legendX, TOP + 6, legendX + 12, TOP + 6);
            g.setFill(p.text());
            String label = series.get(i).label();
            g.fillText(label, legendX + 15, TOP + 6);
            legendX += 24 + ViewText.width(label, g.getFont());
        }
    }
}
