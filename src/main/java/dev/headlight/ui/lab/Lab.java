package dev.headlight.ui.lab;

import dev.headlight.ui.WindowHost;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Tab;
import javafx.scene.control.Tooltip;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignS;

/**
 * Adds the training features to the explorer window (through its {@link WindowHost}): a "Timeline" tab that appears (and is selected) when the open
 * model belongs to a training run, and a Train menu with the Training Lab.
 */
public final class Lab {
    private final WindowHost host;
    private final TimelinePanel timeline;
    private final Tab timelineTab;
    private final WeightChangeViewModel weightChanges;
    private final WeightChangeView weightChangeView;
    private TrainingLabWindow lab;

    private Lab(WindowHost host) {
        this.host = host;
        this.timeline = new TimelinePanel(host.explorer(), host.tasks());
        weightChanges = new WeightChangeViewModel(host.tasks(), timeline.timelineProperty());
        weightChangeView = new WeightChangeView(weightChanges);
        timeline.addSection(weightChangeView);
        timelineTab = new Tab("Timeline", timeline);
        timelineTab.setGraphic(new FontIcon(MaterialDesignC.CHART_TIMELINE_VARIANT));
        Tooltip tip = new Tooltip("Scrub through the checkpoints of a training run: every panel shows the chosen "
                + "checkpoint.");
        tip.setWrapText(true);
        tip.setMaxWidth(360);
        timelineTab.setTooltip(tip);
        timeline.timelineProperty().addListener((o, a, t) -> updateTab(t != null && !t.isEmpty(), a == null));
        updateTab(timeline.timelineProperty().getValue() != null, true);

        MenuItem labItem = new MenuItem("Training _Lab…", new FontIcon(MaterialDesignS.SCHOOL_OUTLINE));
        labItem.setOnAction(e -> openTrainingLab());
        Menu train = new Menu("_Train");
        train.getItems().add(labItem);
        host.addMenu(train);
        host.onClose(() -> {
            weightChanges.dispose();
            timeline.dispose();
            if (lab != null) {
                lab.stage().close();
            }
        });
    }

    /** The timeline's weight-change heatmaps. */
    public WeightChangeViewModel weightChanges() {
        return weightChanges;
    }

    public WeightChangeView weightChangeView() {
        return weightChangeView;
    }

    /** Installs the timeline tab and the Train menu into the window. */
    public static Lab install(WindowHost host) {
        return new Lab(host);
    }

    private void updateTab(boolean show, boolean select) {
        if (show && timelineTab.getTabPane() == null) {
            host.addTab(0, timelineTab);
        } else if (!show) {
            host.removeTab(timelineTab);
        }
        if (show && select) {
            host.selectTab(timelineTab);
        }
    }

    /** Train > Training Lab…: one lab window, brought to front when already open. */
    public TrainingLabWindow openTrainingLab() {
        if (lab == null || !lab.stage().isShowing()) {
            lab = new TrainingLabWindow((javafx.stage.Stage) host.window(), host.preferences(),
                    host.tasks(), TrainingLabWindow.inductionPrompt(), host::openModel);
            lab.followTheme(host.explorer());
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
