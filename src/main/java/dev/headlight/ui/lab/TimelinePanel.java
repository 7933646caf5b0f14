package dev.headlight.ui.lab;

import dev.headlight.train.CheckpointTimeline;
import dev.headlight.ui.ExplorerViewModel;
import dev.headlight.ui.lab.TimelineViewModel.Position;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Slider;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Scrubs through a training run: a slider over the checkpoints (and the final model) of the open model's folder
 * above the run's charts ({@link TimelineCharts}: loss, head scores, circuit scores, gradient norms) with markers
 * at the shown step and at the phase change, and any further sections (the weight-change heatmaps) below them.
 * Moving the slider shows that checkpoint in the whole explorer. The state and the work are
 * {@link TimelineViewModel}'s; this view only keeps the slider and the markers in step with it.
 */
public final class TimelinePanel extends VBox {
    /** The best induction score of a layer must reach this for the phase-change marker. */
    static final double PHASE_THRESHOLD = 0.5;

    private final TimelineViewModel vm;
    private final Slider slider = new Slider(0, 1, 0);
    private final Label heading = new Label("No checkpoints");
    private final Label detail = new Label();
    private final TimelineCharts charts;
    private final VBox sections;
    /** True while the knob is moved to follow the view model (then it must not open anything). */
    private boolean following;

    public TimelinePanel(ExplorerViewModel explorer, dev.headlight.ui.task.TaskRunner tasks) {
        this.vm = new TimelineViewModel(tasks, explorer);
        this.charts = new TimelineCharts(vm, explorer.selection());
        getStyleClass().add("timeline-panel");
        getStylesheets().add(TimelinePanel.class.getResource("lab.css").toExternalForm());
        setSpacing(6);
        setPadding(new Insets(8));
        heading.getStyleClass().add("timeline-heading");
        detail.getStyleClass().add("panel-hint");
        detail.setWrapText(true);
        configureSlider();
        HBox head = new HBox(12, heading, detail);
        head.setAlignment(Pos.BASELINE_LEFT);
        sections = new VBox(6, charts);
        ScrollPane scroll = new ScrollPane(sections);
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        scroll.getStyleClass().add("edge-to-edge");
        VBox.setVgrow(scroll, Priority.ALWAYS);
        getChildren().addAll(head, slider, scroll);
        vm.dataProperty().addListener((o, a, d) -> showRun(d));
        vm.shownIndexProperty().addListener((o, a, i) -> showStop(i.intValue()));
        showRun(vm.dataProperty().get());
    }

