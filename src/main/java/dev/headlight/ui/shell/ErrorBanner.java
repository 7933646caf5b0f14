package dev.headlight.ui.shell;

import atlantafx.base.controls.Message;
import atlantafx.base.theme.Styles;
import dev.headlight.ui.task.ErrorSink;
import javafx.geometry.Insets;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignA;

/**
 * The error banner under the prompt: the error sink's one line (file, line/column, problem), shown while there is
 * one; its close button dismisses it. The line is the banner's title (a label: one line, cut with an ellipsis when
 * too long, whole in the tooltip), not its description, which wraps.
 */
final class ErrorBanner extends Message {
    ErrorBanner(ErrorSink errors) {
        getStyleClass().add(Styles.DANGER);
        setGraphic(new FontIcon(MaterialDesignA.ALERT_CIRCLE_OUTLINE));
        titleProperty().bind(errors.messageProperty());
        visibleProperty().bind(errors.messageProperty().isNotNull());
        managedProperty().bind(visibleProperty());
        setOnClose(e -> errors.dismiss());
        Tooltip tip = new Tooltip();
        tip.textProperty().bind(errors.messageProperty());
        tip.setWrapText(true);
        tip.setMaxWidth(600);
        Tooltip.install(this, tip);
        VBox.setMargin(this, new Insets(4, 8, 4, 8));
    }
}
