package dev.headlight.ui.view;

import dev.headlight.ui.Analysis;
import dev.headlight.ui.AttentionScale;
import dev.headlight.ui.ExplorerViewModel;
import dev.headlight.ui.HeadViewModel;
import dev.headlight.ui.Palette;
import dev.headlight.ui.Selection;
import javafx.geometry.Rectangle2D;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;

import java.util.Locale;

/**
 * The selected head (or the mean of its layer's heads) as a large heatmap with token labels on both axes and a
 * colour bar, or as BertViz-style lines from query tokens (left) to key tokens (right).
 */
public final class HeadView extends CanvasView {
    static final double TITLE = 26;
    static final double BAR_AREA = 70;
    static final double PAD = 10;
    /** Longer prompts' heatmaps are pooled to this many pixels per side. */
    static final int IMAGE_MAX = 1024;

    private final ExplorerViewModel vm;
    private final HeadViewModel model;
    private final Selection selection;
    private WritableImage image;   // [query][key] pixels of the shown map

    public HeadView(ExplorerViewModel vm, HeadViewModel model) {
        super("head");
        this.vm = vm;
        this.model = model;
        this.selection = vm.selection();
        palette.bind(vm.paletteProperty());
        Runnable rebuild = () -> {
            image = null;
            redraw();
        };
        // the view model fetches the map of the selection; the image follows it
        model.shownMapProperty().addListener((o, a, b) -> rebuild.run());
        vm.analysisProperty().addListener((o, a, b) -> rebuild.run());
        vm.colorMapProperty().addListener((o, a, b) -> rebuild.run());
        vm.scaleProperty().addListener((o, a, b) -> rebuild.run());
        selection.layerProperty().addListener((o, a, b) -> rebuild.run());
        selection.headProperty().addListener((o, a, b) -> rebuild.run());
        model.layerMeanProperty().addListener((o, a, b) -> rebuild.run());
        model.thresholdProperty().addListener((o, a, b) -> rebuild.run());
        redrawOnChange(model.modeProperty(), selection.queryProperty(), selection.keyProperty());
        // arrows move the query (up/down) and key (left/right) tokens
        setOnKeyPressed(e -> {
            Analysis a = vm.analysis();
            if (a == null) {
                return;
            }
            int last = a.tokens() - 1;
            int q = selection.query() < 0 ? last : selection.query();
            int k = selection.key() < 0 ? q : selection.key();
            switch (e.getCode()) {
                case UP -> selection.queryProperty().set(Math.max(0, q - 1));
                case DOWN -> selection.queryProperty().set(Math.min(last, q + 1));
                case LEFT -> selection.keyProperty().set(Math.max(0, k - 1));
                case RIGHT -> selection.keyProperty().set(Math.min(last, k + 1));
                default -> {
                    return;
                }
            }
            e.consume();
        });
        setOnMouseClicked(e -> {
            if (e.getButton() != javafx.scene.input.MouseButton.PRIMARY) {
                return; // a right-click opens the context menu and leaves the selection where it is
            }
            int[] qk = tokenPairAt(e.getX(), e.getY());
            if (qk != null) {
                if (qk[0] >= 0) {
                    selection.queryProperty().set(qk[0]);
                }
                selection.keyProperty().set(qk[1]);
            }
        });
    }

    /** The cached image has the palette's masked-cell colour baked in. */
    @Override
    protected void paletteChanged() {
        image = null;
    }

    @Override
    public String exportName() {
        return super.exportName() + "-" + selection.layer() + "-" + (model.layerMeanProperty().get() ? "mean" : selection.head());
    }

    /**
     * The map shown now: // [query][key]; null while it is being recomputed (its layer's maps were not kept
     * under the memory budget): the view then shows a placeholder and repaints when the map arrives.
     */
    public float[] shownMap() {
        return model.shownMap();
    }

    private WritableImage image(Analysis a) {
        if (image == null) {
            int masked = ModelView.toArgb(palette.get().grid());
            boolean causal = a.model().info().causal();
            double threshold = model.thresholdProperty().get();
            // past IMAGE_MAX tokens a pixel is smaller than a screen pixel anyway: pooled (block maxima), the
            // image stays within 4 MB and thin diagonals stay visible
            image = a.tokens() <= IMAGE_MAX
                    ? HeatmapImages.of(shownMap(), a.tokens(), vm.colorMapProperty().get(), vm.scaleProperty().get(),
                    threshold, causal, masked)
                    : HeatmapImages.ofPooled(HeatmapImages.pool(shownMap(), a.tokens(), causal, IMAGE_MAX),
                    vm.colorMapProperty().get(), vm.scaleProperty().get(), threshold, masked);
        }
        return image;
    }

    /** Widest token label per (prompt ids, font size): a few entries, cleared when it grows. */
    private final java.util.Map<java.util.List<Object>, Double> labelWidths = new java.util.HashMap<>();

