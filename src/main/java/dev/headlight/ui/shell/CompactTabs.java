package dev.headlight.ui.shell;

import javafx.collections.ListChangeListener;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.text.Text;

/**
 * Keeps every tab of a tab pane reachable without the overflow menu: when the titled tabs do not fit its width,
 * the tabs not selected show only their icon (title in the tooltip) and the selected one keeps its title. At
 * 1280x720 the right-hand pane has about 620 px for eight tabs, which fit only like this.
 */
final class CompactTabs {
    static final String ICON_ONLY = "icon-only";
    /** Icon, gap and padding of one tab header besides its title (AtlantaFX Primer), in px. */
    static final double TAB_CHROME = 52;
    /** Room kept free for the header area's own padding. */
    static final double SLACK = 24;

    private CompactTabs() {
    }

    static void install(TabPane pane) {
        Runnable update = () -> fit(pane);
        pane.widthProperty().addListener(o -> update.run());
        pane.getSelectionModel().selectedItemProperty().addListener(o -> update.run());
        pane.getTabs().addListener((ListChangeListener<Tab>) c -> update.run());
    }

    /** The titled width all tabs need, in px. */
    static double titledWidth(TabPane pane) {
        double sum = 0;
        for (Tab tab : pane.getTabs()) {
            sum += TAB_CHROME + textWidth(tab.getText());
        }
        return sum;
    }

    private static void fit(TabPane pane) {
        boolean compact = pane.getWidth() > 0 && titledWidth(pane) > pane.getWidth() - SLACK;
        Tab selected = pane.getSelectionModel().getSelectedItem();
        for (Tab tab : pane.getTabs()) {
            boolean iconOnly = compact && tab != selected && tab.getGraphic() != null;
            if (iconOnly && !tab.getStyleClass().contains(ICON_ONLY)) {
                tab.getStyleClass().add(ICON_ONLY);
            } else if (!iconOnly) {
                tab.getStyleClass().remove(ICON_ONLY);
            }
        }
    }

    private static double textWidth(String text) {
        return text == null ? 0 : new Text(text).getLayoutBounds().getWidth();
    }
}