    private void configureSlider() {
        slider.setId("timeline-slider");
        // the slider runs over steps, like the charts' x axis below it: its ticks and labels are the axis's, and the
        // knob snaps to the nearest checkpoint (the charts' axis is lined up in layoutChildren)
        slider.setMinorTickCount(0);
        slider.setShowTickMarks(true);
        slider.setShowTickLabels(true);
        slider.setLabelFormatter(new StringConverter<>() {
            @Override
            public String toString(Double v) {
                String step = Integer.toString((int) Math.round(v));
                // the final model shares the last checkpoint's step: its tick says so, as the charts' marker does
                List<Position> positions = vm.positions();
                boolean lastIsFinal = !positions.isEmpty() && positions.getLast().finalModel();
                return lastIsFinal && v == slider.getMax() ? step + " · final" : step;
            }

            @Override
            public Double fromString(String s) {
                return 0.0;
            }
        });
        slider.valueProperty().addListener((o, a, b) -> onSliderMoved(b.doubleValue()));
        slider.valueChangingProperty().addListener((o, was, changing) -> {
            int shown = vm.shownIndex();
            if (!changing && shown >= 0 && shown < vm.positions().size()) {
                moveKnob(vm.positions().get(shown).step());
            }
        });
        // the arrow keys step from checkpoint to checkpoint (the gaps between them need not be equal)
        slider.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            int shown = vm.shownIndex();
            int to = switch (e.getCode()) {
                case LEFT, DOWN, KP_LEFT, KP_DOWN, PAGE_DOWN -> shown - 1;
                case RIGHT, UP, KP_RIGHT, KP_UP, PAGE_UP -> shown + 1;
                case HOME -> 0;
                case END -> vm.positions().size() - 1;
                default -> Integer.MIN_VALUE;
            };
            if (to != Integer.MIN_VALUE) {
                e.consume();
                select(to);
            }
        });
    }

    /** A new run (or none): the slider's range and the heading. */
    private void showRun(TimelineData d) {
        List<Position> positions = vm.positions();
        if (d == null || positions.isEmpty()) {
            heading.setText("No checkpoints");
            detail.setText("Open a training run (a folder with step-N/ or checkpoint-N/ model folders) to scrub "
                    + "through it.");
            slider.setDisable(true);
            return;
        }
        CheckpointTimeline t = d.timeline();
        int lastStep = positions.getLast().step();
        slider.setDisable(false);
        following = true;
        slider.setMin(0);
        slider.setMax(Math.max(1, lastStep));
        slider.setMajorTickUnit(niceTick(lastStep));
        following = false;
        heading.setText(positions.size() - (t.hasFinalModel() ? 1 : 0) + " checkpoints"
                + (t.hasFinalModel() ? " + final" : ""));
        showStop(vm.shownIndex());
    }

    /** The view model moved to stop {@code i}: the knob, the markers and the detail line follow. */
    private void showStop(int i) {
        List<Position> positions = vm.positions();
        if (i < 0 || i >= positions.size() || vm.dataProperty().get() == null) {
            return;
        }
        Position p = positions.get(i);
        moveKnob(p.step());
        List<MarkedLineChart.Marker> markers = new ArrayList<>();
        int phaseStep = phaseChangeStep();
        if (phaseStep >= 0) {
            markers.add(new MarkedLineChart.Marker(phaseStep, "induction ≥ " + PHASE_THRESHOLD + " at " + phaseStep,
                    "phase-marker"));
        }
        markers.add(new MarkedLineChart.Marker(p.step(), p.finalModel() ? "final" : "step " + p.step(),
                "step-marker"));
        charts.setMarkers(markers);
        CheckpointTimeline t = vm.timelineProperty().getValue();
        String text = p.finalModel() ? "final model (" + t.root().getFileName() + ")"
                : p.folder().getFileName().toString();
        double[] loss = t.loss();
        if (p.step() < loss.length && p.step() >= 0) {
            text += String.format(Locale.ROOT, " · loss %.3f", loss[Math.min(p.step(), loss.length - 1)]);
        }
        detail.setText(text);
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
        if (following || vm.positions().isEmpty()) {
            return;
        }
        int i = vm.nearestStop(value);
        // while dragged the knob stays under the pointer; it snaps to the checkpoint at the release
        if (!slider.isValueChanging() && value != vm.positions().get(i).step()) {
            moveKnob(vm.positions().get(i).step());
        }
        if (i != vm.shownIndex()) {
            vm.select(i);
        }
    }

    /**
     * Lines the slider's track up with the loss chart's step axis below it: the slider's padding is set so its
     * axis (which starts half a knob inside the padding) spans the chart's x axis.
     */
    @Override
    protected void layoutChildren() {
        super.layoutChildren();
        charts.loss.layout(); // its axis where it will be drawn this pulse
        javafx.scene.Node thumb = slider.lookup(".thumb");
        if (thumb == null || charts.loss.xAxis().getWidth() <= 0) {
            return;
        }
        javafx.geometry.Bounds axis = sceneToLocal(charts.loss.xAxis().localToScene(
                charts.loss.xAxis().getLayoutBounds()));
        double half = thumb.prefWidth(-1) / 2;
        double left = Math.max(0, axis.getMinX() - slider.getLayoutX() - half);
        double right = Math.max(0, slider.getLayoutX() + slider.getWidth() - axis.getMaxX() - half);
        Insets now = slider.getPadding();
        if (Math.abs(now.getLeft() - left) > 0.25 || Math.abs(now.getRight() - right) > 0.25) {
            slider.setPadding(new Insets(now.getTop(), right, now.getBottom(), left));
            slider.layout();
        }
    }

    // ---- for the window and tests

    /** Adds a section below the charts (e.g. the weight-change heatmaps). */
    public void addSection(Node section) {
        sections.getChildren().add(section);
    }

    public TimelineViewModel viewModel() {
        return vm;
    }

    /** Shows slider stop {@code index} (0 = the first checkpoint). */
    public void select(int index) {
        if (index >= 0 && index < vm.positions().size()) {
            moveKnob(vm.positions().get(index).step());
            if (index != vm.shownIndex()) {
                vm.select(index);
            }
        }
    }

    /** The stop shown (an index into {@link #positions()}), -1 without a run. */
    public int shownIndex() {
        return vm.shownIndex();
    }

    /** Shows the checkpoint at {@code step}, else the nearest one. */
    public void selectStep(int step) {
        vm.selectStep(step);
    }

    public List<Position> positions() {
        return vm.positions();
    }

    public ObservableValue<CheckpointTimeline> timelineProperty() {
        return vm.timelineProperty();
    }

    public int phaseChangeStep() {
        TimelineData d = vm.dataProperty().get();
        return d == null ? -1 : d.phaseStep();
    }

    /** Stops the background work and closes the cached checkpoints (the explorer must not show one any more). */
    public void dispose() {
        vm.dispose();
    }
}
