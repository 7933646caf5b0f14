package dev.headlight.ui.shell;

import dev.headlight.ui.HeadViewModel;
import dev.headlight.ui.PillToggle;
import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;

/**
 * The head view's header controls: heatmap or lines, the layer mean, the threshold. They wrap onto a second row
 * when the panel is narrow (at 1024 px the left half of the window cut them to "Heat…", "Li…", "Mean of l…").
 */
final class HeadControls extends FlowPane {
    HeadControls(HeadViewModel headVm) {
        super(8, 4);
        ToggleButton heatmap = new ToggleButton("Heatmap");
        ToggleButton lines = new ToggleButton("Lines");
        heatmap.setTooltip(new Tooltip("Query tokens down, key tokens across"));
        lines.setTooltip(new Tooltip("Query tokens on the left, key tokens on the right; line opacity = weight"));
        PillToggle.join(heatmap, lines, heatmap, b ->
                headVm.modeProperty().set(b == lines ? HeadViewModel.Mode.LINES : HeadViewModel.Mode.HEATMAP));
        CheckBox mean = new CheckBox("Mean of layer");
        mean.setTooltip(new Tooltip("Show the mean of all heads of the selected layer"));
        mean.selectedProperty().bindBidirectional(headVm.layerMeanProperty());
        Slider threshold = new Slider(0, 0.5, 0);
        threshold.setPrefWidth(90);
        threshold.valueProperty().bindBidirectional(headVm.thresholdProperty());
        Label thresholdLabel = new Label();
        thresholdLabel.textProperty().bind(Bindings.format("≥ %.2f", headVm.thresholdProperty()));
        thresholdLabel.getStyleClass().add("panel-hint");
        Tooltip.install(threshold, new Tooltip("Hide weights below this threshold"));
        HBox thresholdBox = new HBox(6, threshold, thresholdLabel);
        thresholdBox.setAlignment(Pos.CENTER_LEFT);
        thresholdLabel.setMinWidth(Label.USE_PREF_SIZE);
        getChildren().addAll(new HBox(heatmap, lines), mean, thresholdBox);
        setAlignment(Pos.CENTER_RIGHT);
        setPrefWrapLength(2000); // one row when there is room (the default 400 px wrapped them at any width)
    }
}
