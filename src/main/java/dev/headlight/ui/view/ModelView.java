package dev.headlight.ui.view;

import dev.headlight.ui.Analysis;
import dev.headlight.ui.ColorMap;
import dev.headlight.ui.ExplorerViewModel;
import dev.headlight.ui.Palette;
import dev.headlight.ui.Selection;
import javafx.geometry.Rectangle2D;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

/**
 * Every layer × head as a small attention map (BertViz's model view). Each map is an image with one pixel per
 * (query, key) scaled up without smoothing; the selected head is outlined. Click or arrow keys select a head.
 * Long prompts' maps are pooled off the FX thread, layer by layer (recomputing the layers a memory budget did not
 * keep); a layer shows as grey placeholders until it is ready, and a note under the grid says which layers are
 * recomputed.
 */
public final class ModelView extends CanvasView {
    static final double LEFT = 34;
    static final double TOP = 20;
    static final double GAP = 4;
    static final double SCORE_BAR = 4;
    /** Room on the right for the colour bar and its labels. */
    static final double BAR_AREA = 58;
    /** Longer prompts are pooled to this many pixels per side in the thumbnails. */
    static final int THUMBNAIL_MAX = 128;
    /** Up to this many probabilities in all layers, thumbnails are pooled on the FX thread (no placeholders). */
    static final long POOL_ON_FX_MAX = 1L << 22;
    /** Height of the note line under the grid when some layers are recomputed. */
    static final double NOTE = 18;

    private final ExplorerViewModel vm;
    private final Selection selection;
    private WritableImage[] cells; // [layer * heads + head], rebuilt when the analysis or colours change
    private float[][] pooled;      // [layer * heads + head] -> HeatmapImages.pool of the map; null until pooled
    private volatile dev.headlight.engine.Trace pooledFor; // the pass pooled belongs to
    private int hoverLayer = -1;
    private int hoverHead = -1;

    public ModelView(ExplorerViewModel vm) {
        this.vm = vm;
        this.selection = vm.selection();
        palette.bind(vm.paletteProperty());
        vm.analysisProperty().addListener((o, a, b) -> {
            if (b == null || b.trace() != pooledFor) { // the lens arriving keeps the pass and its thumbnails
                pooledFor = null;
                pooled = null;
            }
            invalidate();
        });
        vm.colorMapProperty().addListener((o, a, b) -> invalidate());
        vm.scaleProperty().addListener((o, a, b) -> invalidate());
        vm.headScoresProperty().addListener((o, a, b) -> redraw());
        selection.layerProperty().addListener((o, a, b) -> redraw());
        selection.headProperty().addListener((o, a, b) -> redraw());
        setOnMouseClicked(e -> {
            int[] lh = headAt(e.getX(), e.getY());
            if (lh != null) {
                selection.selectHead(lh[0], lh[1]);
            }
        });
        setOnKeyPressed(e -> {
            Analysis a = vm.analysis();
            if (a == null) {
                return;
            }
            int l = selection.layer();
            int h = selection.head();
            KeyCode code = e.getCode();
            if (code == KeyCode.UP) {
                l--;
            } else if (code == KeyCode.DOWN) {
                l++;
            } else if (code == KeyCode.LEFT) {
                h--;
            } else if (code == KeyCode.RIGHT) {
                h++;
            } else {
                return;
            }
            selection.selectHead(Math.clamp(l, 0, a.layers() - 1), Math.clamp(h, 0, a.heads() - 1));
            e.consume();
        });
    }

    @Override
    public String exportName() {
        return "model-view";
    }

    private void invalidate() {
        cells = null;
        redraw();
    }

    /** The thumbnails; an entry is null while its layer is still being pooled (or recomputed). */
    private WritableImage[] cells(Analysis a) {
        int heads = a.heads();
        if (pooled == null || pooledFor != a.trace()) {
            pooledFor = a.trace();
            pooled = new float[a.layers() * heads][];
            cells = null;
            pool(a);
        }
        if (cells == null) {
            cells = new WritableImage[a.layers() * heads];
        }
        int masked = toArgb(palette.get().grid());
        for (int i = 0; i < cells.length; i++) {
            if (cells[i] == null && pooled[i] != null) {
                cells[i] = HeatmapImages.ofPooled(pooled[i], vm.colorMapProperty().get(), vm.scaleProperty().get(), 0,
                        masked);
            }
        }
        return cells;
    }