    /** The token labels' font for cells {@code cell} logical units high, never under 7 output pixels. */
    private Font labelFont(double cell, int scale) {
        return Font.font(ViewText.FAMILY, Math.clamp(cell * 0.8, MIN_LABEL_FONT / scale, 12));
    }

    private double labelWidth(Analysis a, Font font) {
        // measured once per prompt and font size: measuring every label on every paint and hover took ~0.7 ms per
        // token on the FX thread (300 ms at 460 tokens)
        java.util.List<Object> key = java.util.List.of(a.ids(), font.getSize());
        Double known = labelWidths.get(key);
        if (known != null) {
            return known;
        }
        if (labelWidths.size() > 8) {
            labelWidths.clear();
        }
        double max = 0;
        for (int t = 0; t < a.tokens(); t++) {
            max = Math.max(max, ViewText.width(ellipsize(a.label(t), 14), font));
        }
        double width = Math.min(max + 8, 110);
        labelWidths.put(key, width);
        return width;
    }

    /** The heatmap's square at view size {@code w × h}. */
    public Rectangle2D heatmapBounds() {
        double[] size = exportSize();
        return heatmapBounds(vm.analysis(), size[0], size[1]);
    }

    private Rectangle2D heatmapBounds(Analysis a, double w, double h) {
        int tokens = a.tokens();
        // label size depends on the cell size: settle it in two rounds
        double guess = Math.max(1, Math.min(w - 100 - BAR_AREA, h - TITLE - 100) / tokens);
        double labels = labelWidth(a, labelFont(guess, 1));
        double side = Math.max(20, Math.min(w - labels - BAR_AREA - PAD, h - TITLE - labels - PAD));
        double cell = Math.max(1, Math.floor(side / tokens));
        side = cell * tokens;
        labels = labelWidth(a, labelFont(cell, 1));
        double x = Math.max(labels, (w - BAR_AREA - side + labels) / 2);
        return new Rectangle2D(Math.floor(x), Math.floor(TITLE + labels), side, side);
    }

    private int[] tokenPairAt(double x, double y) {
        Analysis a = vm.analysis();
        if (a == null) {
            return null;
        }
        int tokens = a.tokens();
        if (model.modeProperty().get() == HeadViewModel.Mode.LINES) {
            double[] lay = linesLayout(a, getWidth(), getHeight());
            int row = (int) Math.floor((y - lay[0]) / lay[1]);
            if (row < 0 || row >= tokens) {
                return null;
            }
            return x < getWidth() / 2 ? new int[]{row, -1} : new int[]{-1, row};
        }
        Rectangle2D r = heatmapBounds(a, getWidth(), getHeight());
        if (!r.contains(x, y)) {
            return null;
        }
        double cell = r.getWidth() / tokens;
        int q = Math.min(tokens - 1, (int) ((y - r.getMinY()) / cell));
        int k = Math.min(tokens - 1, (int) ((x - r.getMinX()) / cell));
        return new int[]{q, k};
    }

    @Override
    protected String hoverText(double x, double y) {
        int[] qk = tokenPairAt(x, y);
        Analysis a = vm.analysis();
        if (qk == null || qk[0] < 0 || qk[1] < 0) {
            return null;
        }
        float[] map = shownMap();
        if (map == null) {
            return null;
        }
        float p = map[qk[0] * a.tokens() + qk[1]];
        return String.format(Locale.ROOT, "query %d ‘%s’ → key %d ‘%s’: %.4f", qk[0], a.label(qk[0]), qk[1],
                a.label(qk[1]), p);
    }

    private String title(Analysis a) {
        String what = model.layerMeanProperty().get()
                ? "Layer " + selection.layer() + " · mean of " + a.heads() + " heads"
                : "Layer " + selection.layer() + " · Head " + selection.head();
        if (!model.layerMeanProperty().get() && a.headFeatures() != null) {
            what += "  —  " + a.headFeatures().kind(selection.layer(), selection.head());
        }
        return what;
    }

