package dev.headlight.ui.interventions;

import dev.headlight.ui.Diverging;

import atlantafx.base.theme.Styles;
import dev.headlight.analysis.ActivationPatching;
import dev.headlight.ui.ExplorerViewModel;
import dev.headlight.ui.Selection;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The "Patching" tab: clean and corrupted prompts, answer and wrong tokens, Run with progress and cancel, and two
 * heatmaps of recovery: per head [layer][head] (cells select the head) and per residual vector
 * [layer + 1][position] labelled with the clean prompt's tokens.
 */
public final class PatchingPane extends BorderPane {
    private final PatchingViewModel model;
    private final TextField cleanField = new TextField();
    private final TextField corruptField = new TextField();
    private final TextField answerField = new TextField();
    private final TextField wrongField = new TextField();
    private final Button run = new Button("Run");
    private final Label summary = new Label();
    private final GridHeatmap heads = new GridHeatmap("patching-heads");
    private final GridHeatmap residual = new GridHeatmap("patching-residual");

    public PatchingPane(ExplorerViewModel vm, PatchingViewModel model) {
        this.model = model;
        Selection selection = vm.selection();
        heads.paletteProperty().bind(vm.paletteProperty());
        residual.paletteProperty().bind(vm.paletteProperty());
        cleanField.textProperty().bindBidirectional(model.cleanProperty());
        corruptField.textProperty().bindBidirectional(model.corruptedProperty());
        answerField.textProperty().bindBidirectional(model.answerProperty());
        wrongField.textProperty().bindBidirectional(model.wrongProperty());
        cleanField.setId("patch-clean");
        corruptField.setId("patch-corrupted");
        answerField.setId("patch-answer");
        wrongField.setId("patch-wrong");
        cleanField.setPromptText("Clean prompt (empty = the window's prompt)");
        corruptField.setPromptText("Corrupted prompt, same number of tokens");
        answerField.setPromptText("empty = clean top prediction");
        wrongField.setPromptText("empty = corrupted top prediction");
        for (TextField f : new TextField[]{answerField, wrongField}) {
            f.setTooltip(new Tooltip("A text of one token (e.g. \" mat\"), an exact vocabulary string, or #id"));
        }
        GridPane form = new GridPane(6, 4);
        form.addRow(0, new Label("Clean"), cleanField);
        form.addRow(1, new Label("Corrupted"), corruptField);
        HBox tokens = new HBox(6, new Label("Answer"), answerField, new Label("Wrong"), wrongField);
        tokens.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(answerField, Priority.ALWAYS);
        HBox.setHgrow(wrongField, Priority.ALWAYS);
        form.add(tokens, 1, 2);
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(Region.USE_PREF_SIZE);
        ColumnConstraints fields = new ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        form.getColumnConstraints().addAll(labels, fields);

        run.setId("patch-run");
        heads.setId("patch-heads");
        residual.setId("patch-residual");
        run.getStyleClass().add(Styles.ACCENT);
        run.setOnAction(e -> model.run());
        run.disableProperty().bind(vm.modelProperty().isNull().or(model.runningProperty()));
        HBox actions = new HBox(8, run, new JobProgress(model, 120));
        actions.setAlignment(Pos.CENTER_LEFT);

        summary.setWrapText(true);
        summary.getStyleClass().add("panel-hint");
        summary.setMinHeight(Region.USE_PREF_SIZE);
        VBox top = new VBox(6, form, actions, summary);
        top.setPadding(new Insets(6));
        setTop(top);

        SplitPane maps = new SplitPane(heads, residual);
        maps.setOrientation(javafx.geometry.Orientation.VERTICAL);
        setCenter(maps);

        heads.setOnCell(selection::selectHead);
        residual.setOnCell((row, position) -> selection.queryProperty().set(position));
        selection.layerProperty().addListener((o, a, b) -> heads.select(selection.layer(), selection.head()));
        selection.headProperty().addListener((o, a, b) -> heads.select(selection.layer(), selection.head()));
        model.outcomeProperty().addListener((o, a, b) -> show(b, selection));
        show(null, selection);
    }

    private void show(PatchingViewModel.Outcome o, Selection selection) {
        if (o == null) {
            summary.setText("Patching copies one activation at a time from the clean run into the corrupted run "
                    + "and measures how much of logit(answer) − logit(wrong) it restores.");
            heads.show("Head recovery [layer × head]", null, null, null, Double.NaN);
            residual.show("Residual recovery [layer × position]", null, null, null, Double.NaN);
            return;
        }
        ActivationPatching.Result r = o.result();
        summary.setText(o.summary());
        if (!r.recoverable()) {
            heads.show("Head recovery: undefined (clean and corrupted metrics coincide)", null, null, null,
                    Double.NaN);
            residual.show("Residual recovery: undefined", null, null, null, Double.NaN);
            return;
        }
        double[][] headGrid = r.headRecovery();
        double[][] residualGrid = r.residualRecovery();
        int layers = headGrid.length;
        String[] layerLabels = new String[layers];
        for (int l = 0; l < layers; l++) {
            layerLabels[l] = "L" + l;
        }
        String[] residualLabels = new String[layers + 1];
        System.arraycopy(layerLabels, 0, residualLabels, 0, layers);
        residualLabels[layers] = "final";
        int headCount = layers == 0 ? 0 : headGrid[0].length;
        String[] headLabels = new String[headCount];
        for (int h = 0; h < headCount; h++) {
            headLabels[h] = "H" + h;
        }
        heads.show("Head recovery [layer × head]: patch one head's output at every position", headGrid,
                layerLabels, headLabels, Math.max(1, Diverging.limit(headGrid)));
        heads.select(selection.layer(), selection.head());
        residual.show("Residual recovery [residual entering layer × position]", residualGrid, residualLabels,
                o.positionLabels(), Math.max(1, Diverging.limit(residualGrid)));
    }
}
