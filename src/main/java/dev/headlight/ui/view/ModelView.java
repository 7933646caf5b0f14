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

    private final ExplorerViewModel vm;
    private final Selection selection;
    private WritableImage[] cells; // [layer * heads + head], rebuilt when the analysis or colours change
    private int hoverLayer = -1;
    private int hoverHead = -1;

    public ModelView(ExplorerViewModel vm) {
        this.vm = vm;
        this.selection = vm.selection();
        palette.bind(vm.paletteProperty());
        vm.analysisProperty().addListener((o, a, b) -> invalidate());
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

    private WritableImage[] cells(Analysis a) {
        if (cells == null) {
            int layers = a.layers();
            int heads = a.heads();
            boolean causal = a.model().info().causal();
            int masked = toArgb(palette.get().grid());
            cells = new WritableImage[layers * heads];
            for (int l = 0; l < layers; l++) {
                for (int h = 0; h < heads; h++) {
                    cells[l * heads + h] = HeatmapImages.thumbnail(a.trace().attentions().head(l, h), a.tokens(),
                            vm.colorMapProperty().get(), vm.scaleProperty().get(), causal, masked, THUMBNAIL_MAX);
                }
            }
        }
        return cells;
    }

    static int toArgb(Color c) {
        return 0xFF000000 | (int) Math.round(c.getRed() * 255) << 16 | (int) Math.round(c.getGreen() * 255) << 8
                | (int) Math.round(c.getBlue() * 255);
    }

    /** The size of one map, in logical pixels. */
    double cellSize(double w, double h, int layers, int heads) {
        double bar = vm.headScoresProperty().get() != null ? SCORE_BAR + 1 : 0;
        double byWidth = (w - LEFT - 6 - BAR_AREA) / heads - GAP;
        double byHeight = (h - TOP - 6) / layers - GAP - bar;
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
                g.drawImage(images[l * heads + hd], r.getMinX(), r.getMinY(), cell, cell);
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
    }

    /** The colour a (query, key) probability gets in this view, for tests and legends. */
    public int colorOf(double probability) {
        ColorMap map = vm.colorMapProperty().get();
        return map.argb(vm.scaleProperty().get().normalize(probability));
    }
}
