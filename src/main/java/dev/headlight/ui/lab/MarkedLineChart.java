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

    /** A marker's nodes: its line and its label (null without one). */
    private record Shown(Marker marker, Line line, Text label) {
    }

    private final ObservableList<Marker> markers = FXCollections.observableArrayList();
    private final List<Shown> shown = new ArrayList<>();

    public MarkedLineChart(String title, String yLabel) {
        super(new NumberAxis(), new NumberAxis());
        setTitle(title);
        getXAxis().setLabel("step");
        getYAxis().setLabel(yLabel);
        setAnimated(false);
        getStyleClass().add("lab-chart");
        markers.addListener((InvalidationListener) o -> makeMarkerNodes());
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

    /**
     * Makes the markers' nodes when the markers change. Layout only moves them: adding plot children during layout
     * would ask for another layout, on every pulse.
     */
    private void makeMarkerNodes() {
        List<Node> old = new ArrayList<>();
        for (Shown s : shown) {
            old.add(s.line());
            if (s.label() != null) {
                old.add(s.label());
            }
        }
        getPlotChildren().removeAll(old);
        shown.clear();
        List<Node> nodes = new ArrayList<>();
        for (Marker m : markers) {
            Line line = new Line();
            line.getStyleClass().addAll("chart-marker", m.styleClass());
            nodes.add(line);
            Text text = null;
            if (m.label() != null && !m.label().isEmpty()) {
                text = new Text(m.label());
                text.getStyleClass().addAll("chart-marker-label", m.styleClass());
                nodes.add(text);
            }
            shown.add(new Shown(m, line, text));
        }
        getPlotChildren().addAll(nodes);
        requestChartLayout();
    }

    /** The marker nodes in the plot, for tests: each marker's line, then its label when it has one. */
    List<Node> markerNodes() {
        List<Node> nodes = new ArrayList<>();
        for (Shown s : shown) {
            nodes.add(s.line());
            if (s.label() != null) {
                nodes.add(s.label());
            }
        }
        return nodes;
    }

    @Override
    protected void layoutPlotChildren() {
        super.layoutPlotChildren();
        double height = getYAxis().getHeight();
        double w = getXAxis().getWidth();
        int row = 0;
        for (Shown s : shown) {
            double x = getXAxis().getDisplayPosition(s.marker().x());
            boolean visible = !Double.isNaN(x);
            s.line().setVisible(visible);
            if (s.label() != null) {
                s.label().setVisible(visible);
            }
            if (!visible) {
                continue;
            }
            s.line().setStartX(x);
            s.line().setEndX(x);
            s.line().setStartY(0);
            s.line().setEndY(height);
            if (s.label() != null) {
                double width = s.label().getLayoutBounds().getWidth();
                s.label().setX(x + 4 + width > w ? x - 4 - width : x + 4);
                s.label().setY(12 + 14 * row++);
            }
        }
    }
}
