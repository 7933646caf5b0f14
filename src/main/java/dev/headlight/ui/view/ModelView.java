package dev.headlight.ui.view;

import dev.headlight.ui.Analysis;
import dev.headlight.ui.Diverging;
import dev.headlight.ui.ExplorerViewModel;
import dev.headlight.ui.ModelViewModel;
import dev.headlight.ui.Palette;
import dev.headlight.ui.Selection;
import javafx.geometry.Rectangle2D;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;


/**
 * Every layer × head as a small attention map (BertViz's model view). Each map is an image with one pixel per
 * (query, key) scaled up without smoothing ({@link ModelThumbnails}: pooled off the FX thread for all but tiny
 * passes; until a layer is ready it shows the previous prompt's thumbnails, or grey placeholders, and a note under
 * the grid says which layers are recomputed); the selected head is outlined. Under each map an optional bar
 * coloured by the {@link ModelViewModel}'s choice (a prompt score, the copying score, the composition with the
 * selected head). Click or arrow keys select a head.
 */
public final class ModelView extends CanvasView {
    static final double LEFT = 34;
    static final double TOP = 20;
    static final double GAP = 4;
    static final double SCORE_BAR = 4;
    /** Room on the right for the colour bar and its labels. */
    static final double BAR_AREA = 58;
    /** Height of the note line under the grid when some layers are recomputed. */
    static final double NOTE = 18;

    private final ExplorerViewModel vm;
    private final ModelViewModel model;
    private final Selection selection;
    private final ModelThumbnails thumbnails;
    private int hoverLayer = -1;
    private int hoverHead = -1;

    /** A model view with prompt scores only (no circuits), e.g. the training lab's. */
    public ModelView(ExplorerViewModel vm) {
        this(new ModelViewModel(vm, null));
    }

    public ModelView(ModelViewModel model) {
        super("model-view");
        this.model = model;
        this.vm = model.explorer();
        this.selection = vm.selection();
        this.thumbnails = new ModelThumbnails(() -> new ModelThumbnails.Colors(vm.colorMapProperty().get(),
                vm.scaleProperty().get(), toArgb(palette.get().grid())), this::redraw);
        palette.bind(vm.paletteProperty());
        vm.analysisProperty().addListener((o, a, b) -> redraw()); // a new pass is pooled when painted
        vm.colorMapProperty().addListener((o, a, b) -> redraw()); // images are recoloured when painted
        redrawOnChange(vm.scaleProperty(), model.barsProperty(), selection.layerProperty(), selection.headProperty());
        setOnMouseClicked(e -> {
            int[] lh = headAt(e.getX(), e.getY());
            if (lh != null) {
                selection.selectHead(lh[0], lh[1]);
            }
        });
        setOnKeyPressed(e -> {
            switch (e.getCode()) {
                case UP -> model.moveSelection(-1, 0);
                case DOWN -> model.moveSelection(1, 0);
                case LEFT -> model.moveSelection(0, -1);
                case RIGHT -> model.moveSelection(0, 1);
                default -> {
                    return;
                }
            }
            e.consume();
        });
    }

    /** The view model (colour-by choice and bars). */
    public ModelViewModel viewModel() {
        return model;
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
            thumbnails.completeForExport(a);
        }
        return super.render(scale);
    }

    /** Whether every thumbnail is ready (none is still being pooled or recomputed). */
    public boolean thumbnailsReady() {
        return thumbnails.ready(vm.analysis());
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
        double bar = model.barsProperty().get() != null ? SCORE_BAR + 1 : 0;
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
        double bar = model.barsProperty().get() != null ? SCORE_BAR + 1 : 0;
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
        return lh == null ? null : model.hoverText(lh[0], lh[1]);
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
    protected String placeholder() {
        return vm.analysis() == null ? "Attention of every layer and head appears here" : null;
    }

    @Override
    protected void paint(GraphicsContext g, double w, double h) {
        Palette p = palette.get();
        Analysis a = vm.analysis();
        WritableImage[] layerImages = thumbnails.images(a);
        int layers = a.layers();
        int heads = a.heads();
        double cell = cellSize(w, h, layers, heads);
        ModelViewModel.Bars bars = model.barsProperty().get();
        g.setFont(Font.font(ViewText.FAMILY, 10));
        g.setFill(p.mutedText());
        g.setTextBaseline(VPos.CENTER);
        g.setTextAlign(TextAlignment.CENTER);
        // label every head and layer there is room for: every 1st, 2nd, 4th, ... so labels never overlap
        double bar = bars != null ? SCORE_BAR + 1 : 0;
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
                if (bars != null && l < bars.values().length && hd < bars.values()[l].length) {
                    double v = bars.scaled(l, hd);
                    g.setFill(Double.isNaN(v) ? p.grid() : bars.signed() ? Diverging.color(v, 1)
                            : ViewText.color(vm.colorMapProperty().get().argb(Math.clamp(v, 0, 1))));
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
