package dev.headlight.ui.view;

import dev.headlight.analysis.circuits.CompositionGraph.Edge;
import dev.headlight.analysis.circuits.CompositionGraph.Kind;
import dev.headlight.ui.CircuitsViewModel;
import dev.headlight.ui.Diverging;
import dev.headlight.ui.ExplorerViewModel;
import dev.headlight.ui.Palette;
import javafx.collections.ListChangeListener;
import javafx.geometry.Point2D;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The composition graph: every head a node (rows = layers from layer 0 at the top, columns = heads), filled by its
 * copying score (red copies, blue suppresses), and an edge for each composition score at or above the threshold,
 * coloured by kind (Q, K, V) and as thick as its score. Edges into or out of the selected head are drawn solid,
 * the others faint. Click a node to select the head, an edge to select the pair. A low threshold on a large model
 * passes tens of thousands of pairs (GPT-2 small: 28,512 scores): only the strongest {@value #MAX_FAINT_EDGES}
 * are drawn faint (the legend says so), with every edge of the selected head and the picked pair, so a repaint
 * stays a few milliseconds on the FX thread and the renderer.
 */
public final class CircuitGraphView extends CanvasView {
    private static final double LEFT = 30;
    private static final double TOP = 18;
    private static final double BOTTOM = 22;
    private static final double RIGHT = 10;
    /** Sideways bend of each kind's curve, as a fraction of the edge's length: the three kinds of a pair apart. */
    private static final double[] BEND = {-0.16, 0.06, 0.28};
    /** Points per curve for hit testing (drawing uses the canvas's own quadratic curve). */
    private static final int CURVE_STEPS = 24;
    /** The most edges drawn faint (not touching the selected head), strongest first. */
    static final int MAX_FAINT_EDGES = 400;

    private final CircuitsViewModel circuits;
    private final ExplorerViewModel vm;

    public CircuitGraphView(ExplorerViewModel vm, CircuitsViewModel circuits) {
        super("circuits-graph");
        this.vm = vm;
        this.circuits = circuits;
        palette.bind(vm.paletteProperty());
        circuits.edges().addListener((ListChangeListener<Edge>) c -> {
            strongest = null;
            redraw();
        });
        redrawOnChange(circuits.evidenceProperty(), circuits.selectedPairProperty(), circuits.statusProperty(),
                vm.selection().layerProperty(), vm.selection().headProperty());
        setOnMouseClicked(e -> {
            int[] node = nodeAt(e.getX(), e.getY());
            if (node != null) {
                circuits.selectHead(node[0], node[1]);
                return;
            }
            Edge edge = edgeAt(e.getX(), e.getY());
            if (edge != null) {
                circuits.selectPair(edge.fromLayer(), edge.fromHead(), edge.toLayer(), edge.toHead());
            }
        });
    }

    /** The colour of a composition kind's edges on this palette (Okabe–Ito: blue, vermillion, bluish green). */
    public static Color kindColor(Kind kind, boolean dark) {
        return (dark ? KIND_DARK : KIND_LIGHT)[kind.ordinal()];
    }

    // parsed once: a repaint strokes every edge, and parsing a colour per edge showed up in the FX thread's stalls
    private static final Color[] KIND_LIGHT = {Color.web("#0072B2"), Color.web("#D55E00"), Color.web("#009E73")};
    private static final Color[] KIND_DARK = {Color.web("#56B4E9"), Color.web("#F0A050"), Color.web("#3FCFA0")};
    private static final Color[] FAINT_LIGHT = faint(KIND_LIGHT);
    private static final Color[] FAINT_DARK = faint(KIND_DARK);

    private static Color[] faint(Color[] kinds) {
        Color[] out = new Color[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
            out[i] = kinds[i].deriveColor(0, 1, 1, 0.3);
        }
        return out;
    }

    /** The strongest {@value #MAX_FAINT_EDGES} edges; null until the next paint after the edges change. */
    private List<Edge> strongest;

    private int layers() {
        var e = circuits.evidenceProperty().get();
        return e == null ? 0 : e.circuits().layers();
    }

    private int heads() {
        var e = circuits.evidenceProperty().get();
        return e == null ? 0 : e.circuits().heads();
    }

    /** Where head (layer, head)'s node is drawn at the view's current size. */
    public Point2D nodeCenter(int layer, int head) {
        double[] size = exportSize();
        return center(size[0], size[1], layer, head);
    }

    private Point2D center(double w, double h, int layer, int head) {
        double cw = (w - LEFT - RIGHT) / Math.max(1, heads());
        double ch = (h - TOP - BOTTOM) / Math.max(1, layers());
        return new Point2D(LEFT + (head + 0.5) * cw, TOP + (layer + 0.5) * ch);
    }

    private double radius(double w, double h) {
        double cw = (w - LEFT - RIGHT) / Math.max(1, heads());
        double ch = (h - TOP - BOTTOM) / Math.max(1, layers());
        return Math.clamp(Math.min(cw, ch) * 0.22, 2.5, 13);
    }

    /** An edge's quadratic Bézier, bent sideways by its kind: {from x, y, control x, y, to x, y}. */
    private double[] bezier(double w, double h, Edge e) {
        Point2D a = center(w, h, e.fromLayer(), e.fromHead());
        Point2D b = center(w, h, e.toLayer(), e.toHead());
        double dx = b.getX() - a.getX();
        double dy = b.getY() - a.getY();
        double bend = BEND[e.kind().ordinal()];
        return new double[]{a.getX(), a.getY(), (a.getX() + b.getX()) / 2 - dy * bend,
                (a.getY() + b.getY()) / 2 + dx * bend, b.getX(), b.getY()};
    }

    /** Points along an edge's curve. */
    private Point2D[] curve(double w, double h, Edge e) {
        double[] q = bezier(w, h, e);
        Point2D[] out = new Point2D[CURVE_STEPS + 1];
        for (int i = 0; i <= CURVE_STEPS; i++) {
            double t = i / (double) CURVE_STEPS;
            double u = 1 - t;
            out[i] = new Point2D(u * u * q[0] + 2 * u * t * q[2] + t * t * q[4],
                    u * u * q[1] + 2 * u * t * q[3] + t * t * q[5]);
        }
        return out;
    }

    /** The middle of an edge's curve at the view's current size (where a click selects it). */
    public Point2D edgeMidpoint(Edge e) {
        double[] size = exportSize();
        return curve(size[0], size[1], e)[CURVE_STEPS / 2];
    }

    private int[] nodeAt(double x, double y) {
        double r = radius(getWidth(), getHeight()) + 3;
        for (int l = 0; l < layers(); l++) {
            for (int h = 0; h < heads(); h++) {
                if (center(getWidth(), getHeight(), l, h).distance(x, y) <= r) {
                    return new int[]{l, h};
                }
            }
        }
        return null;
    }

    /** The edge whose curve passes nearest (within a few pixels) to (x, y), or null. */
    private Edge edgeAt(double x, double y) {
        Edge best = null;
        double bestDistance = Double.MAX_VALUE;
        for (Edge e : drawnEdges()) {
            Point2D[] pts = curve(getWidth(), getHeight(), e);
            for (int i = 0; i < CURVE_STEPS; i++) {
                double d = segmentDistance(pts[i], pts[i + 1], x, y);
                if (d < bestDistance && d <= 4 + width(e) / 2) {
                    bestDistance = d;
                    best = e;
                }
            }
        }
        return best;
    }

    private static double segmentDistance(Point2D a, Point2D b, double x, double y) {
        double dx = b.getX() - a.getX();
        double dy = b.getY() - a.getY();
        double len = dx * dx + dy * dy;
        double t = len == 0 ? 0 : Math.clamp(((x - a.getX()) * dx + (y - a.getY()) * dy) / len, 0, 1);
        return Math.hypot(a.getX() + t * dx - x, a.getY() + t * dy - y);
    }

    private static double width(Edge e) {
        return 0.8 + 7 * e.score();
    }

    @Override
    protected String hoverText(double x, double y) {
        int[] node = nodeAt(x, y);
        var ev = circuits.evidenceProperty().get();
        if (node != null && ev != null) {
            var copying = ev.copying()[node[0]][node[1]].score();
            return "L" + node[0] + " H" + node[1] + " — " + ev.kinds()[node[0]][node[1]].label() + "\ncopying score "
                    + (copying.isPresent() ? String.format(Locale.ROOT, "%.3f", copying.getAsDouble())
                    : "null (needs a linear unembedding)");
        }
        Edge e = edgeAt(x, y);
        if (e == null) {
            return null;
        }
        return String.format(Locale.ROOT, "%s-composition %.3f: L%d H%d's output feeds the %s of L%d H%d",
                e.kind(), e.score(), e.fromLayer(), e.fromHead(), e.kind().reads(), e.toLayer(), e.toHead());
    }

    @Override
    protected String placeholder() {
        if (circuits.evidenceProperty().get() != null) {
            return null;
        }
        String status = circuits.statusProperty().get();
        return status == null || status.isEmpty() ? "The composition graph of the open model appears here" : status;
    }

    @Override
    protected void paint(GraphicsContext g, double w, double h) {
        Palette p = palette.get();
        var ev = circuits.evidenceProperty().get();
        int layers = layers();
        int heads = heads();
        double r = radius(w, h);
        int selLayer = vm.selection().layer();
        int selHead = vm.selection().head();
        var pair = circuits.selectedPairProperty().get().composition();
        // faint edges first, then those of the selected head on top
        List<Edge> drawn = drawnEdges();
        for (int pass = 0; pass < 2; pass++) {
            for (Edge e : drawn) {
                boolean touches = touches(e, selLayer, selHead);
                if (touches != (pass == 1)) {
                    continue;
                }
                boolean picked = pair != null && pair.fromLayer() == e.fromLayer() && pair.fromHead() == e.fromHead()
                        && pair.toLayer() == e.toLayer() && pair.toHead() == e.toHead();
                double[] q = bezier(w, h, e);
                if (picked && !exporting()) {
                    g.setStroke(p.text());
                    g.setLineWidth(width(e) + 3);
                    strokeCurve(g, q);
                }
                g.setStroke(touches ? kindColor(e.kind(), p.dark())
                        : (p.dark() ? FAINT_DARK : FAINT_LIGHT)[e.kind().ordinal()]);
                g.setLineWidth(width(e));
                strokeCurve(g, q);
            }
        }
        g.setFont(Font.font(ViewText.FAMILY, 10));
        g.setTextBaseline(VPos.CENTER);
        double cellW = (w - LEFT - RIGHT) / heads;
        double cellH = (h - TOP - BOTTOM) / layers;
        int headStep = ModelView.labelStep(cellW, ViewText.width("H" + (heads - 1), g.getFont()) + 4);
        int layerStep = ModelView.labelStep(cellH, 11);
        g.setFill(p.mutedText());
        g.setTextAlign(TextAlignment.CENTER);
        for (int hd = 0; hd < heads; hd += headStep) {
            g.fillText("H" + hd, center(w, h, 0, hd).getX(), TOP / 2);
        }
        g.setTextAlign(TextAlignment.RIGHT);
        for (int l = 0; l < layers; l += layerStep) {
            g.fillText("L" + l, LEFT - 6, center(w, h, l, 0).getY());
        }
        for (int l = 0; l < layers; l++) {
            for (int hd = 0; hd < heads; hd++) {
                Point2D c = center(w, h, l, hd);
                var copying = ev.copying()[l][hd].score();
                g.setFill(copying.isPresent() ? Diverging.color(copying.getAsDouble(), 1) : p.grid());
                g.fillOval(c.getX() - r, c.getY() - r, 2 * r, 2 * r);
                g.setStroke(p.mutedText());
                g.setLineWidth(1);
                g.strokeOval(c.getX() - r, c.getY() - r, 2 * r, 2 * r);
            }
        }
        if (!exporting()) {
            Point2D c = center(w, h, Math.min(selLayer, layers - 1), Math.min(selHead, heads - 1));
            g.setStroke(p.selection());
            g.setLineWidth(2.5);
            g.strokeOval(c.getX() - r - 3, c.getY() - r - 3, 2 * r + 6, 2 * r + 6);
        }
        legend(g, w, h, p);
    }

    private static boolean touches(Edge e, int layer, int head) {
        return (e.fromLayer() == layer && e.fromHead() == head) || (e.toLayer() == layer && e.toHead() == head);
    }

    /**
     * The edges a paint draws: the strongest {@value #MAX_FAINT_EDGES} (kept until the edges change), every edge
     * of the selected head and the picked pair's; weakest first, so strong ones end on top.
     */
    private List<Edge> drawnEdges() {
        List<Edge> edges = circuits.edges();
        if (strongest == null) {
            strongest = strongest(edges, MAX_FAINT_EDGES);
        }
        int selLayer = vm.selection().layer();
        int selHead = vm.selection().head();
        var pair = circuits.selectedPairProperty().get().composition();
        List<Edge> out = new ArrayList<>(strongest);
        Set<Edge> drawn = Collections.newSetFromMap(new IdentityHashMap<>());
        drawn.addAll(strongest);
        for (Edge e : edges) {
            boolean picked = pair != null && pair.fromLayer() == e.fromLayer() && pair.fromHead() == e.fromHead()
                    && pair.toLayer() == e.toLayer() && pair.toHead() == e.toHead();
            if ((touches(e, selLayer, selHead) || picked) && !drawn.contains(e)) {
                out.add(e);
            }
        }
        out.sort(Comparator.comparingDouble(Edge::score));
        return out;
    }

    /** The {@code n} highest-scoring edges, in no order: a primitive sort of the scores finds the cut. */
    private static List<Edge> strongest(List<Edge> edges, int n) {
        if (edges.size() <= n) {
            return new ArrayList<>(edges);
        }
        double[] scores = new double[edges.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = edges.get(i).score();
        }
        Arrays.sort(scores);
        double cut = scores[scores.length - n];
        List<Edge> out = new ArrayList<>(n);
        for (Edge e : edges) {
            if (e.score() > cut) {
                out.add(e);
            }
        }
        for (int i = 0; i < edges.size() && out.size() < n; i++) {
            if (edges.get(i).score() == cut) {
                out.add(edges.get(i));
            }
        }
        return out;
    }

    /** One edge as one quadratic curve: the canvas records a single path segment, the renderer flattens it. */
    private static void strokeCurve(GraphicsContext g, double[] q) {
        g.beginPath();
        g.moveTo(q[0], q[1]);
        g.quadraticCurveTo(q[2], q[3], q[4], q[5]);
        g.stroke();
    }

    /** The line under the graph: the kinds' colours, the threshold, the node colour's meaning. */
    private void legend(GraphicsContext g, double w, double h, Palette p) {
        // its own strip: on a large model the bent edges of the last layers reach below the last row of nodes
        g.setFill(p.background());
        g.fillRect(0, h - BOTTOM, w, BOTTOM);
        double y = h - BOTTOM / 2;
        double x = 8;
        g.setFont(Font.font(ViewText.FAMILY, 11));
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.CENTER);
        for (Kind k : Kind.values()) {
            if (!circuits.shown(k)) {
                continue;
            }
            g.setStroke(kindColor(k, p.dark()));
            g.setLineWidth(3);
            g.strokeLine(x, y, x + 14, y);
            g.setFill(p.text());
            g.fillText(k.name(), x + 17, y);
            x += 34;
        }
        g.setFill(p.mutedText());
        int edges = circuits.edges().size();
        // the selected head's edges are drawn too, solid: the count says how many faint ones were left out
        String count = edges > MAX_FAINT_EDGES ? "top " + MAX_FAINT_EDGES + " of " + edges : String.valueOf(edges);
        String text = String.format(Locale.ROOT, "edges: score ≥ %.2f (%s)   nodes: copying score ",
                circuits.thresholdProperty().get(), count);
        g.fillText(text, x + 4, y);
        double bx = x + 4 + ViewText.width(text, g.getFont());
        for (int i = 0; i < 3; i++) {
            g.setFill(Diverging.color(i - 1, 1));
            g.fillOval(bx + i * 30, y - 5, 10, 10);
            g.setStroke(p.mutedText());
            g.setLineWidth(1);
            g.strokeOval(bx + i * 30, y - 5, 10, 10);
            g.setFill(p.mutedText());
            g.fillText(i == 0 ? "-1" : i == 1 ? "0" : "+1", bx + i * 30 + 12, y);
        }
    }
}
