package dev.headlight.ui.shell;

import dev.headlight.ui.view.CanvasView;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Tab;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import atlantafx.base.theme.Styles;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignI;

/** The small building blocks the window's parts share: titled panels, tabs, menu items and icon buttons. */
final class Panels {
    private Panels() {
    }

    /**
     * A panel with a title (its explanation as tooltip and info icon), optional controls on the right. The title
     * keeps its whole text; controls that do not fit beside it get less room (a {@link javafx.scene.layout.FlowPane}
     * of controls wraps onto more rows).
     */
    static Node panel(String title, String explanation, Node content, Node controls) {
        Label t = new Label(title);
        t.setMinWidth(Region.USE_PREF_SIZE);
        t.getStyleClass().add("panel-title");
        FontIcon info = new FontIcon(MaterialDesignI.INFORMATION_OUTLINE);
        info.getStyleClass().add("panel-hint");
        Tooltip tip = wrapping(explanation);
        Tooltip.install(t, tip);
        Tooltip.install(info, tip);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(t, info, spacer);
        header.setFillHeight(false);
        if (controls != null) {
            header.getChildren().add(controls);
        }
        header.getStyleClass().add("panel-header");
        if (content instanceof Region r) {
            VBox.setVgrow(r, Priority.ALWAYS);
            if (content instanceof CanvasView) {
                Tooltip.install(r, null);
            }
        }
        BorderPane pane = new BorderPane(content);
        pane.setTop(header);
        return pane;
    }

    static Tab tab(String title, Ikon icon, String explanation, Node content) {
        Tab tab = new Tab(title, content);
        tab.setGraphic(new FontIcon(icon));
        tab.setTooltip(wrapping(explanation));
        return tab;
    }

    static Tooltip wrapping(String text) {
        Tooltip tip = new Tooltip(text);
        tip.setWrapText(true);
        tip.setMaxWidth(360);
        return tip;
    }

    static MenuItem item(String text, Runnable action) {
        MenuItem m = new MenuItem(text);
        m.setOnAction(e -> action.run());
        return m;
    }

    static Button iconButton(Ikon icon, String tip, Runnable action) {
        Button b = new Button(null, new FontIcon(icon));
        b.getStyleClass().add(Styles.BUTTON_ICON);
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(e -> action.run());
        return b;
    }
}
