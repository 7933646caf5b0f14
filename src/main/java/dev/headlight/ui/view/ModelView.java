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

import java.util.ArrayList;
import java.util.List;

/**
 * Every layer × head as a small attention map (BertViz's model view). Each map is an image with one pixel per
 * (query, key) scaled up without smoothing; the selected head is outlined. Click or arrow keys select a head.
 * All but tiny passes are pooled and coloured off the FX thread (recomputing the layers a memory budget did not
 * keep, layer by layer); until a layer is ready it shows the previous prompt's thumbnails, or grey placeholders, and
 * a note under the grid says which layers are recomputed.
 */
public final class ModelView extends CanvasView {
    static final double LEFT = 34;
    static final double TOP = 20;
    static final double GAP = 4;
    static final double SCORE_BAR = 4;
    /** Room on the right for the colour bar and its labels. */
    static final double BAR_AREA = 58;
    /** Longer prompts are pooled to this many pixels per side in the thumbnails (fewer with over 32 heads). */
    static final int THUMBNAIL_MAX = 128;
    /**
     * Up to this many probabilities in all layers, thumbnails are pooled on the FX thread (tiny models: no job, no
     * placeholder); beyond, off it: pooling and colouring TinyLlama's 704 maps of 64 tokens took 150-250 ms of the FX
     * thread.
     */
    static final long POOL_ON_FX_MAX = 1L << 16;
    /** Height of the note line under the grid when some layers are recomputed. */
    static final double NOTE = 18;

    private final ExplorerViewModel vm;
    private final Selection selection;
    /** The pass {@link #thumbnails} belong to; compared by identity. */
    private volatile dev.headlight.engine.Trace pooledFor;
    private LayerThumbnails[] thumbnails; // [layer] for pooledFor; an entry is null while its layer is pooled
    /**
     * [layer] what is drawn: one image per layer, every head side by side ({@link HeatmapImages#layerRow}). While a
     * new pass's layer is being pooled its entry still shows the previous pass's thumbnails (same grid), so typing
     * does not flash placeholders.
     */
    private WritableImage[] images;
    private LayerThumbnails[] imageSources; // [layer] the thumbnails images[layer] was made from
    private int imageHeads;                 // heads per image in images
    private int hoverLayer = -1;
    private int hoverHead = -1;

