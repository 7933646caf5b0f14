package dev.headlight.ui.lab;

import dev.headlight.ui.Selection;
import javafx.geometry.Side;
import javafx.scene.chart.XYChart;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.util.ArrayList;
import java.util.List;

/**
 * The Timeline's charts over one step axis: loss, each head's induction and previous-token score, the circuit
 * scores per checkpoint (copying and K-composition of the selected head and the strongest of all, filled in as the
 * background computation reaches each checkpoint), and, for runs with weight records, each tensor group's gradient
 * norm. Draws {@link TimelineViewModel}'s data; the markers (shown step, phase change) are set by the panel.
 */
final class TimelineCharts extends VBox {
    /** Width of the charts' y axes (label and tick labels such as "0.25" or "12.5"): the step axes line up. */
    static final double Y_AXIS_WIDTH = 58;
    /** Score charts mark each checkpoint's score with a symbol up to this many points in all. */
    static final int MAX_SYMBOLS = 200;

    final MarkedLineChart loss = new MarkedLineChart("Training loss", "loss");
    final MarkedLineChart previous = new MarkedLineChart("Previous-token score per head", "score");
    final MarkedLineChart induction = new MarkedLineChart("Induction score per head", "score");
    final MarkedLineChart circuits = new MarkedLineChart("Circuit scores per checkpoint, from the weights alone: "
            + "copying, K-composition (→ into the selected head)", "score");
    final MarkedLineChart gradient = new MarkedLineChart("Gradient norm ||G||_F per tensor group", "norm");
    private final TimelineViewModel vm;
    private final Selection selection;

    TimelineCharts(TimelineViewModel vm, Selection selection) {
        super(6);
        this.vm = vm;
        this.selection = selection;
        // the ids name the charts for tests and tools
        loss.setId("timeline-loss");
        previous.setId("timeline-previous");
        induction.setId("timeline-induction");
        circuits.setId("timeline-circuits");
        gradient.setId("timeline-gradient");
        for (MarkedLineChart c : all()) {
            c.setMinHeight(150);
            c.setPrefHeight(210);
            c.setLegendSide(Side.RIGHT);
            c.getStyleClass().add("side-legend");
            c.yAxis().setMinWidth(Y_AXIS_WIDTH);
            c.yAxis().setPrefWidth(Y_AXIS_WIDTH);
            VBox.setVgrow(c, Priority.ALWAYS);
        }
        loss.setCreateSymbols(false);
        loss.yAxis().setForceZeroInRange(false);
        loss.getStyleClass().add("loss-chart");
        gradient.setCreateSymbols(false);
        gradient.setPrefHeight(260); // its legend's eight groups in one column
        for (MarkedLineChart c : List.of(previous, induction)) {
            fixedRange(c, 0, 1, 0.25);
        }
        fixedRange(circuits, -1, 1, 0.5);
        getChildren().addAll(all());
        vm.dataProperty().addListener((o, a, d) -> fill(d));
        vm.circuitsProperty().addListener((o, a, b) -> drawCircuits());
        selection.layerProperty().addListener((o, a, b) -> drawCircuits());
        selection.headProperty().addListener((o, a, b) -> drawCircuits());
        fill(vm.dataProperty().get());
    }

    List<MarkedLineChart> all() {
        // induction right below the loss: the phase change shows in both without scrolling
        return List.of(loss, induction, previous, circuits, gradient);
    }

    private static void fixedRange(MarkedLineChart c, double low, double high, double tick) {
        c.yAxis().setAutoRanging(false);
        c.yAxis().setLowerBound(low);
        c.yAxis().setUpperBound(high);
        c.yAxis().setTickUnit(tick);
    }

    private void fill(TimelineData d) {
        for (MarkedLineChart c : all()) {
            c.getData().clear();
            c.markers().clear();
        }
        if (d == null || vm.positions().isEmpty()) {
            show(gradient, false);
            return;
        }
        int lastStep = vm.positions().getLast().step();
        for (MarkedLineChart c : all()) {
            LabCharts.stepAxis(c, lastStep);
        }
        loss.getData().setAll(series(d.loss()));
        showScores(previous, series(d.previous()));
        showScores(induction, series(d.induction()));
        gradient.getData().setAll(series(d.gradient()));
        show(gradient, !d.gradient().isEmpty());
        drawCircuits();
    }

    private void drawCircuits() {
        List<XYChart.Series<Number, Number>> s = series(vm.circuitCurves(selection.layer(), selection.head()));
        circuits.setCreateSymbols(true);
        circuits.getData().setAll(s);
    }

    /** The same markers on every chart; the previous-token chart gets only the last (the shown step). */
    void setMarkers(List<MarkedLineChart.Marker> markers) {
        for (MarkedLineChart c : all()) {
            if (c == previous) {
                c.markers().setAll(markers.isEmpty() ? List.of() : List.of(markers.getLast()));
            } else {
                c.markers().setAll(markers);
            }
        }
    }

    static List<XYChart.Series<Number, Number>> series(List<TimelineData.Curve> curves) {
        List<XYChart.Series<Number, Number>> out = new ArrayList<>();
        for (TimelineData.Curve c : curves) {
            XYChart.Series<Number, Number> s = new XYChart.Series<>();
            s.setName(c.name());
            List<XYChart.Data<Number, Number>> points = new ArrayList<>();
            for (int i = 0; i < c.x().length; i++) {
                if (!Double.isNaN(c.y()[i])) {
                    points.add(new XYChart.Data<>(c.x()[i], c.y()[i]));
                }
            }
            s.getData().setAll(points);
            out.add(s);
        }
        return out;
    }

    private static void showScores(MarkedLineChart chart, List<XYChart.Series<Number, Number>> series) {
        // a symbol is a styled node per point: only for runs with few checkpoints and heads
        chart.setCreateSymbols(series.stream().mapToInt(x -> x.getData().size()).sum() <= MAX_SYMBOLS);
        chart.getData().setAll(series);
        show(chart, !series.isEmpty());
    }

    private static void show(MarkedLineChart chart, boolean visible) {
        chart.setVisible(visible);
        chart.setManaged(visible);
    }
}
