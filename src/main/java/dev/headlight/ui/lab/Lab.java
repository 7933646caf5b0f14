package dev.headlight.ui.lab;

import dev.headlight.ui.MainWindow;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Tab;
import javafx.scene.control.Tooltip;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignS;

/**
 * Adds the training features to the explorer window: a "Timeline" tab that appears (and is selected) when the open
 * model belongs to a training run, and a Train menu with the Training Lab.
 */
public final class Lab {
    private final MainWindow window;
    private final TimelinePanel timeline;
    private final Tab timelineTab;
    private TrainingLabWindow lab;

    private Lab(MainWindow window, MenuBar menuBar) {
        this.window = window;
        this.timeline = new TimelinePanel(window.viewModel());
        timelineTab = new Tab("Timeline", timeline);
        timelineTab.setGraphic(new FontIcon(MaterialDesignC.CHART_TIMELINE_VARIANT));
        Tooltip tip = new Tooltip("Scrub through the checkpoints of a training run: every panel shows the chosen "
                + "checkpoint.");
        tip.setWrapText(true);
        tip.setMaxWidth(360);
        timelineTab.setTooltip(tip);
        timeline.timelineProperty().addListener((o, a, t) -> updateTab(t != null && !t.isEmpty(), a == null));
        updateTab(timeline.timelineProperty().get() != null, true);

        MenuItem labItem = new MenuItem("Training Lab…", new FontIcon(MaterialDesignS.SCHOOL_OUTLINE));
        labItem.setOnAction(e -> openTrainingLab());
        Menu train = new Menu("_Train");
        train.getItems().add(labItem);
        int help = menuBar.getMenus().size() - 1; // before Help
        menuBar.getMenus().add(Math.max(0, help), train);
        window.stage().addEventHandler(javafx.stage.WindowEvent.WINDOW_HIDING, e -> {
            if (lab != null) {
                lab.stage().close();
            }
        });
    }

    /** Installs the timeline tab and the Train menu into {@code window}. */
    public static Lab install(MainWindow window, MenuBar menuBar) {
        return new Lab(window, menuBar);
    }

    private void updateTab(boolean show, boolean select) {
        var tabs = window.tabs().getTabs();
        if (show && !tabs.contains(timelineTab)) {
            tabs.addFirst(timelineTab);
        } else if (!show) {
            tabs.remove(timelineTab);
        }
        if (show && select) {
            window.tabs().getSelectionModel().select(timelineTab);
        }
    }

    /** Train > Training Lab…: one lab window, brought to front when already open. */
    public TrainingLabWindow openTrainingLab() {
        if (lab == null || !lab.stage().isShowing()) {
            lab = new TrainingLabWindow(window.stage(), window.viewModel().preferences(),
                    TrainingLabWindow.inductionPrompt(), window::openFolder);
            lab.followTheme(window.viewModel());
        }
        lab.show();
        lab.stage().toFront();
        return lab;
    }

    public TimelinePanel timeline() {
        return timeline;
    }

    public Tab timelineTab() {
        return timelineTab;
    }
}