    public ModelView(ExplorerViewModel vm) {
        this.vm = vm;
        this.selection = vm.selection();
        palette.bind(vm.paletteProperty());
        vm.analysisProperty().addListener((o, a, b) -> redraw()); // a new pass is pooled when painted
        vm.colorMapProperty().addListener((o, a, b) -> redraw()); // images are recoloured when painted
        vm.scaleProperty().addListener((o, a, b) -> redraw());
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

    /**
     * One layer's heads pooled ({@code pooled // [head] -> [row][column]}, {@code side × side}) and coloured
     * ({@code pixels // [row][head * side + column]} ARGB with {@code colors}).
     */
    record LayerThumbnails(int side, float[][] pooled, int[] pixels, Colors colors) {
        static LayerThumbnails of(float[][] pooled, Colors colors) {
            int side = (int) Math.round(Math.sqrt(pooled[0].length));
            return new LayerThumbnails(side, pooled, colors.row(pooled, side), colors);
        }

        LayerThumbnails recoloured(Colors newColors) {
            return newColors.equals(colors) ? this : of(pooled, newColors);
        }
    }

    /** What a thumbnail's colours depend on. */
    record Colors(ColorMap map, dev.headlight.ui.AttentionScale scale, int maskedArgb) {
        int[] row(float[][] pooled, int side) {
            return HeatmapImages.layerRow(pooled, side, map, scale, maskedArgb);
        }
    }

    private Colors colors() {
        return new Colors(vm.colorMapProperty().get(), vm.scaleProperty().get(), toArgb(palette.get().grid()));
    }

    /**
     * The image of each layer (null: a placeholder) for the shown pass, starting the pooling of a new pass and
     * turning pooled layers into images. Only small passes are pooled here and now; the rest is pooled and coloured
     * off the FX thread, which then copies one row of pixels per layer.
     */
    private WritableImage[] images(Analysis a) {
        if (pooledFor != a.trace()) {
            pooledFor = a.trace();
            thumbnails = new LayerThumbnails[a.layers()];
            if (images == null || images.length != a.layers() || imageHeads != a.heads()) {
                images = new WritableImage[a.layers()];
                imageSources = new LayerThumbnails[a.layers()];
                imageHeads = a.heads();
            }
            pool(a, a.trace(), colors());
        }
        Colors colors = colors();
        for (int l = 0; l < images.length; l++) {
            LayerThumbnails t = thumbnails[l];
            if (t == null) {
                continue;
            }
            if (!t.colors().equals(colors)) { // the colour map or scale changed since it was pooled
                t = thumbnails[l] = t.recoloured(colors);
            }
            if (imageSources[l] != t) {
                images[l] = HeatmapImages.image(t.pixels(), imageHeads * t.side(), t.side(), images[l]);
                imageSources[l] = t;
            }
        }
        return images;
    }

    /**
     * Pools every head's map of {@code pass} to a thumbnail: a small pass here and now; otherwise the layers held
     * now in one job off the FX thread, then each layer a memory budget did not keep in a job of its own (its maps
     * are recomputed once for all its heads), repainting as they come.
     */
    private void pool(Analysis a, dev.headlight.engine.Trace pass, Colors colors) {
        List<Integer> recomputed = new ArrayList<>();
        if ((long) a.layers() * a.heads() * a.tokens() * a.tokens() <= POOL_ON_FX_MAX) {
            recomputed = poolHeldLayersNow(a, colors);
        } else {
            List<Integer> held = new ArrayList<>();
            for (int l = 0; l < a.layers(); l++) {
                (a.mapReady(l) ? held : recomputed).add(l);
            }
            if (!held.isEmpty()) {
                dev.headlight.ui.AttentionLoader.load(dev.headlight.ui.AttentionLoader.Priority.BACKGROUND,
                        () -> pooledFor == pass, () -> {
                            LayerThumbnails[] out = new LayerThumbnails[a.layers()];
                            for (int layer : held) {
                                out[layer] = LayerThumbnails.of(poolLayer(a, layer, false), colors);
                            }
                            return out;
                        }, pooledLayers -> {
                            if (pooledFor == pass) {
                                for (int layer : held) {
                                    thumbnails[layer] = pooledLayers[layer];
                                }
                                redraw();
                            }
                        }, null);
            }
        }
        for (int layer : recomputed) {
            dev.headlight.ui.AttentionLoader.load(dev.headlight.ui.AttentionLoader.Priority.BACKGROUND,
                    () -> pooledFor == pass, () -> LayerThumbnails.of(poolLayer(a, layer, false), colors),
                    pooledLayer -> {
                        if (pooledFor == pass) {
                            thumbnails[layer] = pooledLayer;
                            redraw();
                        }
                    }, null);
        }
    }

    /**
     * Pools here and now every layer of the shown pass still missing whose maps are held (never recomputing);
     * returns the layers left.
     */
    private List<Integer> poolHeldLayersNow(Analysis a, Colors colors) {
        List<Integer> left = new ArrayList<>();
        for (int l = 0; l < thumbnails.length; l++) {
            if (thumbnails[l] == null) {
                float[][] now = poolLayer(a, l, true);
                if (now != null) {
                    thumbnails[l] = LayerThumbnails.of(now, colors);
                } else {
                    left.add(l);
                }
            }
        }
        return left;
    }

    /**
     * Renders like the other views, but first pools on the FX thread what is still being pooled of the shown pass
     * (an export shows this pass's maps, never the previous one's while they come); layers still being
     * recomputed stay placeholders.
     */
    @Override
    public WritableImage render(int scale) {
        Analysis a = vm.analysis();
        if (a != null) {
            images(a);
            for (int l : poolHeldLayersNow(a, colors())) {
                images[l] = null; // never the previous pass's
                imageSources[l] = null;
            }
        }
        return super.render(scale);
    }

    /**
     * Each head of a layer pooled, {@code // [head] -> [row][column]}; with {@code onlyIfHeld} null when the layer's
     * maps would have to be recomputed first.
     */
    private static float[][] poolLayer(Analysis a, int layer, boolean onlyIfHeld) {
        boolean causal = a.model().info().causal();
        float[][] out = new float[a.heads()][];
        for (int h = 0; h < a.heads(); h++) {
            float[] map = onlyIfHeld ? a.mapIfReady(layer, h, false) : a.map(layer, h, false);
            if (map == null) {
                return null;
            }
            out[h] = HeatmapImages.pool(map, a.tokens(), causal, thumbnailSide(a.heads()));
        }
        return out;
    }

    /** At most this many pixels per side: a layer's image (every head side by side) stays ≤ 4,096 pixels wide,
     * a texture size every Prism pipeline takes. */
    static int thumbnailSide(int heads) {
        return Math.max(8, Math.min(THUMBNAIL_MAX, 4096 / heads));
    }

    /** Whether every thumbnail is ready (none is still being pooled or recomputed). */
    public boolean thumbnailsReady() {
        Analysis a = vm.analysis();
        if (a == null || thumbnails == null || pooledFor != a.trace()) {
            return false;
        }
        for (LayerThumbnails t : thumbnails) {
            if (t == null) {
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
        WritableImage[] layerImages = images(a);
        int layers = a.layers();
        int heads = a.heads();
        double cell = cellSize(w, h, layers, heads);
        double[][] scores = vm.headScoresProperty().get();
        g.setFont(Font.font(ViewText.FAMILY, 10));
        g.setFill(p.mutedText());
        g.setTextBaseline(VPos.CENTER);
        g.setTextAlign(TextAlignment.CENTER);
        // label every head and layer there is room for: every 1st, 2nd, 4th, ... so labels never overlap
        double bar = scores != null ? SCORE_BAR + 1 : 0;
        int headStep = labelStep(cell + GAP, ViewText.width("H" + (heads - 1), g.getFont()) + 4);
        for (int hd = 0; hd < heads; hd += headStep) {
            Rectangle2D r = cellBounds(a, w, h, 0, hd);
            g.fillText("H" + hd, r.getMinX() + cell / 2, TOP / 2);
        }
        g.setTextAlign(TextAlignment.RIGHT);
        int layerStep = labelStep(cell + GAP + bar, 11);
        for (int l = 0; l < layers; l += layerStep) {
            Rectangle2D r = cellBounds(a, w, h, l, 0);
            g.fillText("L" + l, r.getMinX() - 6, r.getMinY() + cell / 2);
        }
        for (int l = 0; l < layers; l++) {
            for (int hd = 0; hd < heads; hd++) {
                Rectangle2D r = cellBounds(a, w, h, l, hd);
                WritableImage image = layerImages[l];
                if (image != null) {
                    double side = image.getHeight(); // each head's square within the layer's row
                    g.drawImage(image, hd * side, 0, side, side, r.getMinX(), r.getMinY(), cell, cell);
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

    /** The smallest of 1, 2, 4, 8, ... that spaces labels {@code pitch} apart by at least {@code room}. */
    static int labelStep(double pitch, double room) {
        int step = 1;
        while (step * pitch < room && step < 1 << 16) {
            step *= 2;
        }
        return step;
    }

    /** The note under the grid, or null when every layer's maps are kept. */
    public String note() {
        Analysis a = vm.analysis();
        return a == null ? null : a.attentionNote();
    }
}