    @Override
    protected void paint(GraphicsContext g, double w, double h) {
        Palette p = palette.get();
        Analysis a = vm.analysis();
        if (a == null) {
            ViewText.empty(g, w, h, p, "The selected head appears here");
            return;
        }
        g.setFill(p.text());
        g.setFont(Font.font(ViewText.FAMILY, FontWeight.BOLD, 13));
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.CENTER);
        g.fillText(title(a), PAD, TITLE / 2);
        if (shownMap() == null) {
            ViewText.empty(g, w, h, p, a.recomputed(selection.layer())
                    ? "Recomputing the attention of layer " + selection.layer()
                    + " (its maps are not kept under the memory budget)…"
                    : "Reading the attention of layer " + selection.layer() + "…");
        } else if (model.modeProperty().get() == HeadViewModel.Mode.LINES) {
            paintLines(g, a, w, h, p);
        } else {
            paintHeatmap(g, a, w, h, p);
        }
    }

    private void paintHeatmap(GraphicsContext g, Analysis a, double w, double h, Palette p) {
        int tokens = a.tokens();
        Rectangle2D r = heatmapBounds(a, w, h);
        double cell = r.getWidth() / tokens;
        g.drawImage(image(a), r.getMinX(), r.getMinY(), r.getWidth(), r.getHeight());
        // the layout keeps the screen's label room; an export at 2x/4x draws every label it has room for in
        // output pixels (a smaller logical font, no thinning down to 9/scale units per row)
        int pixels = outputScale();
        g.setFont(labelFont(cell, pixels));
        int every = labelEvery(cell, pixels);
        // exports leave the selection marks out
        int query = exporting() ? -1 : selection.query();
        int key = exporting() ? -1 : selection.key();
        // query labels on the left, key labels above (rotated)
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.CENTER);
        for (int t = 0; t < tokens; t++) {
            if (!labelled(t, every, query)) {
                continue;
            }
            g.setFill(t == query ? p.selection() : a.special()[t] ? p.accent() : p.text());
            g.fillText(ellipsize(a.label(t), 14), r.getMinX() - 4, r.getMinY() + (t + 0.5) * cell);
        }
        g.save();
        g.setTextAlign(TextAlignment.LEFT);
        for (int t = 0; t < tokens; t++) {
            if (!labelled(t, every, key)) {
                continue;
            }
            g.save();
            g.translate(r.getMinX() + (t + 0.5) * cell, r.getMinY() - 4);
            g.rotate(-90);
            g.setFill(t == key ? p.selection() : a.special()[t] ? p.accent() : p.text());
            g.fillText(ellipsize(a.label(t), 14), 0, 0);
            g.restore();
        }
        g.restore();
        g.setStroke(p.selection());
        g.setLineWidth(1.5);
        if (query >= 0 && query < tokens) {
            g.strokeRect(r.getMinX() - 0.75, r.getMinY() + query * cell - 0.75, r.getWidth() + 1.5, cell + 1.5);
        }
        if (key >= 0 && key < tokens) {
            g.strokeRect(r.getMinX() + key * cell - 0.75, r.getMinY() - 0.75, cell + 1.5, r.getHeight() + 1.5);
        }
        AttentionScale scale = vm.scaleProperty().get();
        double barHeight = Math.min(r.getHeight(), 260);
        ViewText.colorBar(g, r.getMaxX() + 16, r.getMinY() + (r.getHeight() - barHeight) / 2, 14, barHeight,
                vm.colorMapProperty().get(), scale::valueAt, p, scale == AttentionScale.LOG ? "log p" : "p");
    }

    /** {top, row height, left column x, right column x} for lines mode. */
    private double[] linesLayout(Analysis a, double w, double h) {
        int tokens = a.tokens();
        double row = Math.clamp((h - TITLE - PAD) / tokens, 4, 20);
        double top = TITLE + Math.max(PAD, (h - TITLE - row * tokens) / 2);
        return new double[]{top, row, w * 0.32, w * 0.68};
    }

    private void paintLines(GraphicsContext g, Analysis a, double w, double h, Palette p) {
        int tokens = a.tokens();
        double[] lay = linesLayout(a, w, h);
        double top = lay[0], row = lay[1], left = lay[2], right = lay[3];
        float[] map = shownMap();
        double threshold = model.thresholdProperty().get();
        int query = selection.query();
        Color line = p.accent();
        g.setLineWidth(Math.clamp(row / 5, 1, 3));
        for (int q = 0; q < tokens; q++) {
            if (query >= 0 && q != query) {
                continue;
            }
            for (int k = 0; k < tokens; k++) {
                double v = map[q * tokens + k];
                if (v <= threshold || v < 0.005) {
                    continue;
                }
                double alpha = Math.clamp(vm.scaleProperty().get().normalize(v), 0, 1) * (query >= 0 ? 1 : 0.6);
                g.setStroke(line.deriveColor(0, 1, 1, alpha));
                g.strokeLine(left + 6, top + (q + 0.5) * row, right - 6, top + (k + 0.5) * row);
            }
        }
        Font font = Font.font(ViewText.FAMILY, Math.clamp(row * 0.75, 7, 13));
        g.setFont(font);
        g.setTextBaseline(VPos.CENTER);
        for (int t = 0; t < tokens; t++) {
            double y = top + (t + 0.5) * row;
            g.setTextAlign(TextAlignment.RIGHT);
            g.setFill(t == query && !exporting() ? p.selection() : a.special()[t] ? p.accent() : p.text());
            g.fillText(ellipsize(a.label(t), 18), left, y);
            g.setTextAlign(TextAlignment.LEFT);
            g.setFill(t == selection.key() && !exporting() ? p.selection() : a.special()[t] ? p.accent() : p.text());
            g.fillText(ellipsize(a.label(t), 18), right, y);
        }
        g.setFill(p.mutedText());
        g.setFont(Font.font(ViewText.FAMILY, 10));
        g.setTextAlign(TextAlignment.RIGHT);
        g.fillText("query", left, top - 10);
        g.setTextAlign(TextAlignment.LEFT);
        g.fillText("key", right, top - 10);
    }
}
