package dev.headlight.ui.lab;

import dev.headlight.train.PhaseChange;
import dev.headlight.train.TensorGroups;
import dev.headlight.ui.ColorMap;
import dev.headlight.ui.Palette;
import dev.headlight.ui.compare.MatrixCanvas;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Pos;
import javafx.scene.chart.XYChart;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.RowConstraints;
import javafx.scene.layout.VBox;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the lab's run writes into the weights, drawn live from {@link LabWeightsViewModel}: the update-share heatmap
 * (one row per head, one column per bin of recorded steps, so its step axis runs left to right like the charts';
 * the bins holding the phase-change marks outlined) and one small chart per tensor group with a line per layer.
 */
final class LabWeightsPane extends HBox {
    private final LabWeightsViewModel vm;
    final MatrixCanvas share = new MatrixCanvas();
    final Map<TensorGroups.Group, MarkedLineChart> groupCharts = new EnumMap<>(TensorGroups.Group.class);
    private final HBox legend = new HBox(8);
    private int legendLayers = -1;

    LabWeightsPane(LabWeightsViewModel vm, ObservableValue<Palette> palette) {
        super(8);
        this.vm = vm;
        share.setId("lab-update-share");
        share.paletteProperty().bind(palette);
        ChoiceBox<LabWeightsViewModel.Slices> slices = new ChoiceBox<>();
        slices.getItems().setAll(LabWeightsViewModel.Slices.values());
        slices.valueProperty().bindBidirectional(vm.slicesProperty());
        slices.setId("lab-share-slices");
        Label definition = new Label("A head's share: Σ ||ΔW||² of its slices / the same over all "
                + "heads, per step. Phase change outlined.");
        definition.getStyleClass().add("panel-hint");
        definition.setWrapText(true);
        Label shareOf = new Label("Share of");
        shareOf.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE); // the choice box shrinks, not the label
        HBox shareBar = new HBox(6, shareOf, slices);
        shareBar.setAlignment(Pos.CENTER_LEFT);
        VBox left = new VBox(4, shareBar, share, definition);
        VBox.setVgrow(share, Priority.ALWAYS);
        left.setMinWidth(300);
        left.setPrefWidth(340);

