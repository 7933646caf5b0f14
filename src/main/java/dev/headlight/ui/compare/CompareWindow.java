package dev.headlight.ui.compare;

import dev.headlight.ui.Diverging;

import dev.headlight.train.CheckpointWeightChanges;
import dev.headlight.ui.ColorMap;
import dev.headlight.ui.PngExport;
import dev.headlight.ui.WindowHost;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Stage;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;

/**
 * File > Compare With…: two models of the same architecture on the explorer's prompt, or the explorer's prompt
 * against a second prompt on the open model. Per head the JS distance grid (click a head), the relative weight
 * change of one slice per head (two models), the selected head's two maps and their difference (B - A, diverging
 * colours centred on zero), and the two logit lenses' top-1 tokens with the cells where they differ outlined.
 * Assembles only: the state and the work are {@link CompareViewModel}'s.
 */
public final class CompareWindow {
    private final Stage stage = new Stage();
    private final CompareViewModel vm;
    private final WindowHost host;
    private final BorderPane root = new BorderPane();
    private final MatrixCanvas jsGrid = new MatrixCanvas();
    private final MatrixCanvas weightGrid = new MatrixCanvas();
    private final MatrixCanvas mapA = new MatrixCanvas();
    private final MatrixCanvas mapB = new MatrixCanvas();
    private final MatrixCanvas difference = new MatrixCanvas();
    private final MatrixCanvas lensA = new MatrixCanvas();
    private final MatrixCanvas lensB = new MatrixCanvas();
    private final ChoiceBox<String> slice = new ChoiceBox<>();
    private final TextField promptB = new TextField();

    public CompareWindow(WindowHost host) {
        this.host = host;
        this.vm = new CompareViewModel(host.tasks(), () -> host.explorer().model(),
                () -> host.explorer().promptProperty().get());
        stage.initOwner(host.window());
        stage.setTitle("Compare");

        Button folder = new Button("Compare with folder…");
        folder.setId("compare-folder");
        folder.setOnAction(e -> chooseFolder());
        promptB.setId("compare-prompt-b");
        promptB.setPromptText("second prompt (positions aligned over the shorter one)");
        HBox.setHgrow(promptB, Priority.ALWAYS);
        Button prompts = new Button("Compare prompts");
        prompts.setId("compare-prompts");
        jsGrid.setId("compare-js");
        difference.setId("compare-difference");
        lensB.setId("compare-lens-b");
        prompts.setOnAction(e -> vm.compareWithPrompt(promptB.getText()));
        promptB.setOnAction(e -> vm.compareWithPrompt(promptB.getText()));
        Button save = new Button("Save as PNG…");
        save.setOnAction(e -> chooseAndExport());
        Button cancel = new Button("Cancel");
        cancel.disableProperty().bind(vm.status().runningProperty().not());
        cancel.setOnAction(e -> vm.cancel());
        HBox bar = new HBox(8, folder, promptB, prompts, cancel, save);
        bar.setAlignment(Pos.CENTER_LEFT);
        Label status = new Label();
        status.setId("compare-status");
        status.textProperty().bind(vm.status().messageProperty());
        status.setWrapText(true);

        slice.getItems().addAll(CompareViewModel.SLICES);
        slice.valueProperty().bindBidirectional(vm.sliceProperty());
        HBox sliceRow = new HBox(6, new Label("Weight slice"), slice);
        sliceRow.setAlignment(Pos.CENTER_LEFT);
        VBox weights = new VBox(4, sliceRow, weightGrid);
        VBox.setVgrow(weightGrid, Priority.ALWAYS);
        weights.visibleProperty().bind(vm.shownProperty().map(s -> s.result() != null && s.result().twoModels()));

        GridPane grid = new GridPane(8, 8);
        grid.add(jsGrid, 0, 0);
        grid.add(weights, 1, 0);
        grid.add(mapA, 0, 1);
        grid.add(mapB, 1, 1);
        grid.add(difference, 2, 1);
        HBox lenses = new HBox(8, lensA, lensB);
        HBox.setHgrow(lensA, Priority.ALWAYS);
        HBox.setHgrow(lensB, Priority.ALWAYS);
        grid.add(lenses, 0, 2, 3, 1);
        for (var n : new javafx.scene.Node[] {jsGrid, weights, mapA, mapB, difference, lenses}) {
            GridPane.setHgrow(n, Priority.ALWAYS);
            GridPane.setVgrow(n, Priority.ALWAYS);
        }
        Label definitions = new Label(CompareViewModel.DEFINITIONS);
        definitions.setWrapText(true);
        definitions.setStyle("-fx-font-size: 10px; -fx-text-fill: -color-fg-muted;");
        root.setTop(new VBox(6, bar, status));
        root.setCenter(grid);
        root.setBottom(definitions);
        root.setPadding(new Insets(10));
        BorderPane.setMargin(grid, new Insets(8, 0, 8, 0));
        // the theme's own background (AtlantaFX's looked-up colour): light or dark as the explorer, and the grids
        // draw their labels with the explorer's palette
        root.setStyle("-fx-background-color: -color-bg-default;");
        for (MatrixCanvas canvas : new MatrixCanvas[] {jsGrid, weightGrid, mapA, mapB, difference, lensA, lensB}) {
            canvas.paletteProperty().bind(host.explorer().paletteProperty());
        }
        host.explorer().paletteProperty().addListener((o, a, b) -> redraw()); // the lens cells' tints

        jsGrid.setOnCell(vm::select);
        weightGrid.setOnCell(vm::select);
        vm.shownProperty().addListener((o, a, b) -> redraw());
        vm.sliceProperty().addListener((o, a, b) -> redraw());
        stage.setScene(new Scene(root, 1180, 860));
        host.onClose(stage::close);
    }

