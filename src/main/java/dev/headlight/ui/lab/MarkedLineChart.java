package dev.headlight.ui.lab;

import javafx.beans.InvalidationListener;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.Node;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.shape.Line;
import javafx.scene.text.Text;

import java.util.ArrayList;
import java.util.List;

/** A line chart over steps with labelled vertical markers (the slider's step, the phase change). */
public final class MarkedLineChart extends LineChart<Number, Number> {
    /** A vertical line at {@code x} (a step); {@code styleClass} picks its colour in lab.css. */
    public record Marker(double x, String label, String styleClass) {
    }

    private final ObservableList<Marker> markers = FXCollections.observableArrayList();
    private final List<Node> markerNodes = new ArrayList<>();

    public MarkedLineChart(String title, String yLabel) {
        super(new NumberAxis(), new NumberAxis());
        setTitle(title);
        getXAxis().setLabel("step");
        getYAxis().setLabel(yLabel);
        setAnimated(false);
        getStyleClass().add("lab-chart");
        markers.addListener((InvalidationListener) o -> requestChartLayout());
    }

    public ObservableList<Marker> markers() {
        return markers;
    }

    public NumberAxis xAxis() {
        return (NumberAxis) getXAxis();
    }

    public NumberAxis yAxis() {
        return (NumberAxis) getYAxis();
    }

    @Override
    protected void layoutPlotChildren() {
        super.layoutPlotChildren();
        getPlotChildren().removeAll(markerNodes);
        markerNodes.clear();
        double height = getYAxis().getHeight();
        int row = 0;
        for (Marker m : markers) {
            double x = getXAxis().getDisplayPosition(m.x());
            if (Double.isNaN(x)) {
                continue;
            }
            Line line = new Line(x, 0, x, height);
            line.getStyleClass().addAll("chart-marker", m.styleClass());
            markerNodes.add(line);
            if (m.label() != null && !m.label().isEmpty()) {
                Text t = new Text(m.label());
                t.getStyleClass().addAll("chart-marker-label", m.styleClass());
                double width = t.getLayoutBounds().getWidth();
                double w = getXAxis().getWidth();
                t.setX(x + 4 + width > w ? x - 4 - width : x + 4);
                t.setY(12 + 14 * row++);
                markerNodes.add(t);
            }
        }
        getPlotChildren().addAll(markerNodes);
    }
}