    /**
     * Pools every head's map to a thumbnail: small passes here and now, long ones layer by layer off the FX
     * thread (a layer the budget did not keep is recomputed once for all its heads), repainting as layers come.
     */
    private void pool(Analysis a) {
        boolean here = (long) a.layers() * a.heads() * a.tokens() * a.tokens() <= POOL_ON_FX_MAX;
        dev.headlight.engine.Trace trace = a.trace();
        // layers held now first (kept, or recomputed last by the head scores), so none is recomputed twice
        int[] order = java.util.stream.IntStream.range(0, a.layers()).boxed()
                .sorted(java.util.Comparator.comparing((Integer l) -> !a.mapReady(l)))
                .mapToInt(Integer::intValue).toArray();
        for (int layer : order) {
            float[][] now = here ? poolLayerIfReady(a, layer) : null;
            if (now != null) {
                store(layer, now);
                continue;
            }
            dev.headlight.ui.AttentionLoader.load(dev.headlight.ui.AttentionLoader.Priority.BACKGROUND,
                    () -> pooledFor == trace, () -> poolLayer(a, layer), layerPools -> {
                        if (pooledFor == trace && pooled != null) {
                            store(layer, layerPools);
                            redraw();
                        }
                    }, null);
        }
    }

    private void store(int layer, float[][] layerPools) {
        System.arraycopy(layerPools, 0, pooled, layer * layerPools.length, layerPools.length);
    }

    /** {@link #poolLayer} if the layer's maps can be read at once, else null (never recomputes). */
    private static float[][] poolLayerIfReady(Analysis a, int layer) {
        boolean causal = a.model().info().causal();
        float[][] out = new float[a.heads()][];
        for (int h = 0; h < a.heads(); h++) {
            float[] map = a.mapIfReady(layer, h, false);
            if (map == null) {
                return null;
            }
            out[h] = HeatmapImages.pool(map, a.tokens(), causal, THUMBNAIL_MAX);
        }
        return out;
    }

    /** Each head of a layer pooled: {@code // [head] -> [row][column]}. */
    private static float[][] poolLayer(Analysis a, int layer) {
        boolean causal = a.model().info().causal();
        float[][] out = new float[a.heads()][];
        for (int h = 0; h < a.heads(); h++) {
            out[h] = HeatmapImages.pool(a.map(layer, h, false), a.tokens(), causal, THUMBNAIL_MAX);
        }
        return out;
    }

    /** Whether every thumbnail is ready (none is still being pooled or recomputed). */
    public boolean thumbnailsReady() {
        Analysis a = vm.analysis();
        if (a == null || pooled == null || pooledFor != a.trace()) {
            return false;
        }
        for (float[] p : pooled) {
            if (p == null) {
                return false;
            }
        }
        return true;
    }

    /** Room for the note under the grid: only when some layers are recomputed. */
    private double noteHeight() {
        Analysis a = vm.analysis();
        return a != null && a.attentionNote() != null ? NOTE : 0;
    }

    static int toArgb(Color c) {
        return 0xFF000000 | (int) Math.round(c.getRed() * 255) << 16 | (int) Math.round(c.getGreen() * 255) << 8
                | (int) Math.round(c.getBlue() * 255);
    }

    /** The size of one map, in logical pixels. */
    double cellSize(double w, double h, int layers, int heads) {
        double bar = vm.headScoresProperty().get() != null ? SCORE_BAR + 1 : 0;
        double byWidth = (w - LEFT - 6 - BAR_AREA) / heads - GAP;
        double byHeight = (h - TOP - 6 - noteHeight()) / layers - GAP - bar;
        return Math.max(4, Math.floor(Math.min(byWidth, byHeight)));
    }

    /** Where head (layer, head)'s map is drawn at the view's current size. */
    public Rectangle2D cellBounds(int layer, int head) {
        Analysis a = vm.analysis();
        double[] size = exportSize();
        return cellBounds(a, size[0], size[1], layer, head);
    }

    private Rectangle2D cellBounds(Analysis a, double w, double h, int layer, int head) {
        double cell = cellSize(w, h, a.layers(), a.heads());
        double bar = vm.headScoresProperty().get() != null ? SCORE_BAR + 1 : 0;
        // centre the grid horizontally when the height limits the cell size
        double gridWidth = a.heads() * (cell + GAP);
        double left = Math.max(LEFT, Math.floor((w - BAR_AREA - gridWidth + LEFT) / 2));
        double x = left + head * (cell + GAP);
        double y = TOP + layer * (cell + GAP + bar);
        return new Rectangle2D(x, y, cell, cell);
    }

    private int[] headAt(double x, double y) {
        Analysis a = vm.analysis();
        if (a == null) {
            return null;
        }
        for (int l = 0; l < a.layers(); l++) {
            for (int h = 0; h < a.heads(); h++) {
                if (cellBounds(a, getWidth(), getHeight(), l, h).contains(x, y)) {
                    return new int[]{l, h};
                }
            }
        }
        return null;
    }

