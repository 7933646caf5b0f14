package dev.headlight.ui.lab;

import dev.headlight.train.PhaseChange;
import dev.headlight.ui.lab.TrainingLabViewModel.CheckpointPoint;
import dev.headlight.ui.lab.TrainingLabViewModel.StepPoint;
import javafx.collections.ListChangeListener;
import javafx.geometry.Side;
import javafx.scene.chart.XYChart;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;

import java.util.ArrayList;
import java.util.List;

/**
 * The lab's live charts over steps: the loss (and in-context loss), and each head's previous-token and induction
 * score per checkpoint, with the latest checkpoint and the phase change marked ({@link #phaseMarkers}). Follows
 * {@link TrainingLabViewModel}'s lists: cleared at Start, one point per step and per checkpoint.
 */
final class LabCharts extends HBox {
    final MarkedLineChart loss = new MarkedLineChart("Training loss", "loss");
    final MarkedLineChart previous = new MarkedLineChart("Previous-token score per head", "score");
    final MarkedLineChart induction = new MarkedLineChart("Induction score per head", "score");
    final XYChart.Series<Number, Number> lossSeries = new XYChart.Series<>();
    /** Loss on the positions the context can predict (the induction task's copies). */
    private final XYChart.Series<Number, Number> inContextSeries = new XYChart.Series<>();
    private final LabWeightsViewModel weights;
    private int lastCheckpoint = -1;

    LabCharts(TrainingLabViewModel vm) {
        super(4);
        this.weights = vm.weights();
        loss.setCreateSymbols(false);
        loss.setLegendSide(Side.BOTTOM);
        loss.yAxis().setForceZeroInRange(false);
        loss.getStyleClass().add("loss-chart");
        lossSeries.setName("loss");
        inContextSeries.setName("in-context");
        loss.getData().addAll(List.of(lossSeries, inContextSeries));
        for (MarkedLineChart c : List.of(previous, induction)) {
            c.yAxis().setAutoRanging(false);
            c.yAxis().setLowerBound(0);
            c.yAxis().setUpperBound(1);
            c.yAxis().setTickUnit(0.25);
            c.setLegendSide(Side.BOTTOM);
        }
        for (MarkedLineChart c : List.of(loss, previous, induction)) {
            c.setMinWidth(120);
            HBox.setHgrow(c, Priority.ALWAYS);
        }
        getChildren().addAll(loss, previous, induction);
        vm.steps().addListener((ListChangeListener<StepPoint>) this::stepsChanged);
        vm.checkpoints().addListener((ListChangeListener<CheckpointPoint>) this::checkpointsChanged);
        weights.markersProperty().addListener((o, a, b) -> updateMarkers());
    }

    /** Sets every chart's step axis to 0..{@code total} (at Start). */
    void startAxis(int total) {
        for (MarkedLineChart chart : List.of(loss, previous, induction)) {
            stepAxis(chart, total);
        }
    }

    static void stepAxis(MarkedLineChart chart, int total) {
        chart.xAxis().setAutoRanging(false);
        chart.xAxis().setLowerBound(0);
        chart.xAxis().setUpperBound(Math.max(1, total));
        chart.xAxis().setTickUnit(TimelinePanel.niceTick(total));
    }

    private void stepsChanged(ListChangeListener.Change<? extends StepPoint> c) {
        while (c.next()) {
            if (c.wasRemoved() && c.getList().isEmpty()) {
                lossSeries.getData().clear();
                inContextSeries.getData().clear();
            }
            List<XYChart.Data<Number, Number>> points = new ArrayList<>();
            List<XYChart.Data<Number, Number>> inContext = new ArrayList<>();
            for (StepPoint p : c.getAddedSubList()) {
                points.add(new XYChart.Data<>(p.step(), p.loss()));
                if (!Double.isNaN(p.inContextLoss())) {
                    inContext.add(new XYChart.Data<>(p.step(), p.inContextLoss()));
                }
            }
            lossSeries.getData().addAll(points);
            inContextSeries.getData().addAll(inContext);
        }
    }

    private void checkpointsChanged(ListChangeListener.Change<? extends CheckpointPoint> c) {
        while (c.next()) {
            if (c.wasRemoved() && c.getList().isEmpty()) {
                previous.getData().clear();
                induction.getData().clear();
                lastCheckpoint = -1;
            }
            for (CheckpointPoint p : c.getAddedSubList()) {
                if (p.scores() != null) {
                    addScores(previous, p.step(), p.scores().previousToken());
                    addScores(induction, p.step(), p.scores().induction());
                }
                lastCheckpoint = p.step();
            }
        }
        updateMarkers();
    }

    private void updateMarkers() {
        List<MarkedLineChart.Marker> phase = phaseMarkers(weights);
        List<MarkedLineChart.Marker> withCheckpoint = new ArrayList<>(phase);
        if (lastCheckpoint >= 0) {
            withCheckpoint.add(new MarkedLineChart.Marker(lastCheckpoint, "checkpoint " + lastCheckpoint,
                    "step-marker"));
        }
        loss.markers().setAll(withCheckpoint);
        induction.markers().setAll(phase);
        previous.markers().setAll(phase);
    }

    /**
     * The phase change as markers: the first checkpoint whose induction score reached the threshold (live), and
     * once the run has ended the start and end of the in-context loss's fall.
     */
    static List<MarkedLineChart.Marker> phaseMarkers(LabWeightsViewModel weights) {
        List<MarkedLineChart.Marker> out = new ArrayList<>();
        int step = weights.markersProperty().get().inductionStep();
        if (step >= 0) {
            out.add(new MarkedLineChart.Marker(step, "ind. ≥ " + TimelinePanel.PHASE_THRESHOLD, "phase-marker"));
        }
        PhaseChange p = weights.markersProperty().get().phaseChange();
        if (p != null) {
            out.add(new MarkedLineChart.Marker(p.start(), "phase", "phase-span"));
            out.add(new MarkedLineChart.Marker(p.end(), null, "phase-span"));
        }
        return out;
    }

    private static void addScores(MarkedLineChart chart, int step, double[][] m) {
        int k = 0;
        for (int l = 0; l < m.length; l++) {
            for (int h = 0; h < m[l].length; h++, k++) {
                if (chart.getData().size() <= k) {
                    XYChart.Series<Number, Number> s = new XYChart.Series<>();
                    s.setName("L" + l + "H" + h);
                    chart.getData().add(s);
                }
                chart.getData().get(k).getData().add(new XYChart.Data<>(step, m[l][h]));
            }
        }
    }
}