        legend.setAlignment(Pos.CENTER_LEFT);
        ChoiceBox<LabWeightsViewModel.Norm> norm = new ChoiceBox<>();
        norm.getItems().setAll(LabWeightsViewModel.Norm.values());
        norm.valueProperty().bindBidirectional(vm.normProperty());
        HBox normBar = new HBox(6, new Label("Tensor groups:"), norm, legend);
        normBar.setAlignment(Pos.CENTER_LEFT);
        GridPane grid = new GridPane();
        TensorGroups.Group[] all = TensorGroups.Group.values();
        int columns = 4;
        for (int c = 0; c < columns; c++) {
            ColumnConstraints cc = new ColumnConstraints();
            cc.setPercentWidth(100.0 / columns);
            grid.getColumnConstraints().add(cc);
        }
        for (int r = 0; r < 2; r++) {
            RowConstraints rc = new RowConstraints();
            rc.setPercentHeight(50);
            grid.getRowConstraints().add(rc);
        }
        for (int i = 0; i < all.length; i++) {
            MarkedLineChart chart = new MarkedLineChart(all[i].label(), null);
            chart.setCreateSymbols(false);
            chart.setLegendVisible(false); // one legend for all: colour n is layer n in every chart
            chart.getStyleClass().add("group-chart");
            chart.getXAxis().setLabel(null);
            chart.setMinSize(80, 60);
            groupCharts.put(all[i], chart);
            grid.add(chart, i % columns, i / columns);
        }
        VBox right = new VBox(2, normBar, grid);
        VBox.setVgrow(grid, Priority.ALWAYS);
        getChildren().addAll(left, right);
        HBox.setHgrow(left, Priority.SOMETIMES);
        HBox.setHgrow(right, Priority.ALWAYS);
        vm.revisionProperty().addListener((o, a, b) -> redraw());
        palette.addListener((o, a, b) -> drawShare()); // not-yet-reached bins are drawn in the background colour
        redraw();
    }

    private void redraw() {
        drawShare();
        List<MarkedLineChart.Marker> markers = LabCharts.phaseMarkers(vm).stream()
                .map(m -> new MarkedLineChart.Marker(m.x(), null, m.styleClass())).toList();
        for (Map.Entry<TensorGroups.Group, MarkedLineChart> e : groupCharts.entrySet()) {
            MarkedLineChart chart = e.getValue();
            List<LabWeightsViewModel.Curve> curves = vm.curves(e.getKey());
            LabCharts.stepAxis(chart, vm.shape().plannedSteps());
            List<XYChart.Series<Number, Number>> series = new ArrayList<>();
            // series n is layer n (an empty one where the group has no part in that layer), then the part
            // outside the layer stack: the chart's colour n is layer n's in every chart
            for (int layer = 0; layer < vm.shape().layers() && !curves.isEmpty(); layer++) {
                int l = layer;
                if (curves.stream().noneMatch(c -> c.key().layer() == l)) {
                    XYChart.Series<Number, Number> empty = new XYChart.Series<>();
                    empty.setName("L" + l);
                    series.add(empty);
                }
            }
            for (LabWeightsViewModel.Curve c : curves) {
                XYChart.Series<Number, Number> s = new XYChart.Series<>();
                s.setName(c.key().layerLabel());
                List<XYChart.Data<Number, Number>> points = new ArrayList<>();
                for (int i = 0; i < c.steps().length; i++) {
                    points.add(new XYChart.Data<>(c.steps()[i], c.values()[i]));
                }
                s.getData().setAll(points);
                series.add(s);
            }
            series.sort(java.util.Comparator.comparingInt(x -> x.getName().startsWith("L")
                    ? Integer.parseInt(x.getName().substring(1)) : Integer.MAX_VALUE));
            updateSeries(chart, series);
            chart.markers().setAll(markers);
        }
        updateLegend();
    }

    /** "● L0 ● L1 … ● outside the layers", in the charts' series colours. */
    private void updateLegend() {
        if (legendLayers == vm.shape().layers()) {
            return;
        }
        legendLayers = vm.shape().layers();
        legend.getChildren().clear();
        for (int l = 0; l <= vm.shape().layers(); l++) {
            javafx.scene.layout.Region dot = new javafx.scene.layout.Region();
            dot.getStyleClass().addAll("chart-legend-item-symbol", "chart-line-symbol", "series" + l,
                    "default-color" + (l % 8));
            Label item = new Label(l < vm.shape().layers() ? "L" + l : "outside the layers", dot);
            item.getStyleClass().add("group-legend");
            legend.getChildren().add(item);
        }
    }

    /** Replaces the points of the chart's series in place (new series only when the layers changed). */
    private static void updateSeries(MarkedLineChart chart, List<XYChart.Series<Number, Number>> series) {
        boolean same = chart.getData().size() == series.size();
        for (int i = 0; same && i < series.size(); i++) {
            same = chart.getData().get(i).getName().equals(series.get(i).getName());
        }
        if (!same) {
            chart.getData().setAll(series);
            return;
        }
        for (int i = 0; i < series.size(); i++) {
            chart.getData().get(i).getData().setAll(series.get(i).getData());
        }
    }

    private void drawShare() {
        double[][] grid = vm.shareGrid(); // [bin][layer * heads + head]
        if (grid == null) {
            share.setContent(null);
            return;
        }
        int heads = vm.shape().heads();
        int columns = grid.length;
        int rows = vm.shape().layers() * heads;
        String[] headLabels = new String[rows];
        for (int k = 0; k < rows; k++) {
            headLabels[k] = "L" + k / heads + "H" + k % heads;
        }
        int[] binSteps = vm.binSteps();
        String[] stepLabels = new String[columns];
        for (int b = 0; b < columns; b++) {
            stepLabels[b] = Integer.toString(binSteps[b]);
        }
        double max = 1e-12;
        for (double[] bin : grid) {
            for (double v : bin) {
                if (!Double.isNaN(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        boolean[][] marked = new boolean[rows][columns];
        for (int step : markedSteps()) {
            int b = binOf(binSteps, step);
            for (int k = 0; k < rows; k++) {
                marked[k][b] = true;
            }
        }
        double top = max;
        javafx.scene.paint.Color bg = share.paletteProperty().get().background();
        int background = 0xFF000000 | (int) Math.round(bg.getRed() * 255) << 16
                | (int) Math.round(bg.getGreen() * 255) << 8 | (int) Math.round(bg.getBlue() * 255);
        share.setContent(new MatrixCanvas.Content(String.format(Locale.ROOT, "%s share (max %.2f)",
                vm.slicesProperty().get(), top), rows, columns,
                headLabels, stepLabels, (k, b) -> Double.isNaN(grid[b][k]) ? background
                        : ColorMap.VIRIDIS.argb(grid[b][k] / top), null, marked));
    }

    private List<Integer> markedSteps() {
        List<Integer> out = new ArrayList<>();
        LabWeightsViewModel.Markers markers = vm.markersProperty().get();
        if (markers.inductionStep() >= 0) {
            out.add(markers.inductionStep());
        }
        PhaseChange p = markers.phaseChange();
        if (p != null) {
            out.add(p.start());
            out.add(p.end());
        }
        return out;
    }

    /** The bin whose first step is the last at or before {@code step}. */
    private static int binOf(int[] binSteps, int step) {
        int b = 0;
        while (b + 1 < binSteps.length && binSteps[b + 1] <= step) {
            b++;
        }
        return b;
    }
}
