package dev.headlight.ui.view;

import dev.headlight.ui.HeadFeatures;
import dev.headlight.ui.HeadMapViewModel;
import dev.headlight.ui.Palette;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Point2D;
import javafx.geometry.Rectangle2D;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

import java.util.ArrayList;
import java.util.List;

/**
 * Every head as a point: its attention-pattern features projected to 2D, coloured by kind (Okabe–Ito colours,
 * readable with colour-blindness), drawn from a {@link HeadMapViewModel}. Click selects the head.
 */
public final class HeadMapView extends CanvasView {
    static final double PAD = 34;
    static final double RADIUS = 6;
    /**
     * Okabe–Ito colours (readable with colour-blindness; its yellow is swapped for Tol's wine, which reads on white),
     * one per kind in legend order; "mixed" is grey.
     */
    static final Color[] KIND_COLORS = {Color.web("#E69F00"), Color.web("#56B4E9"), Color.web("#009E73"),
            Color.web("#CC79A7"), Color.web("#D55E00"), Color.web("#0072B2"), Color.web("#882255"),
            Color.web("#000000")};
    static final Color MIXED = Color.web("#999999");

    private final HeadMapViewModel model;

    public HeadMapView(HeadMapViewModel model, ObservableValue<Palette> windowPalette) {
        super("head-map");
        this.model = model;
        palette.bind(windowPalette);
        model.shownProperty().addListener(o -> redraw());
        model.selectedProperty().addListener(o -> redraw());
        model.hoveredProperty().addListener(o -> redraw());
        setOnMouseClicked(e -> model.select(pointAt(e.getX(), e.getY())));
    }

    /** The colour of kind {@code index} of {@code f}'s legend. */
    public Color kindColor(HeadFeatures f, int index) {
        String name = f.kindNames()[index];
        if (name.equals("mixed")) {
            return MIXED;
        }
        Color c = KIND_COLORS[index % KIND_COLORS.length];
        return c.equals(Color.BLACK) && palette.get().dark() ? Color.WHITE : c;
    }

    /** Where head {@code index} (layer * heads + head) is drawn at the view's size. */
    public Point2D pointPosition(int index) {
        double[] size = exportSize();
        return position(index, size[0], size[1]);
    }

    /** The view model's point in the unit square, placed right of the legend column at size w × h. */
    private Point2D position(int index, double w, double h) {
        double[] p = model.shownProperty().get().points()[index];
        double left = PAD + 150; // legend column
        double x = left + p[0] * (w - left - PAD - 28); // room for the last label
        double y = h - PAD - p[1] * (h - 2 * PAD - 10);
        return new Point2D(x, y);
    }

    /** The head whose point is nearest to (x, y) within a few pixels of its edge, or -1. */
    private int pointAt(double x, double y) {
        int best = -1;
        double bestDistance = RADIUS + 4;
        for (int i = 0; i < model.shownProperty().get().points().length; i++) {
            double d = position(i, getWidth(), getHeight()).distance(x, y);
            if (d < bestDistance) {
                bestDistance = d;
                best = i;
            }
        }
        return best;
    }

    @Override
    protected String hoverText(double x, double y) {
        int i = pointAt(x, y);
        return i < 0 ? null : model.describe(i);
    }

    @Override
    protected void onHover(double x, double y) {
        model.hover(x < 0 ? -1 : pointAt(x, y));
    }

    @Override
    protected String placeholder() {
        return model.shownProperty().get().features() == null ? "Heads grouped by what they attend to appear here" : null;
    }

    @Override
    protected void paint(GraphicsContext g, double w, double h) {
        Palette p = palette.get();
        HeadFeatures f = model.shownProperty().get().features();
        double left = PAD + 150;
        g.setStroke(p.grid());
        g.setLineWidth(1);
        g.strokeLine(left - 10, h - PAD + 10, w - PAD + 10, h - PAD + 10);
        g.strokeLine(left - 10, PAD - 10, left - 10, h - PAD + 10);
        g.setFill(p.mutedText());
        g.setFont(Font.font(ViewText.FAMILY, 10));
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.TOP);
        g.fillText("MDS axis 1", (left + w - PAD) / 2, h - PAD + 14);
        g.save();
        g.translate(left - 24, (h) / 2);
        g.rotate(-90);
        g.fillText("MDS axis 2", 0, 0);
        g.restore();
        // legend
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.CENTER);
        g.setFont(Font.font(ViewText.FAMILY, 11));
        double ly = PAD;
        List<HeadMapViewModel.LegendEntry> legend = model.shownProperty().get().legend();
        for (int kind = 0; kind < legend.size(); kind++) {
            g.setFill(kindColor(f, kind));
            g.fillOval(12, ly - 5, 10, 10);
            g.setFill(p.text());
            g.fillText(legend.get(kind).kind() + "  (" + legend.get(kind).count() + ")", 28, ly);
            ly += 20;
        }
        g.setFont(Font.font(ViewText.FAMILY, 9));
        List<Rectangle2D> placed = new ArrayList<>();
        for (int i = 0; i < model.shownProperty().get().points().length; i++) {
            Point2D pt = position(i, w, h);
            g.setFill(kindColor(f, f.kinds()[i]));
            g.fillOval(pt.getX() - RADIUS, pt.getY() - RADIUS, 2 * RADIUS, 2 * RADIUS);
            g.setStroke(p.background());
            g.setLineWidth(1);
            g.strokeOval(pt.getX() - RADIUS, pt.getY() - RADIUS, 2 * RADIUS, 2 * RADIUS);
            // label "layer.head" where it does not overlap an earlier label
            // right of the selection ring (RADIUS + 3), so the selected head's label stays readable
            Rectangle2D box = new Rectangle2D(pt.getX() + RADIUS + 5, pt.getY() - 6, 24, 12);
            if (placed.stream().noneMatch(b -> b.intersects(box))) {
                placed.add(box);
                g.setFill(p.mutedText());
                g.fillText(model.label(i), box.getMinX(), pt.getY());
            }
        }
        ring(g, model.selectedProperty().get(), 3, p.selection(), 2, w, h);
        ring(g, model.hoveredProperty().get(), 2, p.text(), 1, w, h);
    }

    /** A ring {@code gap} px outside head {@code index}'s point (none for -1): the selected or hovered head. */
    private void ring(GraphicsContext g, int index, double gap, Color color, double width, double w, double h) {
        if (index < 0) {
            return;
        }
        Point2D pt = position(index, w, h);
        double r = RADIUS + gap;
        g.setStroke(color);
        g.setLineWidth(width);
        g.strokeOval(pt.getX() - r, pt.getY() - r, 2 * r, 2 * r);
    }
}
