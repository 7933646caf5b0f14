package dev.headlight.ui.lab;

import dev.headlight.train.CheckpointWeightChanges;
import dev.headlight.ui.ColorMap;
import dev.headlight.ui.compare.MatrixCanvas;
import javafx.geometry.Pos;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.util.List;

/**
 * The timeline's weights side: a heatmap [checkpoint × head] of the relative change of the chosen attention
 * slice, and, when training.json has weight records, a heatmap [step × head] of each head's share of that slice's
 * update. Assembles only; {@link WeightChangeViewModel} computes.
 */
public final class WeightChangeView extends VBox {
    private final WeightChangeViewModel vm;
    private final MatrixCanvas changes = new MatrixCanvas();
    private final MatrixCanvas shares = new MatrixCanvas();

    public WeightChangeView(WeightChangeViewModel vm) {
        this.vm = vm;
        setSpacing(4);
        ChoiceBox<String> slice = new ChoiceBox<>();
        slice.getItems().addAll("q", "k", "v", "o");
        slice.valueProperty().bindBidirectional(vm.sliceProperty());
        CheckBox fromFirst = new CheckBox("from step 0");
        fromFirst.selectedProperty().bindBidirectional(vm.fromFirstProperty());
        Label hint = new Label("||W_t − W_(t−1)||_F / ||W_(t−1)||_F");
        hint.getStyleClass().add("panel-hint");
        HBox controls = new HBox(8, new Label("Slice"), slice, fromFirst, hint);
        controls.setAlignment(Pos.CENTER_LEFT);
        changes.setId("timeline-weight-changes");
        shares.setId("timeline-update-share");
        HBox maps = new HBox(8, changes, shares);
        HBox.setHgrow(changes, Priority.ALWAYS);
        HBox.setHgrow(shares, Priority.ALWAYS);
        maps.setPrefHeight(220);
        maps.setMinHeight(160);
        getChildren().addAll(controls, maps);
        vm.stepsProperty().addListener((o, a, b) -> redraw());
        vm.recordsProperty().addListener((o, a, b) -> redraw());
        vm.sliceProperty().addListener((o, a, b) -> redraw());
        vm.fromFirstProperty().addListener((o, a, b) -> redraw());
    }

    public MatrixCanvas changes() {
        return changes;
    }

    public MatrixCanvas shares() {
        return shares;
    }

    private void redraw() {
        double[][] grid = vm.changeGrid();
        List<CheckpointWeightChanges.Step> steps = vm.stepsProperty().get();
        shares.setVisible(false);
        if (grid == null) {
            changes.setContent(null);
            return;
        }
        String[] headLabels = new String[vm.layers() * vm.heads()];
        for (int k = 0; k < headLabels.length; k++) {
            headLabels[k] = "L" + k / vm.heads() + "H" + k % vm.heads();
        }
        String[] stepLabels = steps.stream().map(s -> Integer.toString(s.step())).toArray(String[]::new);
        double max = 1e-12;
        for (double[] row : grid) {
            for (double v : row) {
                if (!Double.isNaN(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        double scale = max;
        String[][] text = new String[grid.length][headLabels.length];
        for (int i = 0; i < grid.length; i++) {
            for (int k = 0; k < headLabels.length; k++) {
                text[i][k] = Double.isNaN(grid[i][k]) ? "–" : String.format(java.util.Locale.ROOT, "%.2f", grid[i][k]);
            }
        }
        changes.setContent(new MatrixCanvas.Content("Relative change of W_" + vm.sliceProperty().get() + " per "
                + "checkpoint (max " + String.format(java.util.Locale.ROOT, "%.3f", max) + ")", grid.length,
                headLabels.length, stepLabels, headLabels, (r, c) -> ColorMap.VIRIDIS.argb(grid[r][c] / scale), text,
                null));
        double[][] share = vm.shareGrid();
        if (share != null) {
            int[] shareSteps = vm.shareSteps();
            String[] rows = new String[share.length];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = i % 10 == 0 ? Integer.toString(shareSteps[i]) : "";
            }
            double shareMax = 1e-12;
            for (double[] row : share) {
                for (double v : row) {
                    shareMax = Math.max(shareMax, v);
                }
            }
            double top = shareMax;
            shares.setContent(new MatrixCanvas.Content(String.format(java.util.Locale.ROOT, "Share of the W_%s update "
                    + "by step (max %.2f)", vm.sliceProperty().get(), top), share.length, headLabels.length, rows,
                    headLabels, (r, c) -> ColorMap.VIRIDIS.argb(share[r][c] / top), null, null));
            shares.setVisible(true);
        }
    }
}
