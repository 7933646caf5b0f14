package dev.headlight.ui.view;

import dev.headlight.ui.Palette;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Point2D;
import javafx.scene.SnapshotParameters;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Tooltip;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.util.Duration;

import java.util.function.Consumer;

/**
 * A view drawn in code on a resizable Canvas. Subclasses paint in logical units; export repaints the same drawing
 * onto a canvas {@code scale} times larger with a scaled transform, so PNGs are sharp at 2x and 4x, not blown up.
 */
public abstract class CanvasView extends Region {
    private final Canvas canvas = new Canvas();
    private final Tooltip hoverTip = new Tooltip();
    protected final ObjectProperty<Palette> palette = new SimpleObjectProperty<>(Palette.LIGHT);
    private final String exportName;
    // computed, not set, sizes (Region's own pref size stays free for layouts and CSS)
    private final double prefWidth;
    private final double prefHeight;
    private Consumer<CanvasView> exportHandler;
    /** Set while {@link #render} paints an export: views then leave out selection marks. */
    private boolean exporting;
    /** Output pixels per logical unit of the paint in progress: the export scale, 1 on screen. */
    private int outputScale = 1;
    /** Token labels closer than this many output pixels are thinned out (they would overlap). */
    static final double MIN_LABEL_PITCH = 9;
    /** Token labels are never drawn smaller than this many output pixels. */
    static final double MIN_LABEL_FONT = 7;

    /** A view named {@code exportName} in file names and menus, at the default preferred size. */
    protected CanvasView(String exportName) {
        this(exportName, 300, 240);
    }

    /** A view preferring {@code prefWidth × prefHeight} (a plot strip wants less height than a heatmap). */
    protected CanvasView(String exportName, double prefWidth, double prefHeight) {
        this.exportName = exportName;
        this.prefWidth = prefWidth;
        this.prefHeight = prefHeight;
        getChildren().add(canvas);
        setFocusTraversable(true);
        getStyleClass().add("canvas-view");
        hoverTip.setShowDelay(Duration.millis(150));
        hoverTip.setHideDelay(Duration.millis(50));
        // a theme change drops whatever a view made from the old palette (e.g. the masked cells' colour baked
        // into a cached image) before it repaints
        palette.addListener((o, a, b) -> {
            paletteChanged();
            redraw();
        });
        setOnMouseMoved(e -> {
            String text = hoverText(e.getX(), e.getY());
            if (text == null) {
                hoverTip.hide();
                Tooltip.uninstall(this, hoverTip);
            } else {
                hoverTip.setText(text);
                Tooltip.install(this, hoverTip);
                if (hoverTip.isShowing()) {
                    Point2D p = localToScreen(e.getX() + 14, e.getY() + 14);
                    if (p != null) {
                        hoverTip.setAnchorX(p.getX());
                        hoverTip.setAnchorY(p.getY());
                    }
                }
            }
            onHover(e.getX(), e.getY());
        });
        setOnMouseExited(e -> onHover(-1, -1));
        setOnMousePressed(e -> requestFocus());
        focusedProperty().addListener((o, a, b) -> redraw());
    }

    public ObjectProperty<Palette> paletteProperty() {
        return palette;
    }

    /** A short name used in file names and menus, e.g. "model-view"; views that name what they show override it. */
    public String exportName() {
        return exportName;
    }

    /** Repaints whenever one of {@code values} changes (what the drawing reads). */
    protected final void redrawOnChange(ObservableValue<?>... values) {
        for (ObservableValue<?> value : values) {
            value.addListener((o, a, b) -> redraw());
        }
    }

    /** Paints the view at its logical size {@code w × h} (only when {@link #placeholder()} is null). */
    protected abstract void paint(GraphicsContext g, double w, double h);

    /**
     * What the view says in its middle instead of its drawing, e.g. "The selected head appears here" before any
     * prompt has been analysed; null when there is something to paint.
     */
    protected String placeholder() {
        return null;
    }

    /** The background, then the placeholder or the drawing. */
    private void paintAll(GraphicsContext g, double w, double h) {
        g.setFill(palette.get().background());
        g.fillRect(0, 0, w, h);
        String empty = placeholder();
        if (empty != null) {
            ViewText.empty(g, w, h, palette.get(), empty);
        } else {
            paint(g, w, h);
        }
    }

