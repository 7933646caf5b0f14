package dev.headlight.ui.interventions;

import dev.headlight.analysis.DirectLogitAttribution;
import dev.headlight.ui.Palette;
import dev.headlight.ui.view.CanvasView;
import javafx.geometry.Rectangle2D;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Horizontal bars of direct logit attribution around a zero line: positive contributions to the right (red),
 * negative to the left (blue), the largest magnitudes on top, then one grey bar for everything else. The
 * selected head's bar is outlined. Clicking a head bar reports it.
 */
public final class AttributionChart extends CanvasView {
    static final double LABEL_WIDTH = 92;
    static final double VALUE_WIDTH = 58;
    static final double TOP = 30;
    static final double ROW = 22;

    private AttributionViewModel.Outcome outcome;
    private int selectedLayer = -1;
    private int selectedHead = -1;
    private Consumer<DirectLogitAttribution.Contribution> onBar;

    public AttributionChart() {
        super("attribution");
        setOnMouseClicked(e -> {
            int i = barAt(e.getX(), e.getY());
            if (i >= 0 && onBar != null) {
                onBar.accept(outcome.bars().get(i));
            }
        });
    }

    public void show(AttributionViewModel.Outcome newOutcome) {
        outcome = newOutcome;
        redraw();
    }

    /** What the chart shows (null = nothing). */
    public AttributionViewModel.Outcome outcome() {
        return outcome;
    }

    public void selectHead(int layer, int head) {
        selectedLayer = layer;
        selectedHead = head;
        redraw();
    }

    public void setOnBar(Consumer<DirectLogitAttribution.Contribution> handler) {
        onBar = handler;
    }

    /** The row of bar {@code index} (the remainder is index = bars). */
    public Rectangle2D rowBounds(int index) {
        double[] size = exportSize();
        double row = rowHeight(size[1]);
        return new Rectangle2D(0, TOP + index * row, size[0], row);
    }

    /** Rows shrink to fit a short view, down to 12 px. */
    private double rowHeight(double h) {
        int rows = outcome == null ? 1 : outcome.bars().size() + 1;
        return Math.clamp((h - TOP - 6) / rows, 12, ROW);
    }

    private int barAt(double x, double y) {
        if (outcome == null) {
            return -1;
        }
        int i = (int) Math.floor((y - TOP) / rowHeight(getHeight()));
        return y >= TOP && i >= 0 && i < outcome.bars().size() ? i : -1;
    }

    @Override
    protected String hoverText(double x, double y) {
        int i = barAt(x, y);
        if (i < 0) {
            return null;
        }
        DirectLogitAttribution.Contribution c = outcome.bars().get(i);
        return c.label() + ": " + String.format(Locale.ROOT, "%+.4f", c.value())
                + (c.kind() == DirectLogitAttribution.Contribution.Kind.HEAD ? " — click to select the head" : "");
    }

    @Override
    protected void paint(GraphicsContext g, double w, double h) {
        Palette p = palette.get();
        g.setFont(Font.font(11));
        g.setTextBaseline(VPos.CENTER);
        if (outcome == null) {
            return;
        }
        List<DirectLogitAttribution.Contribution> bars = outcome.bars();
        double max = Math.abs(outcome.remainder());
        for (DirectLogitAttribution.Contribution c : bars) {
            max = Math.max(max, Math.abs(c.value()));
        }
        max = Math.max(max, 1e-9);
        double plotLeft = LABEL_WIDTH + VALUE_WIDTH;
        double plotWidth = Math.max(40, w - plotLeft - VALUE_WIDTH - 8);
        double zero = plotLeft + plotWidth / 2;
        double scale = plotWidth / 2 / max;
        g.setFill(p.text());
        g.setTextAlign(TextAlignment.LEFT);
        g.fillText(String.format(Locale.ROOT, "logit of ‘%s’ (%s) at position %d = %.3f   (sum of parts %.3f)",
                outcome.tokenLabel(), outcome.topPrediction() ? "top prediction" : "#" + outcome.token(),
                outcome.position(), outcome.modelLogit(), outcome.reconstructedLogit()), 8, 14);
        int rows = bars.size() + (outcome.others() > 0 ? 1 : 0);
        double rowHeight = rowHeight(h);
        for (int i = 0; i < rows; i++) {
            boolean rest = i == bars.size();
            String label = rest ? outcome.others() + " others" : bars.get(i).label();
            double value = rest ? outcome.remainder() : bars.get(i).value();
            double y = TOP + i * rowHeight;
            Color color = rest ? p.mutedText() : value >= 0 ? Color.web("#d6604d") : Color.web("#4393c3");
            double len = Math.abs(value) * scale;
            double x = value >= 0 ? zero : zero - len;
            g.setFill(color);
            g.fillRect(x, y + 2, Math.max(1, len), rowHeight - 4);
            g.setFill(rest ? p.mutedText() : p.text());
            g.setTextAlign(TextAlignment.RIGHT);
            g.fillText(ellipsize(label, 15), LABEL_WIDTH - 6, y + rowHeight / 2);
            String v = String.format(Locale.ROOT, "%+.3f", value);
            g.setFill(p.mutedText());
            if (value >= 0) {
                g.setTextAlign(TextAlignment.LEFT);
                g.fillText(v, zero + len + 4, y + rowHeight / 2);
            } else {
                g.setTextAlign(TextAlignment.RIGHT);
                g.fillText(v, zero - len - 4, y + rowHeight / 2);
            }
            if (!rest && bars.get(i).kind() == DirectLogitAttribution.Contribution.Kind.HEAD
                    && bars.get(i).layer() == selectedLayer && bars.get(i).head() == selectedHead) {
                g.setStroke(p.selection());
                g.setLineWidth(2);
                g.strokeRect(2, y + 1, w - 4, rowHeight - 2);
            }
        }
        g.setStroke(p.grid());
        g.setLineWidth(1);
        g.strokeLine(zero + 0.5, TOP - 4, zero + 0.5, TOP + rows * rowHeight + 4);
    }
}
