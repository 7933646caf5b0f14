package dev.headlight.ui.shell;

import atlantafx.base.theme.Styles;
import dev.headlight.ui.ExplorerViewModel;
import dev.headlight.ui.task.TaskRunner;
import javafx.beans.binding.Bindings;
import javafx.scene.control.Button;
import org.controlsfx.control.StatusBar;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;

/**
 * The status bar: what the task runner is doing (with its progress and, for a task that offers it, Cancel), then
 * the open model's summary and the last pass's figures.
 */
final class StatusLine extends StatusBar {
    StatusLine(ExplorerViewModel vm, TaskRunner tasks) {
        textProperty().bind(Bindings.createStringBinding(() -> {
            String activity = tasks.activityProperty().get();
            String status = vm.statusProperty().get();
            return activity == null || activity.isEmpty() ? status
                    : status.isEmpty() ? activity : activity + "   " + status;
        }, tasks.activityProperty(), vm.statusProperty()));
        progressProperty().bind(tasks.progressProperty());
        Button cancel = new Button("Cancel", new FontIcon(MaterialDesignC.CLOSE_CIRCLE_OUTLINE));
        cancel.getStyleClass().add(Styles.SMALL);
        cancel.setOnAction(e -> tasks.cancelShown());
        cancel.visibleProperty().bind(tasks.cancellableProperty());
        cancel.managedProperty().bind(cancel.visibleProperty());
        getRightItems().add(cancel);
        // a line of text, not a control: Tab stopped on it with nothing to show or do (its Cancel stays a stop)
        setFocusTraversable(false);
    }
}
