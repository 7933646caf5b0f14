package dev.headlight.ui.view;

import dev.headlight.analysis.MatrixPicture;
import dev.headlight.engine.TensorPlacement;
import dev.headlight.ui.Diverging;
import dev.headlight.ui.Palette;
import dev.headlight.ui.WeightsViewModel;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.WritableImage;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

import java.util.Locale;

/**
 * A stored matrix as an image (blue negative, red positive, scaled to its largest |value|), the selected head's
 * Q/K/V/O slices outlined along the stored axis, and the selected element marked. A click selects the element
 * under the pointer (at full resolution, not the picture's cell).
 */
public final class MatrixView extends CanvasView {
    private static final double LEFT = 44, TOP = 18, RIGHT = 8, BOTTOM = 8;
    private final WeightsViewModel vm;
    private WritableImage image;

    public MatrixView(WeightsViewModel vm) {
        super("weight-matrix", 300, 260);
        this.vm = vm;
        getStyleClass().add("matrix-view");
        vm.pictureProperty().addListener((o, a, b) -> {
            image = null;
            redraw();
        });
        vm.highlights().addListener((javafx.collections.ListChangeListener<WeightsViewModel.Highlight>) c -> redraw());
        redrawOnChange(vm.pickProperty());
        setOnMouseClicked(e -> {
            double[] f = fractions(e.getX(), e.getY());
            MatrixPicture p = vm.pictureProperty().get();
            if (f != null && p != null) {
                vm.selectElement(p.rowAt(f[1]), p.colAt(f[0]));
            }
        });
    }

    /** Where (x, y) falls in the image as fractions across and down, or null outside it. */
    private double[] fractions(double x, double y) {
        double w = getWidth() - LEFT - RIGHT;
        double h = getHeight() - TOP - BOTTOM;
        if (w <= 0 || h <= 0 || x < LEFT || y < TOP || x >= LEFT + w || y >= TOP + h) {
            return null;
        }
        return new double[]{(x - LEFT) / w, (y - TOP) / h};
    }

    /** Where (x, y) of the view falls: the element under it, for a test robot and the tooltip. */
    public long[] elementAt(double x, double y) {
        double[] f = fractions(x, y);
        MatrixPicture p = vm.pictureProperty().get();
        return f == null || p == null ? null : new long[]{p.rowAt(f[1]), p.colAt(f[0])};
    }

    /** The centre of element (row, col) in the view's coordinates, or null without a picture. */
    public javafx.geometry.Point2D elementCenter(long row, long col) {
        MatrixPicture p = vm.pictureProperty().get();
        if (p == null) {
            return null;
        }
        double w = getWidth() - LEFT - RIGHT;
        double h = getHeight() - TOP - BOTTOM;
        return new javafx.geometry.Point2D(LEFT + (col + 0.5) / p.cols() * w, TOP + (row + 0.5) / p.rows() * h);
    }

    @Override
    protected String hoverText(double x, double y) {
        long[] rc = elementAt(x, y);
        return rc == null ? null : String.format(Locale.ROOT, "row %,d, column %,d — click for its bits", rc[0], rc[1]);
    }

    @Override
    protected void paint(GraphicsContext g, double w, double h) {
        Palette p = palette.get();
        g.setFill(p.background());
        g.fillRect(0, 0, w, h);
        MatrixPicture pic = vm.pictureProperty().get();
        g.setFont(Font.font(ViewText.FAMILY, 10));
        g.setFill(p.mutedText());
        g.setTextBaseline(VPos.TOP);
        if (pic == null) {
            g.setTextAlign(TextAlignment.LEFT);
            g.fillText("No picture yet", LEFT, TOP);
            return;
        }
        double iw = w - LEFT - RIGHT;
        double ih = h - TOP - BOTTOM;
        if (iw <= 0 || ih <= 0) {
            return;
        }
        if (image == null) {
            int[] pixels = new int[pic.cells().length]; // [height][width] ARGB
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = Diverging.argb(pic.cells()[i], pic.maxAbs());
            }
            image = HeatmapImages.image(pixels, pic.width(), pic.height(), null);
        }
        g.setImageSmoothing(false);
        g.drawImage(image, LEFT, TOP, iw, ih);
        g.setTextAlign(TextAlignment.LEFT);
        g.fillText(String.format(Locale.ROOT, "%,d columns →   |max| %.3g", pic.cols(), pic.maxAbs()), LEFT, 2);
        g.setTextAlign(TextAlignment.RIGHT);
        g.fillText(String.format(Locale.ROOT, "%,d", pic.rows()), LEFT - 4, TOP + ih - 12);
        g.fillText("rows", LEFT - 4, TOP);
        g.fillText("↓", LEFT - 4, TOP + 12);
        for (WeightsViewModel.Highlight hl : vm.highlights()) {
            boolean rows = hl.axis() == TensorPlacement.Axis.ROWS;
            double extent = rows ? pic.rows() : pic.cols();
            double a = hl.from() / extent * (rows ? ih : iw);
            double b = hl.to() / extent * (rows ? ih : iw);
            g.setStroke(p.text());
            g.setLineWidth(2);
            double x = rows ? LEFT : LEFT + a;
            double y = rows ? TOP + a : TOP;
            double rw = rows ? iw : Math.max(2, b - a);
            double rh = rows ? Math.max(2, b - a) : ih;
            g.strokeRect(x + 1, y + 1, rw - 2, rh - 2);
            g.setFill(p.text());
            g.setTextAlign(TextAlignment.LEFT);
            g.fillText(hl.label(), x + 4, y + 3);
        }
        WeightsViewModel.Cell c = vm.pickProperty().get().cell();
        if (c != null && !exporting()) {
            double cx = LEFT + (c.col() + 0.5) / pic.cols() * iw;
            double cy = TOP + (c.row() + 0.5) / pic.rows() * ih;
            g.setStroke(p.selection());
            g.setLineWidth(2);
            g.strokeOval(cx - 6, cy - 6, 12, 12);
        }
    }
}
