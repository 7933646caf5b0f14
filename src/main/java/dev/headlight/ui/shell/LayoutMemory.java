package dev.headlight.ui.shell;

import dev.headlight.ui.AppPreferences;
import dev.headlight.ui.ExplorerViewModel;
import javafx.scene.control.SplitPane;
import javafx.stage.Screen;
import javafx.stage.Stage;

import java.util.List;
import java.util.Map;

/**
 * The window comes back as it was left: its size and place (kept on a screen), maximized or not, the dividers and
 * the prompt. Restored when the window is built, saved when it closes.
 */
final class LayoutMemory {
    /** The size of a first start: fits a 1440x900 screen; smaller screens get the screen's visible area. */
    static final double DEFAULT_WIDTH = 1440;
    static final double DEFAULT_HEIGHT = 900;

    private LayoutMemory() {
    }

    /** {x, y, width, height}: saved bounds (x/y NaN when unknown), else the default size. */
    static double[] savedBounds(AppPreferences prefs) {
        return prefs.windowBounds().orElse(new double[]{Double.NaN, Double.NaN, DEFAULT_WIDTH, DEFAULT_HEIGHT});
    }

    /**
     * Gives {@code stage} the size it had (at most the primary screen's visible area) and its place, if that is
     * still on a screen; maximizes it if it was. The stage's own size is restored, not the scene's: the saved
     * size includes the window decorations, and a scene of that size grew the window by them at every start.
     */
    static void restore(Stage stage, AppPreferences prefs) {
        double[] bounds = savedBounds(prefs);
        var screen = Screen.getPrimary().getVisualBounds();
        stage.setWidth(screen.getWidth() > 0 ? Math.min(bounds[2], screen.getWidth()) : bounds[2]);
        stage.setHeight(screen.getHeight() > 0 ? Math.min(bounds[3], screen.getHeight()) : bounds[3]);
        var screens = Double.isNaN(bounds[0]) ? List.<Screen>of()
                : Screen.getScreensForRectangle(bounds[0], bounds[1], bounds[2], bounds[3]);
        if (!screens.isEmpty()) {
            // pulled fully onto the screen it overlaps: a place saved under another screen layout (or by a window
            // manager that allows it) must not leave the title bar or half the window off-screen
            var on = screens.getFirst().getVisualBounds();
            stage.setX(clamp(bounds[0], on.getMinX(), on.getMaxX() - stage.getWidth()));
            stage.setY(clamp(bounds[1], on.getMinY(), on.getMaxY() - stage.getHeight()));
        }
        stage.setMaximized(prefs.windowMaximized());
    }

    private static double clamp(double value, double min, double max) {
        return Math.max(min, Math.min(value, Math.max(min, max)));
    }

    /** Saves the window's bounds (the last unmaximized ones while maximized), dividers and prompt. */
    static void save(Stage stage, AppPreferences prefs, Map<String, SplitPane> splits, ExplorerViewModel vm) {
        if (stage.isMaximized()) {
            // keep the size it had before being maximized, to come back to it when unmaximized
            double[] before = savedBounds(prefs);
            prefs.saveWindowBounds(before[0], before[1], before[2], before[3], true);
        } else if (!Double.isNaN(stage.getX())) {
            prefs.saveWindowBounds(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(), false);
        }
        splits.forEach((name, split) -> prefs.saveDividers(name, split.getDividerPositions()));
        prefs.saveLastPrompt(vm.promptProperty().get());
    }
}
