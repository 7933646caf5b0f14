package dev.headlight.ui;

import dev.headlight.ui.task.ErrorSink;
import dev.headlight.ui.task.TaskRunner;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Tab;
import javafx.stage.Window;

import java.nio.file.Path;
import java.util.List;

/**
 * What a panel or plug-in (the interventions, the training lab, a new analysis panel) may ask of the window that
 * hosts it: a place for its tab and menu, the shared state (open model, analysis, {@link Selection}), the one
 * {@link TaskRunner} and error sink. Panels use this instead of the window class, so the window can assemble them
 * without them depending on it. All methods are called on the FX thread.
 */
public interface WindowHost {
    /** The open model, the prompt, its analysis and the display settings. */
    ExplorerViewModel explorer();

    /** The one selection (layer, head, query and key token) every panel observes and changes. */
    default Selection selection() {
        return explorer().selection();
    }

    /** Background work: submit tasks here so they show in the status bar and their errors in the banner. */
    TaskRunner tasks();

    /** The error banner. */
    default ErrorSink errors() {
        return tasks().errors();
    }

    AppPreferences preferences();

    /** The owner for dialogs and child windows. */
    Window window();

    /** Adds a tab at the end of the right-hand tab pane. */
    void addTab(Tab tab);

    /** Adds a tab at {@code index} of the right-hand tab pane (0 = first). */
    void addTab(int index, Tab tab);

    /** Removes a tab added before (does nothing if it is not shown). */
    void removeTab(Tab tab);

    /** Brings a tab to the front. */
    void selectTab(Tab tab);

    /** Adds a menu to the menu bar, after the window's own menus and before Help. */
    void addMenu(Menu menu);

    /**
     * Items for the model view's context menu: shown below the window's own, after the head under the pointer has
     * become the selected head.
     */
    void addHeadMenuItems(List<MenuItem> items);

    /** Opens a model folder as File > Open does (remembered among the recent folders). */
    void openModel(Path folder);

    /** Brings the window to the front (e.g. when a child window opens a model in it). */
    void toFront();

    /** Runs {@code action} when the window closes (stop work, close child windows). */
    void onClose(Runnable action);
}
