package dev.headlight.ui.interventions;

import atlantafx.base.theme.Styles;
import dev.headlight.analysis.HeadAblation;
import dev.headlight.ui.ExplorerViewModel;
import dev.headlight.ui.Selection;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.util.Locale;

/**
 * The "Ablation" tab: zero/mean switch, "Ablate selected head" and "Ablation map" buttons with progress and
 * cancel; the target token's log-prob before → after; the top-10 next tokens before and after side by side; the
 * target's logit lens before/after; and the layers × heads map of log-prob changes, whose cells select the head.
 */
public final class AblationPane extends BorderPane {
    private final AblationViewModel model;
    private final Label summary = new Label("Right-click a head in the model view and choose \"Ablate this head\", "
            + "or press a button above.");
    private final Label lensLine = new Label();
    private final TableView<AblationViewModel.Row> beforeTable = table("Top 10 before");
    private final TableView<AblationViewModel.Row> afterTable = table("Top 10 after");
    private final GridHeatmap mapView = new GridHeatmap("ablation-map");

    public AblationPane(ExplorerViewModel vm, AblationViewModel model) {
        this.model = model;
        Selection selection = vm.selection();
        mapView.paletteProperty().bind(vm.paletteProperty());

        ToggleButton zero = new ToggleButton("Zero");
        ToggleButton mean = new ToggleButton("Mean");
        zero.setTooltip(new Tooltip("Replace the head's output by zeros at every position"));
        mean.setTooltip(new Tooltip("Replace the head's output by its mean over this prompt's positions"));
        dev.headlight.ui.PillToggle.join(zero, mean, model.meanProperty().get() ? mean : zero,
                b -> model.meanProperty().set(b == mean));
        model.meanProperty().addListener((o, a, b) -> (b ? mean : zero).setSelected(true));
        Button ablate = new Button("Ablate selected head");
        ablate.setId("ablate-selected");
        ablate.getStyleClass().add(Styles.SMALL);
        ablate.setOnAction(e -> model.ablate(selection.layer(), selection.head()));
        Button map = new Button("Ablation map");
        map.setId("ablation-map");
        map.getStyleClass().add(Styles.SMALL);
        map.setTooltip(new Tooltip("Ablate every head in turn (one pass each) and map the change in log p of "
                + "the target token"));
        map.setOnAction(e -> model.computeMap());
        for (Button b : new Button[]{ablate, map}) {
            b.disableProperty().bind(vm.analysisProperty().isNull());
        }
        HBox controls = new HBox(8, new HBox(zero, mean), ablate, map, new JobProgress(model, 90));
        controls.setAlignment(Pos.CENTER_LEFT);

        summary.setWrapText(true);
        summary.getStyleClass().add(Styles.TEXT_BOLD);
        summary.setId("ablation-summary");
        beforeTable.setId("ablation-before");
        afterTable.setId("ablation-after");
        mapView.setId("ablation-grid");
        summary.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        lensLine.setWrapText(true);
        lensLine.getStyleClass().add("panel-hint");
        lensLine.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);

        beforeTable.setItems(model.before());
        afterTable.setItems(model.after());
        HBox tables = new HBox(8, beforeTable, afterTable);
        HBox.setHgrow(beforeTable, Priority.ALWAYS);
        HBox.setHgrow(afterTable, Priority.ALWAYS);
        VBox top = new VBox(6, controls, summary, lensLine, tables);
        VBox.setVgrow(tables, Priority.ALWAYS);
        top.setPadding(new Insets(6));

        SplitPane split = new SplitPane(top, mapView);
        split.setOrientation(javafx.geometry.Orientation.VERTICAL);
        split.setDividerPositions(0.62);
        setCenter(split);

        model.outcomeProperty().addListener((o, a, b) -> showOutcome(b));
        model.mapProperty().addListener((o, a, b) -> showMap(b, selection, vm));
        mapView.setOnCell((l, h) -> selection.selectHead(l, h));
        selection.layerProperty().addListener((o, a, b) -> mapView.select(selection.layer(), selection.head()));
        selection.headProperty().addListener((o, a, b) -> mapView.select(selection.layer(), selection.head()));
        showMap(null, selection, vm);
    }

    private void showOutcome(AblationViewModel.Outcome o) {
        if (o == null) {
            summary.setText("Right-click a head in the model view and choose \"Ablate this head\", or press a "
                    + "button above.");
            lensLine.setText("");
            return;
        }
        summary.setText(String.format(Locale.ROOT,
                "L%dH%d %s-ablated · position %d · %s %s: log p %.3f → %.3f (Δ %+.3f)", o.layer(), o.head(),
                o.mean() ? "mean" : "zero", o.position(), o.targetIsNext() ? "next token" : "top prediction",
                quoted(o.targetLabel()), o.cleanLogProb(), o.ablatedLogProb(), o.delta()));
        StringBuilder lens = new StringBuilder("Logit lens, log p of " + quoted(o.targetLabel()) + " by layer:");
        for (int l = 0; l < o.lensBefore().length; l++) {
            String name = l == o.lensBefore().length - 1 ? "out" : "L" + l;
            lens.append(String.format(Locale.ROOT, "  %s %.2f→%.2f", name, o.lensBefore()[l], o.lensAfter()[l]));
        }
        lensLine.setText(lens.toString());
    }

    private void showMap(HeadAblation.Result r, Selection selection, ExplorerViewModel vm) {
        if (r == null) {
            mapView.show("Ablation map: press \"Ablation map\" to ablate every head in turn", null, null, null,
                    Double.NaN);
            return;
        }
        int layers = r.delta().length;
        int heads = layers == 0 ? 0 : r.delta()[0].length;
        String[] rows = new String[layers];
        for (int l = 0; l < layers; l++) {
            rows[l] = "L" + l;
        }
        String[] columns = new String[heads];
        for (int h = 0; h < heads; h++) {
            columns[h] = "H" + h;
        }
        String target = vm.analysis() == null ? "#" + r.target() : quoted(vm.analysis().vocabLabel(r.target()));
        mapView.show(String.format(Locale.ROOT, "Δ log p of %s at position %d when each head is %s-ablated "
                + "(clean %.3f)", target, r.position(), r.mean() ? "mean" : "zero", r.cleanLogProb()), r.delta(), rows, columns,
                Double.NaN);
        mapView.select(selection.layer(), selection.head());
    }

    static String quoted(String s) {
        return "‘" + s + "’";
    }

    private static TableView<AblationViewModel.Row> table(String title) {
        TableView<AblationViewModel.Row> t = new TableView<>();
        t.getStyleClass().addAll(Styles.DENSE);
        TableColumn<AblationViewModel.Row, String> token = new TableColumn<>(title);
        token.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().label()));
        token.setPrefWidth(130);
        TableColumn<AblationViewModel.Row, String> p0 = new TableColumn<>("p before");
        p0.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().beforeText()));
        TableColumn<AblationViewModel.Row, String> p1 = new TableColumn<>("p after");
        p1.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().afterText()));
        t.getColumns().addAll(java.util.List.of(token, p0, p1));
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        t.setPlaceholder(new Label(""));
        t.setPrefHeight(250);
        return t;
    }
}
