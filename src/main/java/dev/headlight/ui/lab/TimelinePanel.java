package dev.headlight.ui.lab;

import dev.headlight.engine.Model;
import dev.headlight.format.FormatException;
import dev.headlight.train.CheckpointTimeline;
import dev.headlight.ui.ExplorerViewModel;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Scrubs through a training run: a slider over the checkpoints (and the final model) of the open model's folder, the
 * loss curve with markers at the shown step and at the phase change, and each head's previous-token and induction
 * score per checkpoint. Moving the slider shows that checkpoint in the whole explorer (through
 * {@link ExplorerViewModel#showModel}, so the prompt is re-run on it and every panel updates).
 */
public final class TimelinePanel extends VBox {
    /** One slider stop: a checkpoint, or the final model at the run's top level ({@code finalModel}). */
    public record Position(int step, Path folder, boolean finalModel) {
        public String label() {
            return finalModel ? "final" : Integer.toString(step);
        }
    }

    /** Cached checkpoints: the models of a small run are a few MB each. */
    static final int CACHE_SIZE = 6;
    /** The best induction score of a layer must reach this for the phase-change marker. */
    static final double PHASE_THRESHOLD = 0.5;
    /** The loss curve is drawn with at most this many points. */
    static final int MAX_LOSS_POINTS = 400;
    /** Width of the charts' y axes (label and tick labels such as "0.25" or "12.5"). */
    static final double Y_AXIS_WIDTH = 58;
    /** Score charts mark each checkpoint's score with a symbol up to this many points in all. */
    static final int MAX_SYMBOLS = 200;

    private final ExplorerViewModel vm;
    private final ReadOnlyObjectWrapper<CheckpointTimeline> timeline = new ReadOnlyObjectWrapper<>(this, "timeline");
    private final List<Position> positions = new ArrayList<>();
    private final Slider slider = new Slider(0, 1, 0);
    private final Label heading = new Label("No checkpoints");
    private final Label detail = new Label();
    private final MarkedLineChart lossChart = new MarkedLineChart("Training loss", "loss");
    private final MarkedLineChart previousChart = new MarkedLineChart("Previous-token score per head", "score");
    private final MarkedLineChart inductionChart = new MarkedLineChart("Induction score per head", "score");
    private CheckpointCache cache;
    private int phaseStep = -1;
    /** True while the slider follows a model opened elsewhere (then it must not open it again). */
    private boolean following;
    /** The stop whose checkpoint the explorer shows (or is loading), -1 before a run is shown. */
    private int shownIndex = -1;

    public TimelinePanel(ExplorerViewModel vm) {
        this.vm = vm;
        getStyleClass().add("timeline-panel");
        getStylesheets().add(TimelinePanel.class.getResource("lab.css").toExternalForm());
        setSpacing(6);
        setPadding(new Insets(8));
        heading.getStyleClass().add("timeline-heading");
        detail.getStyleClass().add("panel-hint");
        detail.setWrapText(true);
        slider.setId("timeline-slider");
        // the slider runs over steps, like the charts' x axis below it: its ticks and labels are the axis's, and the
        // knob snaps to the nearest checkpoint (the charts' axis is lined up in layoutChildren)
        slider.setMinorTickCount(0);
        slider.setShowTickMarks(true);
        slider.setShowTickLabels(true);
        slider.setLabelFormatter(new StringConverter<>() {
            @Override
            public String toString(Double v) {
                return Integer.toString((int) Math.round(v));
            }

            @Override
            public Double fromString(String s) {
                return 0.0;
            }
        });
        slider.valueProperty().addListener((o, a, b) -> onSliderMoved(b.doubleValue()));
        slider.valueChangingProperty().addListener((o, was, changing) -> {
            if (!changing && shownIndex >= 0 && shownIndex < positions.size()) {
                moveKnob(positions.get(shownIndex).step());
            }
        });
        // the arrow keys step from checkpoint to checkpoint (the gaps between them need not be equal)
        slider.addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            int to = switch (e.getCode()) {
                case LEFT, DOWN, KP_LEFT, KP_DOWN, PAGE_DOWN -> shownIndex - 1;
                case RIGHT, UP, KP_RIGHT, KP_UP, PAGE_UP -> shownIndex + 1;
                case HOME -> 0;
                case END -> positions.size() - 1;
                default -> Integer.MIN_VALUE;
            };
            if (to != Integer.MIN_VALUE) {
                e.consume();
                if (to >= 0 && to < positions.size()) {
                    select(to);
                }
            }
        });
        for (MarkedLineChart c : List.of(lossChart, previousChart, inductionChart)) {
            c.setMinHeight(150);
            c.setLegendSide(javafx.geometry.Side.RIGHT);
            c.getStyleClass().add("side-legend");
            c.setPrefHeight(220);
            // one width for every y axis (and one legend width in lab.css): the three step axes line up
            c.yAxis().setMinWidth(Y_AXIS_WIDTH);
            c.yAxis().setPrefWidth(Y_AXIS_WIDTH);
            VBox.setVgrow(c, Priority.ALWAYS);
        }
        lossChart.setCreateSymbols(false);
        lossChart.setLegendSide(javafx.geometry.Side.RIGHT);
        lossChart.yAxis().setForceZeroInRange(false);
        lossChart.getStyleClass().add("loss-chart");
        for (MarkedLineChart c : List.of(previousChart, inductionChart)) {
            c.yAxis().setAutoRanging(false);
            c.yAxis().setLowerBound(0);
            c.yAxis().setUpperBound(1);
            c.yAxis().setTickUnit(0.25);
            c.setLegendSide(javafx.geometry.Side.RIGHT);
        }
        HBox head = new HBox(12, heading, detail);
        head.setAlignment(Pos.BASELINE_LEFT);
        getChildren().addAll(head, slider, lossChart, previousChart, inductionChart);
        vm.modelProperty().addListener((o, a, m) -> follow(m));
        follow(vm.model());
    }

    // ---- following the explorer's model

    /** Finds the run the shown model belongs to: its own folder, or its parent when it is one of the checkpoints. */
    static Path runFolder(Path modelFolder) {
        if (modelFolder == null) {
            return null;
        }
        if (isRun(modelFolder)) {
            return modelFolder;
        }
        Path parent = modelFolder.getParent();
        return parent != null && isRun(parent) ? parent : null;
    }

    private static boolean isRun(Path folder) {
        try {
            return Files.isDirectory(folder) && CheckpointTimeline.hasCheckpoints(folder);
        } catch (FormatException e) {
            return false;
        }
    }

    /**
     * A scanned run with its chart series, made off the FX thread; the FX thread only attaches them.
     *
     * @param loss      the loss curves (training, in-context), downsampled
     * @param previous  one previous-token score curve per head
     * @param induction one induction score curve per head
     * @param phaseStep the first step whose best induction score (past layer 0) reached the threshold, or -1
     */
    record Prepared(CheckpointTimeline timeline, List<XYChart.Series<Number, Number>> loss,
                    List<XYChart.Series<Number, Number>> previous, List<XYChart.Series<Number, Number>> induction,
                    int phaseStep) {
        static Prepared of(CheckpointTimeline t) {
            List<XYChart.Series<Number, Number>> loss = new ArrayList<>();
            double[] values = t.loss();
            if (values.length > 0) {
                loss.add(downsampled("loss", values));
                double[] inContext = t.inContextLoss();
                if (java.util.Arrays.stream(inContext).anyMatch(v -> !Double.isNaN(v))) {
                    loss.add(downsampled("in-context", inContext));
                }
            }
            int layers = layersOf(t);
            int phase = -1;
            for (int l = layers > 1 ? 1 : 0; l < layers; l++) {
                int s = t.firstStepWithInduction(l, PHASE_THRESHOLD);
                if (s >= 0 && (phase < 0 || s < phase)) {
                    phase = s;
                }
            }
            return new Prepared(t, loss, scores(t, true), scores(t, false), phase);
        }
    }

    /** Scans the run folders of newly opened models, one at a time; its thread ends when idle. */
    private final java.util.concurrent.ExecutorService scanner = new java.util.concurrent.ThreadPoolExecutor(0, 1, 5,
            java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "headlight-timeline-scan");
                t.setDaemon(true);
                return t;
            });
    /** The model whose run is being scanned; a scan for any other model is dropped when it arrives. */
    private Model scanning;

    /**
     * Follows the explorer's model: a checkpoint of the shown run moves the slider at once; any other model has its
     * folder (and its parent) scanned off the FX thread, and the result is shown if that model is still open.
     */
    private void follow(Model m) {
        scanning = null;
        if (m == null) {
            return;
        }
        Path folder = m.info().folder().toAbsolutePath().normalize();
        if (timeline.get() != null && indexOf(folder) >= 0) {
            showFollowed(folder);
            return;
        }
        CheckpointTimeline current = timeline.get();
        scanning = m;
        scanner.execute(() -> {
            Path run = null;
            Prepared scanned = null;
            try {
                run = runFolder(folder);
                if (run != null && (current == null || !current.root().equals(run))) {
                    scanned = Prepared.of(CheckpointTimeline.scan(run));
                }
            } catch (FormatException | java.io.UncheckedIOException e) {
                run = null; // an unreadable run (e.g. a bad training.json) shows no timeline, as a plain model
            }
            Path foundRun = run;
            Prepared found = scanned;
            Platform.runLater(() -> {
                if (scanning == m && vm.model() == m) {
                    scanning = null;
                    applyScan(m, folder, foundRun, found);
                }
            });
        });
    }

    private void applyScan(Model m, Path folder, Path run, Prepared scanned) {
        if (run == null) {
            if (cache == null || !cache.contains(m)) {
                setTimeline(null);
            }
            return;
        }
        if (scanned != null) {
            setTimeline(scanned);
        }
        showFollowed(folder);
    }

    private int indexOf(Path folder) {
        for (int i = 0; i < positions.size(); i++) {
            if (positions.get(i).folder().equals(folder)) {
                return i;
            }
        }
        return -1;
    }

    /** Moves the slider to the shown model's stop without opening it again. */
    private void showFollowed(Path folder) {
        int i = indexOf(folder);
        if (i < 0) {
            return;
        }
        shownIndex = i;
        moveKnob(positions.get(i).step());
        updateMarkers(positions.get(i));
    }

    private void setTimeline(Prepared prepared) {
        CheckpointTimeline t = prepared == null ? null : prepared.timeline();
        if (cache != null) {
            CheckpointCache old = cache;
            Model shown = vm.model();
            cache = null;
            if (shown == null || !old.contains(shown)) {
                old.close();
            } else {
                // the explorer still shows one of its models: close them once it has moved on
                vm.modelProperty().addListener(new javafx.beans.value.ChangeListener<>() {
                    @Override
                    public void changed(javafx.beans.value.ObservableValue<? extends Model> o, Model a, Model b) {
                        vm.modelProperty().removeListener(this);
                        javafx.animation.PauseTransition later =
                                new javafx.animation.PauseTransition(javafx.util.Duration.seconds(2));
                        later.setOnFinished(e -> old.close());
                        later.play();
                    }
                });
            }
        }
        timeline.set(t);
        positions.clear();
        shownIndex = -1;
        lossChart.getData().clear();
        previousChart.getData().clear();
        inductionChart.getData().clear();
        lossChart.markers().clear();
        previousChart.markers().clear();
        inductionChart.markers().clear();
        if (t == null || t.isEmpty()) {
            heading.setText("No checkpoints");
            detail.setText("Open a training run (a folder with step-N/ or checkpoint-N/ model folders) to scrub "
                    + "through it.");
            slider.setDisable(true);
            return;
        }
        cache = new CheckpointCache(CACHE_SIZE, model -> model == vm.model());
        for (CheckpointTimeline.Entry e : t.checkpoints()) {
            positions.add(new Position(e.step(), e.folder().toAbsolutePath().normalize(), false));
        }
        if (t.hasFinalModel()) {
            int last = Math.max(positions.getLast().step(), t.loss().length);
            positions.add(new Position(last, t.root().toAbsolutePath().normalize(), true));
        }
        slider.setDisable(false);
        int lastStep = positions.getLast().step();
        following = true;
        slider.setMin(0);
        slider.setMax(Math.max(1, lastStep));
        slider.setMajorTickUnit(niceTick(lastStep));
        following = false;
        shownIndex = positions.size() - 1;
        moveKnob(lastStep);
        fillCharts(prepared);
    }

    private void fillCharts(Prepared prepared) {
        CheckpointTimeline t = prepared.timeline();
        int lastStep = positions.getLast().step();
        for (MarkedLineChart c : List.of(lossChart, previousChart, inductionChart)) {
            c.xAxis().setAutoRanging(false);
            c.xAxis().setLowerBound(0);
            c.xAxis().setUpperBound(Math.max(1, lastStep));
            c.xAxis().setTickUnit(niceTick(lastStep));
        }
        lossChart.getData().setAll(prepared.loss());
        showScores(previousChart, prepared.previous());
        showScores(inductionChart, prepared.induction());
        phaseStep = prepared.phaseStep();
        heading.setText(positions.size() - (t.hasFinalModel() ? 1 : 0) + " checkpoints"
                + (t.hasFinalModel() ? " + final" : ""));
        updateMarkers(positions.get(shownIndex));
    }

    /** At most {@link #MAX_LOSS_POINTS} points of a per-step series (step i is plotted at x = i + 1, as logged). */
    private static XYChart.Series<Number, Number> downsampled(String name, double[] values) {
        XYChart.Series<Number, Number> s = new XYChart.Series<>();
        s.setName(name);
        int stride = Math.max(1, (int) Math.ceil(values.length / (double) MAX_LOSS_POINTS));
        List<XYChart.Data<Number, Number>> points = new ArrayList<>();
        for (int i = 0; i < values.length; i += stride) {
            if (!Double.isNaN(values[i])) {
                points.add(new XYChart.Data<>(i + 1, values[i]));
            }
        }
        s.getData().setAll(points);
        return s;
    }

    private static int layersOf(CheckpointTimeline t) {
        for (CheckpointTimeline.Entry e : t.checkpoints()) {
            if (e.induction() != null) {
                return e.induction().length;
            }
        }
        return 0;
    }

    /** One curve per head over the checkpoints: [layer][head] scores from each checkpoint's log entry. */
    private static List<XYChart.Series<Number, Number>> scores(CheckpointTimeline t, boolean previous) {
        List<List<XYChart.Data<Number, Number>>> points = new ArrayList<>(); // [layer * heads + head][checkpoint]
        List<String> names = new ArrayList<>();
        for (CheckpointTimeline.Entry e : t.checkpoints()) {
            double[][] m = previous ? e.previousToken() : e.induction();
            if (m == null) {
                continue;
            }
            int k = 0;
            for (int l = 0; l < m.length; l++) {
                for (int h = 0; h < m[l].length; h++, k++) {
                    if (points.size() <= k) {
                        points.add(new ArrayList<>());
                        names.add("L" + l + "H" + h);
                    }
                    points.get(k).add(new XYChart.Data<>(e.step(), m[l][h]));
                }
            }
        }
        List<XYChart.Series<Number, Number>> series = new ArrayList<>();
        for (int k = 0; k < points.size(); k++) {
            XYChart.Series<Number, Number> s = new XYChart.Series<>();
            s.setName(names.get(k));
            s.getData().setAll(points.get(k));
            series.add(s);
        }
        return series;
    }

    private static void showScores(MarkedLineChart chart, List<XYChart.Series<Number, Number>> series) {
        // a symbol is a styled node per point: only for runs with few checkpoints and heads
        chart.setCreateSymbols(series.stream().mapToInt(x -> x.getData().size()).sum() <= MAX_SYMBOLS);
        chart.getData().setAll(series);
        chart.setVisible(!series.isEmpty());
        chart.setManaged(!series.isEmpty());
    }

    static double niceTick(int range) {
        double raw = Math.max(1, range) / 8.0;
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[]{1, 2, 2.5, 5, 10}) {
            if (m * p >= raw) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private void updateMarkers(Position p) {
        List<MarkedLineChart.Marker> markers = new ArrayList<>();
        if (phaseStep >= 0) {
            markers.add(new MarkedLineChart.Marker(phaseStep, "induction ≥ " + PHASE_THRESHOLD + " at " + phaseStep,
                    "phase-marker"));
        }
        markers.add(new MarkedLineChart.Marker(p.step(), p.finalModel() ? "final" : "step " + p.step(),
                "step-marker"));
        lossChart.markers().setAll(markers);
        previousChart.markers().setAll(markers.getLast());
        inductionChart.markers().setAll(markers);
        CheckpointTimeline t = timeline.get();
        String text = p.finalModel() ? "final model (" + t.root().getFileName() + ")" : p.folder().getFileName().toString();
        double[] loss = t.loss();
        if (p.step() < loss.length && p.step() >= 0) {
            text += String.format(Locale.ROOT, " · loss %.3f", loss[Math.min(p.step(), loss.length - 1)]);
        }
        detail.setText(text);
    }

    /** Moves the knob to {@code step} without opening anything. */
    private void moveKnob(double step) {
        following = true;
        slider.setValue(step);
        following = false;
    }

    /**
     * The knob moved (dragged, a click on the track, or set): show the nearest stop's checkpoint when it is another
     * one, and snap the knob to it (a dragged knob at the release). Runs on every drag event, so a drag loads each
     * checkpoint it passes.
     */
    private void onSliderMoved(double value) {
        if (following || positions.isEmpty()) {
            return;
        }
        int i = nearestStop(value);
        // while dragged the knob stays under the pointer; it snaps to the checkpoint at the release
        if (!slider.isValueChanging() && value != positions.get(i).step()) {
            moveKnob(positions.get(i).step());
        }
        if (i != shownIndex) {
            showPosition(i);
        }
    }

    /**
     * The stop nearest to {@code step}. Where two share a step (the last checkpoint and the final model, the same
     * weights), the shown one is kept, else the final model.
     */
    private int nearestStop(double step) {
        int best = 0;
        for (int i = 1; i < positions.size(); i++) {
            if (Math.abs(positions.get(i).step() - step) < Math.abs(positions.get(best).step() - step)) {
                best = i;
            }
        }
        int bestStep = positions.get(best).step();
        if (shownIndex >= 0 && shownIndex < positions.size() && positions.get(shownIndex).step() == bestStep) {
            return shownIndex;
        }
        for (int i = best; i < positions.size() && positions.get(i).step() == bestStep; i++) {
            if (positions.get(i).finalModel()) {
                return i;
            }
        }
        return best;
    }

    /**
     * Lines the slider's track up with the loss chart's step axis below it: the slider's padding is set so its
     * axis (which starts half a knob inside the padding) spans the chart's x axis.
     */
    @Override
    protected void layoutChildren() {
        super.layoutChildren();
        lossChart.layout(); // its axis where it will be drawn this pulse
        javafx.scene.Node thumb = slider.lookup(".thumb");
        if (thumb == null || lossChart.xAxis().getWidth() <= 0) {
            return;
        }
        javafx.geometry.Bounds axis = sceneToLocal(lossChart.xAxis().localToScene(
                lossChart.xAxis().getLayoutBounds()));
        double half = thumb.prefWidth(-1) / 2;
        double left = Math.max(0, axis.getMinX() - slider.getLayoutX() - half);
        double right = Math.max(0, slider.getLayoutX() + slider.getWidth() - axis.getMaxX() - half);
        Insets now = slider.getPadding();
        if (Math.abs(now.getLeft() - left) > 0.25 || Math.abs(now.getRight() - right) > 0.25) {
            slider.setPadding(new Insets(now.getTop(), right, now.getBottom(), left));
            slider.layout();
        }
    }

    private void showPosition(int i) {
        if (i < 0 || i >= positions.size() || cache == null) {
            return;
        }
        shownIndex = i;
        Position p = positions.get(i);
        updateMarkers(p);
        Model shown = vm.model();
        if (shown != null && shown.info().folder().toAbsolutePath().normalize().equals(p.folder())) {
            return;
        }
        CheckpointCache c = cache;
        vm.showModel(p.folder(), c::open);
    }

    // ---- for the window and tests

    /** Shows slider stop {@code index} (0 = the first checkpoint). */
    public void select(int index) {
        if (index < 0 || index >= positions.size()) {
            return;
        }
        moveKnob(positions.get(index).step());
        if (index != shownIndex) {
            showPosition(index);
        }
    }

    /** The stop shown (an index into {@link #positions()}), -1 without a run. */
    public int shownIndex() {
        return shownIndex;
    }

    /** Shows the stop nearest to {@code step} (the final model only when asked for with {@code finalModel}). */
    public void selectStep(int step) {
        for (int i = 0; i < positions.size(); i++) {
            if (!positions.get(i).finalModel() && positions.get(i).step() == step) {
                select(i);
                return;
            }
        }
        CheckpointTimeline t = timeline.get();
        if (t != null && t.nearest(step) != null) {
            selectStep(t.nearest(step).step());
        }
    }

    public List<Position> positions() {
        return List.copyOf(positions);
    }

    public Slider slider() {
        return slider;
    }

    public ReadOnlyObjectProperty<CheckpointTimeline> timelineProperty() {
        return timeline.getReadOnlyProperty();
    }

    public MarkedLineChart lossChart() {
        return lossChart;
    }

    public MarkedLineChart inductionChart() {
        return inductionChart;
    }

    public MarkedLineChart previousTokenChart() {
        return previousChart;
    }

    public int phaseChangeStep() {
        return phaseStep;
    }

    /** Closes the cached checkpoints (the explorer must not show one any more). */
    public void dispose() {
        if (cache != null) {
            cache.close();
            cache = null;
        }
    }
}
