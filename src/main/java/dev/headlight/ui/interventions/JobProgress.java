package dev.headlight.ui.interventions;

import atlantafx.base.theme.Styles;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.HBox;

/** A panel's progress bar and Cancel button, shown while its {@link JobViewModel} runs. */
final class JobProgress extends HBox {
    JobProgress(JobViewModel model, double barWidth) {
        super(8);
        ProgressBar progress = new ProgressBar();
        progress.progressProperty().bind(model.progressProperty());
        progress.setPrefWidth(barWidth);
        Button cancel = new Button("Cancel");
        cancel.getStyleClass().add(Styles.SMALL);
        cancel.setOnAction(e -> model.cancel());
        getChildren().setAll(progress, cancel);
        setAlignment(Pos.CENTER_LEFT);
        visibleProperty().bind(model.runningProperty());
    }
}
