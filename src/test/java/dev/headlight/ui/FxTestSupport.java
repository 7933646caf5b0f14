package dev.headlight.ui;

import dev.headlight.library.WeightTree;
import dev.headlight.ui.shell.MainWindow;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TreeView;
import javafx.stage.Window;
import javafx.stage.Stage;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.prefs.Preferences;

/**
 * What window tests and the headless development tools share: a main window with clean preferences, and running or
 * waiting for code on the FX thread (view-model state lives there).
 */
public final class FxTestSupport {
    private FxTestSupport() {
    }

    /** The suite's preferences node ({@value AppPreferences#NODE_PROPERTY}, default "headlight-test") + suffix. */
    public static String testNode(String suffix) {
        return System.getProperty(AppPreferences.NODE_PROPERTY, "headlight-test") + suffix;
    }

    /**
     * Preferences on {@code node}, cleared. One fixed node per test class, cleared at each start: removing it would
     * race with the window's own background writes.
     */
    public static AppPreferences cleanPreferences(String node) {
        AppPreferences prefs = new AppPreferences(Preferences.userRoot().node(node));
        prefs.clear();
        return prefs;
    }

    /** A main window on {@code stage} with clean preferences on {@code node}, sized and shown. FX thread. */
    public static MainWindow showWindow(Stage stage, String node, double width, double height) {
        MainWindow window = new MainWindow(stage, cleanPreferences(node));
        stage.setWidth(width);
        stage.setHeight(height);
        stage.show();
        return window;
    }

    /** {@code c} on the FX thread (TestFX running), its result. */
    public static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(30, TimeUnit.SECONDS);
    }

    /** Waits up to 60 s until {@code condition}, evaluated on the FX thread, holds. */
    public static void waitUntil(String what, Callable<Boolean> condition) throws TimeoutException {
        waitUntil(what, 60, condition);
    }

    /** Waits up to {@code seconds} until {@code condition}, evaluated on the FX thread, holds. */
    public static void waitUntil(String what, long seconds, Callable<Boolean> condition) throws TimeoutException {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> fx(condition));
        } catch (TimeoutException e) {
            throw new TimeoutException("timed out waiting for " + what);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    /**
     * The control with CSS id {@code id} under {@code root} (a window's part as the user sees it, so that windows
     * need no getter per control for tests); fails when there is none or it is not a {@code type}.
     */
    public static <T extends Node> T find(Node root, String id, Class<T> type) {
        if (!Platform.isFxApplicationThread()) {
            try {
                return onFx(() -> find(root, id, type));
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Error error ? error : new AssertionError(e.getCause());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        Node found = root.lookup("#" + id);
        if (found == null) {
            // a control not shown yet (e.g. on a background tab) gets its skin, and so its children, from CSS
            root.applyCss();
            found = root.lookup("#" + id);
        }
        if (found == null) {
            throw new AssertionError("no #" + id + " under " + root);
        }
        return type.cast(found);
    }

    /** {@link #find(Node, String, Class)} in a window's scene. */
    public static <T extends Node> T find(Window window, String id, Class<T> type) {
        return find(window.getScene().getRoot(), id, type);
    }

    /** The weights panel's tensor tree. */
    @SuppressWarnings("unchecked")
    public static TreeView<WeightTree.Node> weightsTree(MainWindow window) {
        return find(window.parts().views().weights(), "weights-tree", TreeView.class);
    }

    /** The tab with CSS id {@code id} in {@code tabs}. */
    public static Tab tab(TabPane tabs, String id) {
        return tabs.getTabs().stream().filter(t -> id.equals(t.getId())).findFirst()
                .orElseThrow(() -> new AssertionError("no tab #" + id));
    }

    /** The menu item with CSS id {@code id} among {@code items}. */
    public static MenuItem menuItem(List<MenuItem> items, String id) {
        return items.stream().filter(m -> id.equals(m.getId())).findFirst()
                .orElseThrow(() -> new AssertionError("no menu item #" + id));
    }

    /** {@code c} on the FX thread without TestFX (the development tools start the toolkit themselves). */
    public static <T> T onFx(Callable<T> c) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(c.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.get(60, TimeUnit.SECONDS);
    }

    /** {@link #onFx(Callable)} for code without a result. */
    public static void onFx(Runnable r) throws Exception {
        onFx(() -> {
            r.run();
            return null;
        });
    }
}
