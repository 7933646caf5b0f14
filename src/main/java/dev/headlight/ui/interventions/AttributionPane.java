package dev.headlight.ui.interventions;

import atlantafx.base.theme.Styles;
import dev.headlight.analysis.DirectLogitAttribution;
import dev.headlight.ui.ExplorerViewModel;
import dev.headlight.ui.Selection;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The "Attribution" tab: a token field (empty = the top prediction) and the bar chart of the largest direct
 * logit attribution terms at the selected position. Clicking a head's bar selects that head everywhere.
 */
public final class AttributionPane extends BorderPane {
    private final TextField tokenField = new TextField();
    private final AttributionChart chart = new AttributionChart();

    public AttributionPane(ExplorerViewModel vm, AttributionViewModel model) {
        Selection selection = vm.selection();
        chart.paletteProperty().bind(vm.paletteProperty());
        tokenField.setId("dla-token");
        chart.setId("dla-chart");
        tokenField.setPromptText("empty = the model's top prediction; a one-token text or #id");
        tokenField.setTooltip(new Tooltip("The token whose logit is explained; Enter to apply"));
        tokenField.setText(model.tokenProperty().get());
        tokenField.setOnAction(e -> {
            model.tokenProperty().set(tokenField.getText());
            model.refresh();
        });
        HBox.setHgrow(tokenField, Priority.ALWAYS);
        Button apply = new Button("Explain");
        apply.getStyleClass().add(Styles.SMALL);
        apply.setOnAction(e -> tokenField.getOnAction().handle(null));
        ProgressIndicator busy = new ProgressIndicator();
        busy.setPrefSize(18, 18);
        busy.visibleProperty().bind(model.runningProperty());
        HBox controls = new HBox(6, new Label("Token"), tokenField, apply, busy);
        controls.setAlignment(Pos.CENTER_LEFT);
        Label hint = new Label("Each bar is one component's direct write into the residual stream at this position, "
                + "read through the final norm (its scale frozen) and the token's unembedding. Click a head's bar "
                + "to select it.");
        hint.getStyleClass().add("panel-hint");
        hint.setWrapText(true);
        hint.setMinHeight(Region.USE_PREF_SIZE);
        VBox top = new VBox(6, controls, hint);
        top.setPadding(new Insets(6));
        setTop(top);
        setCenter(chart);

        model.outcomeProperty().addListener((o, a, b) -> chart.show(b));
        chart.setOnBar(c -> {
            if (c.kind() == DirectLogitAttribution.Contribution.Kind.HEAD) {
                selection.selectHead(c.layer(), c.head());
            }
        });
        selection.layerProperty().addListener((o, a, b) -> chart.selectHead(selection.layer(), selection.head()));
        selection.headProperty().addListener((o, a, b) -> chart.selectHead(selection.layer(), selection.head()));
        chart.selectHead(selection.layer(), selection.head());
    }
}
