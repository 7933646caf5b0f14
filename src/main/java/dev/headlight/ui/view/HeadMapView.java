package dev.headlight.ui.view;

import dev.headlight.ui.Analysis;
import dev.headlight.ui.ExplorerViewModel;
import dev.headlight.ui.HeadFeatures;
import dev.headlight.ui.Palette;
import javafx.geometry.Point2D;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

import java.util.Locale;

/**
 * Every head as a point: its attention-pattern features projected to 2D, coloured by kind (Okabe–Ito colours,
 * readable with colour-blindness). Click selects the head.
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

    private final ExplorerViewModel vm;
    private int hover = -1;

    public HeadMapView(ExplorerViewModel vm) {
        this.vm = vm;
        palette.bind(vm.paletteProperty());
        vm.analysisProperty().addListener((o, a, b) -> redraw());
        vm.selection().layerProperty().addListener((o, a, b) -> redraw());
        vm.selection().headProperty().addListener((o, a, b) -> redraw());
        setOnMouseClicked(e -> {
            int i = pointAt(e.getX(), e.getY());
            HeadFeatures f = features();
            if (i >= 0) {
                vm.selection().selectHead(i / f.heads(), i % f.heads());
            }
        });
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

    @Override
    public String exportName() {
        return "head-map";
    }

    private HeadFeatures features() {
        Analysis a = vm.analysis();
        return a == null ? null : a.headFeatures();
    }

    /** Where head {@code index} (layer * heads + head) is drawn at size w × h. */
    public Point2D pointPosition(int index) {
        double[] size = exportSize();
        return position(features(), index, size[0], size[1]);
    }

    private Point2D position(HeadFeatures f, int index, double w, double h) {
        double minX = Double.POSITIVE_INFINITY, maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
        for (double[] p : f.positions()) {
            minX = Math.min(minX, p[0]);
            maxX = Math.max(maxX, p[0]);
            minY = Math.min(minY, p[1]);
            maxY = Math.max(maxY, p[1]);
        }
        double spanX = Math.max(1e-9, maxX - minX);
        double spanY = Math.max(1e-9, maxY - minY);
        double[] p = f.positions()[index];
        double left = PAD + 150; // legend column
        double x = left + (p[0] - minX) / spanX * (w - left - PAD - 28); // room for the last label
        double y = h - PAD - (p[1] - minY) / spanY * (h - 2 * PAD - 10);
        return new Point2D(x, y);
    }

    private int pointAt(double x, double y) {
        HeadFeatures f = features();
        if (f == null) {
            return -1;
        }
        int best = -1;
        double bestDistance = RADIUS + 4;
        for (int i = 0; i < f.positions().length; i++) {
            double d = position(f, i, getWidth(), getHeight()).distance(x, y);
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
        if (i < 0) {
            return null;
        }
        HeadFeatures f = features();
        double[] v = f.features()[i];
        StringBuilder values = new StringBuilder();
        for (int j = 0; j < v.length; j++) {
            values.append(j == 0 ? "" : j % 3 == 0 ? "\n" : " · ")
                    .append(String.format(Locale.ROOT, "%s %.2f", f.featureNames()[j], v[j]));
        }
        return "layer " + i / f.heads() + " · head " + i % f.heads() + " — " + f.kindNames()[f.kinds()[i]] + "\n"
                + values;
    }

    @Override
    protected void onHover(double x, double y) {
        int i = x < 0 ? -1 : pointAt(x, y);
        if (i != hover) {
            hover = i;
            redraw();
        }
    }

    @Override
    protected void paint(GraphicsContext g, double w, double h) {
        Palette p = palette.get();
        HeadFeatures f = features();
        if (f == null) {
            ViewText.empty(g, w, h, p, "Heads grouped by what they attend to appear here");
            return;
        }
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
        int[] counts = new int[f.kindNames().length];
        for (int k : f.kinds()) {
            counts[k]++;
        }
        double ly = PAD;
        for (int kind = 0; kind < f.kindNames().length; kind++) {
            g.setFill(kindColor(f, kind));
            g.fillOval(12, ly - 5, 10, 10);
            g.setFill(p.text());
            g.fillText(f.kindNames()[kind] + "  (" + counts[kind] + ")", 28, ly);
            ly += 20;
        }
        int selected = vm.selection().layer() * f.heads() + vm.selection().head();
        g.setFont(Font.font(ViewText.FAMILY, 9));
        java.util.List<javafx.geometry.Rectangle2D> placed = new java.util.ArrayList<>();
        for (int i = 0; i < f.positions().length; i++) {
            Point2D pt = position(f, i, w, h);
            g.setFill(kindColor(f, f.kinds()[i]));
            g.fillOval(pt.getX() - RADIUS, pt.getY() - RADIUS, 2 * RADIUS, 2 * RADIUS);
            g.setStroke(p.background());
            g.setLineWidth(1);
            g.strokeOval(pt.getX() - RADIUS, pt.getY() - RADIUS, 2 * RADIUS, 2 * RADIUS);
            // label "layer.head" where it does not overlap an earlier label
            javafx.geometry.Rectangle2D box = new javafx.geometry.Rectangle2D(pt.getX() + RADIUS + 2, pt.getY() - 6, 24, 12);
            if (placed.stream().noneMatch(b -> b.intersects(box))) {
                placed.add(box);
                g.setFill(p.mutedText());
                g.fillText(i / f.heads() + "." + i % f.heads(), pt.getX() + RADIUS + 2, pt.getY());
            }
        }
        if (selected < f.positions().length) {
            Point2D pt = position(f, selected, w, h);
            g.setStroke(p.selection());
            g.setLineWidth(2);
            g.strokeOval(pt.getX() - RADIUS - 3, pt.getY() - RADIUS - 3, 2 * RADIUS + 6, 2 * RADIUS + 6);
        }
        if (hover >= 0) {
            Point2D pt = position(f, hover, w, h);
            g.setStroke(p.text());
            g.setLineWidth(1);
            g.strokeOval(pt.getX() - RADIUS - 2, pt.getY() - RADIUS - 2, 2 * RADIUS + 4, 2 * RADIUS + 4);
        }
    }
}