    public Stage stage() {
        return stage;
    }

    public CompareViewModel viewModel() {
        return vm;
    }

    public void show() {
        stage.show();
        stage.toFront();
    }

    private void chooseFolder() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Model B: a folder of the same architecture and shapes");
        var model = host.explorer().model();
        if (model != null && model.info().folder() != null && model.info().folder().getParent() != null) {
            chooser.setInitialDirectory(model.info().folder().toAbsolutePath().getParent().toFile());
        }
        File f = chooser.showDialog(stage);
        if (f != null) {
            vm.compareWithModel(f.toPath());
        }
    }

    private void chooseAndExport() {
        FileChooser chooser = new FileChooser();
        chooser.setInitialFileName("compare.png");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("PNG image", "*.png"));
        File f = chooser.showSaveDialog(stage);
        if (f != null) {
            try {
                exportPng(f.toPath());
            } catch (IOException e) {
                host.errors().report("Could not save " + f + ": " + e.getMessage());
            }
        }
    }

    /** Writes the whole view as it is shown to a PNG file. */
    public void exportPng(Path file) throws IOException {
        WritableImage image = root.snapshot(null, null);
        PngExport.write(image, file);
    }

    private void redraw() {
        CompareResult r = vm.shownProperty().get().result();
        if (r == null) {
            return;
        }
        int layer = vm.shownProperty().get().layer();
        int head = vm.shownProperty().get().head();
        int layers = r.layers();
        int heads = r.heads();
        String[] layerLabels = new String[layers];
        String[] headLabels = new String[heads];
        for (int l = 0; l < layers; l++) {
            layerLabels[l] = "L" + l;
        }
        for (int h = 0; h < heads; h++) {
            headLabels[h] = "H" + h;
        }
        double[][] js = r.comparison().jsDistance();
        double jsMax = Math.max(1e-9, max(js));
        jsGrid.setContent(new MatrixCanvas.Content("JS distance per head (max " + fmt(jsMax) + ")", layers, heads,
                layerLabels, headLabels, (l, h) -> ColorMap.VIRIDIS.argb(js[l][h] / jsMax), text(js), null));
        jsGrid.setSelected(layer, head);
        if (r.twoModels()) {
            double[][] change = CheckpointWeightChanges.headGrid(r.changes(), vm.sliceProperty().get(), layers, heads);
            double changeMax = Math.max(1e-12, max(change));
            weightGrid.setContent(new MatrixCanvas.Content("Relative change of W_" + vm.sliceProperty().get()
                    + " per head (max " + fmt(changeMax) + ")", layers, heads, layerLabels, headLabels,
                    (l, h) -> ColorMap.VIRIDIS.argb(change[l][h] / changeMax), text(change), null));
            weightGrid.setSelected(layer, head);
        }
        int n = r.positions();
        String[] qa = java.util.Arrays.copyOf(r.tokensA(), n);
        String[] qb = java.util.Arrays.copyOf(r.tokensB(), n);
        float[] a = r.comparison().a().attentions().head(layer, head);
        float[] b = r.comparison().b().attentions().head(layer, head);
        int ta = r.comparison().a().tokens();
        int tb = r.comparison().b().tokens();
        String where = "L" + layer + " H" + head;
        mapA.setContent(new MatrixCanvas.Content("A " + r.labelA() + " · " + where, n, n, qa, qa,
                (i, j) -> ColorMap.VIRIDIS.argb(a[i * ta + j]), null, null));
        mapB.setContent(new MatrixCanvas.Content("B " + r.labelB() + " · " + where, n, n, qb, qb,
                (i, j) -> ColorMap.VIRIDIS.argb(b[i * tb + j]), null, null));
        float[] d = vm.differenceMap();
        double dMax = 0;
        for (float v : d) {
            dMax = Math.max(dMax, Math.abs(v));
        }
        double scale = Math.max(1e-9, dMax);
        difference.setContent(new MatrixCanvas.Content("B − A (blue < 0 < red, ±" + fmt(dMax) + ")", n, n, qa, qa,
                (i, j) -> Diverging.argb(d[i * n + j], scale), null, null));
        int rows = r.lensTopA().length;
        String[] lensRows = new String[rows];
        for (int i = 0; i < rows; i++) {
            lensRows[i] = i == rows - 1 ? "out" : "in L" + i; // the residual entering layer i
        }
        boolean[][] differs = r.top1Differs();
        int count = 0;
        for (boolean[] row : differs) {
            for (boolean x : row) {
                count += x ? 1 : 0;
            }
        }
        boolean dark = host.explorer().paletteProperty().get().dark();
        int differ = dark ? 0xFF5A2A27 : 0xFFFBE3DF; // a red tint that keeps the token text readable
        int same = dark ? 0xFF21262D : 0xFFF2F2F2;
        lensA.setContent(new MatrixCanvas.Content("Logit lens A: top-1 (" + count + " cells differ, outlined)", rows,
                n, lensRows, qa, (i, j) -> differs[i][j] ? differ : same, r.lensTopA(), differs));
        lensB.setContent(new MatrixCanvas.Content("Logit lens B: top-1", rows, n, lensRows, qb,
                (i, j) -> differs[i][j] ? differ : same, r.lensTopB(), differs));
    }

    private static String[][] text(double[][] m) {
        String[][] out = new String[m.length][];
        for (int i = 0; i < m.length; i++) {
            out[i] = new String[m[i].length];
            for (int j = 0; j < m[i].length; j++) {
                out[i][j] = Double.isNaN(m[i][j]) ? "–" : fmt(m[i][j]);
            }
        }
        return out;
    }

    private static double max(double[][] m) {
        double out = 0;
        for (double[] row : m) {
            for (double v : row) {
                if (!Double.isNaN(v)) {
                    out = Math.max(out, v);
                }
            }
        }
        return out;
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, v >= 0.01 || v == 0 ? "%.3f" : "%.1e", v);
    }
}