    @Override
    protected String hoverText(double x, double y) {
        int[] lh = headAt(x, y);
        if (lh == null) {
            return null;
        }
        Analysis a = vm.analysis();
        String kind = a.headFeatures() == null ? "" : " — " + a.headFeatures().kind(lh[0], lh[1]);
        return "layer " + lh[0] + " · head " + lh[1] + kind;
    }

    @Override
    protected void onHover(double x, double y) {
        int[] lh = x < 0 ? null : headAt(x, y);
        int l = lh == null ? -1 : lh[0];
        int h = lh == null ? -1 : lh[1];
        if (l != hoverLayer || h != hoverHead) {
            hoverLayer = l;
            hoverHead = h;
            redraw();
        }
    }

    @Override
    protected void paint(GraphicsContext g, double w, double h) {
        Palette p = palette.get();
        Analysis a = vm.analysis();
        if (a == null) {
            ViewText.empty(g, w, h, p, "Attention of every layer and head appears here");
            return;
        }
        WritableImage[] images = cells(a);
        int layers = a.layers();
        int heads = a.heads();
        double cell = cellSize(w, h, layers, heads);
        double[][] scores = vm.headScoresProperty().get();
        g.setFont(Font.font(ViewText.FAMILY, 10));
        g.setFill(p.mutedText());
        g.setTextBaseline(VPos.CENTER);
        g.setTextAlign(TextAlignment.CENTER);
        for (int hd = 0; hd < heads; hd++) {
            Rectangle2D r = cellBounds(a, w, h, 0, hd);
            if (cell >= 14 || hd % 2 == 0) {
                g.fillText("H" + hd, r.getMinX() + cell / 2, TOP / 2);
            }
        }
        g.setTextAlign(TextAlignment.RIGHT);
        for (int l = 0; l < layers; l++) {
            Rectangle2D r = cellBounds(a, w, h, l, 0);
            g.fillText("L" + l, r.getMinX() - 6, r.getMinY() + cell / 2);
        }
        for (int l = 0; l < layers; l++) {
            for (int hd = 0; hd < heads; hd++) {
                Rectangle2D r = cellBounds(a, w, h, l, hd);
                WritableImage image = images[l * heads + hd];
                if (image != null) {
                    g.drawImage(image, r.getMinX(), r.getMinY(), cell, cell);
                } else { // still pooling or recomputing this layer
                    g.setFill(p.grid());
                    g.fillRect(r.getMinX(), r.getMinY(), cell, cell);
                }
                if (scores != null && l < scores.length && hd < scores[l].length) {
                    g.setFill(ViewText.color(vm.colorMapProperty().get().argb(scores[l][hd])));
                    g.fillRect(r.getMinX(), r.getMaxY() + 1, cell, SCORE_BAR);
                }
                if (l == hoverLayer && hd == hoverHead) {
                    g.setStroke(p.mutedText());
                    g.setLineWidth(1);
                    g.strokeRect(r.getMinX() - 1.5, r.getMinY() - 1.5, cell + 3, cell + 3);
                }
            }
        }
        Rectangle2D last = cellBounds(a, w, h, layers - 1, heads - 1);
        double barHeight = Math.min(last.getMaxY() - TOP, 220);
        dev.headlight.ui.AttentionScale scale = vm.scaleProperty().get();
        ViewText.colorBar(g, last.getMaxX() + 14, TOP, 10, barHeight, vm.colorMapProperty().get(), scale::valueAt, p,
                null);
        Rectangle2D sel = cellBounds(a, w, h, Math.min(selection.layer(), layers - 1),
                Math.min(selection.head(), heads - 1));
        g.setStroke(p.selection());
        g.setLineWidth(2);
        g.strokeRect(sel.getMinX() - 2, sel.getMinY() - 2, cell + 4, cell + 4);
        String note = a.attentionNote();
        if (note != null) {
            Rectangle2D first = cellBounds(a, w, h, 0, 0);
            g.setFont(Font.font(ViewText.FAMILY, 11));
            g.setFill(p.mutedText());
            g.setTextAlign(TextAlignment.LEFT);
            g.setTextBaseline(VPos.CENTER);
            g.fillText(note, Math.min(first.getMinX(), LEFT), Math.min(h - NOTE / 2, last.getMaxY() + 6 + NOTE / 2));
        }
    }

    /** The note under the grid, or null when every layer's maps are kept. */
    public String note() {
        Analysis a = vm.analysis();
        return a == null ? null : a.attentionNote();
    }

    /** The colour a (query, key) probability gets in this view, for tests and legends. */
    public int colorOf(double probability) {
        ColorMap map = vm.colorMapProperty().get();
        return map.argb(vm.scaleProperty().get().normalize(probability));
    }
}