    /** Whether the paint in progress is an export (no selection marks: a PNG shows the data, not the cursor). */
    protected boolean exporting() {
        return exporting;
    }

    /**
     * Output pixels per logical unit of the paint in progress: 1 on screen, 2 or 4 for a 2x or 4x export. A larger
     * export has room for labels the screen must thin out ({@link #labelEvery}).
     */
    protected int outputScale() {
        return outputScale;
    }

    /**
     * Every how many rows (or columns) {@code pitch} logical units apart a label fits at {@code scale} output
     * pixels per unit: 1 when each row gets {@value #MIN_LABEL_PITCH} output pixels, else every 2nd, 3rd, ...
     */
    public static int labelEvery(double pitch, double scale) {
        return (int) Math.ceil(Math.max(1, MIN_LABEL_PITCH / (pitch * scale)));
    }

    /**
     * Whether row {@code t} gets a label when every {@code every}-th has one: the selected row ({@code selected},
     * -1 for none) always does, and its neighbours closer than {@code every} give way to it.
     */
    static boolean labelled(int t, int every, int selected) {
        if (t == selected) {
            return true;
        }
        return t % every == 0 && (selected < 0 || Math.abs(t - selected) >= every);
    }

    /** Drops anything cached that was made with the previous palette; called before the repaint. */
    protected void paletteChanged() {
    }

    /** Tooltip text at a point, or null for none. */
    protected String hoverText(double x, double y) {
        return null;
    }

    /** Mouse position changes (-1, -1 when the mouse leaves). */
    protected void onHover(double x, double y) {
    }

    public void setExportHandler(Consumer<CanvasView> handler) {
        this.exportHandler = handler;
    }

    public void requestExport() {
        if (exportHandler != null) {
            exportHandler.accept(this);
        }
    }

    @Override
    protected void layoutChildren() {
        double w = getWidth();
        double h = getHeight();
        if (canvas.getWidth() != w || canvas.getHeight() != h) {
            canvas.setWidth(w);
            canvas.setHeight(h);
            redraw();
        }
    }

    @Override
    protected double computePrefWidth(double height) {
        return prefWidth;
    }

    @Override
    protected double computePrefHeight(double width) {
        return prefHeight;
    }

    @Override
    protected double computeMinWidth(double height) {
        return 80;
    }

    @Override
    protected double computeMinHeight(double width) {
        return 60;
    }

    public void redraw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        if (w <= 0 || h <= 0) {
            return;
        }
        g.save();
        g.setImageSmoothing(false);
        paintAll(g, w, h);
        g.restore();
        if (isFocused()) {
            g.setStroke(palette.get().accent().deriveColor(0, 1, 1, 0.6));
            g.setLineWidth(2);
            g.strokeRect(1, 1, w - 2, h - 2);
        }
    }

    /** The logical size an export uses: the on-screen size, or a default when the view was never laid out. */
    public double[] exportSize() {
        double w = getWidth() > 0 ? getWidth() : 800;
        double h = getHeight() > 0 ? getHeight() : 600;
        return new double[]{w, h};
    }

    /**
     * Renders the view at {@code scale} × its logical size: the drawing is repeated on a larger canvas with the
     * transform scaled, so text and lines are drawn at the output resolution. Must run on the FX thread.
     */
    public WritableImage render(int scale) {
        double[] size = exportSize();
        int pw = (int) Math.round(size[0] * scale);
        int ph = (int) Math.round(size[1] * scale);
        Canvas target = new Canvas(pw, ph);
        GraphicsContext g = target.getGraphicsContext2D();
        g.setImageSmoothing(false);
        g.scale(scale, scale);
        exporting = true;
        outputScale = scale;
        try {
            paintAll(g, size[0], size[1]);
        } finally {
            exporting = false;
            outputScale = 1;
        }
        SnapshotParameters params = new SnapshotParameters();
        params.setFill(Color.TRANSPARENT);
        return target.snapshot(params, new WritableImage(pw, ph));
    }

    protected static String ellipsize(String s, int max) {
        return s.length() <= max ? s : s.substring(0, Math.max(1, max - 1)) + "…";
    }
}
