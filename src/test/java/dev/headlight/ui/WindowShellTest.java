package dev.headlight.ui;

import dev.headlight.ui.shell.MainWindow;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.Tab;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.headlight.ui.FxTestSupport.fx;
import static dev.headlight.ui.FxTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The window shell as a user meets it at 1280x720: menus by keyboard, every tab, the path field, the banner. */
@ExtendWith(ApplicationExtension.class)
class WindowShellTest {
    static final Path GPT2 = Fixtures.model("gpt2-tiny");
    static final String NODE = FxTestSupport.testNode("-shell");

    private MainWindow window;

    @Start
    void start(Stage stage) {
        window = FxTestSupport.showWindow(stage, NODE, 1280, 720);
    }

    @AfterEach
    void tearDown() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> window.shutdown()).get();
    }

    @Test
    void altFOpensTheFileMenuAndEveryMenuHasAMnemonic(FxRobot robot) throws Exception {
        robot.clickOn(window.parts().promptField());
        robot.press(KeyCode.ALT).press(KeyCode.F).release(KeyCode.F).release(KeyCode.ALT);
        Menu file = window.parts().menuBar().getMenus().getFirst();
        waitUntil("the File menu to open", 10, file::isShowing);
        robot.interact(file::hide);
        for (Menu menu : window.parts().menuBar().getMenus()) {
            assertTrue(menu.isMnemonicParsing() && menu.getText().contains("_"), menu.getText());
            // and every item named by the app (names taken from files are not parsed for one)
            for (javafx.scene.control.MenuItem item : menu.getItems()) {
                if (item.getText() != null && !item.getText().isEmpty() && item.isMnemonicParsing()) {
                    assertTrue(item.getText().contains("_"), menu.getText() + " > " + item.getText());
                }
            }
        }
    }

    @Test
    void everyTabIsReachableAndTheSelectedOneReadableAt1280x720(FxRobot robot) throws Exception {
        openTyped(robot, GPT2);
        var tabs = window.parts().tabs();
        for (int i = 0; i < tabs.getTabs().size(); i++) {
            int index = i;
            robot.interact(() -> tabs.getSelectionModel().select(index));
            WaitForAsyncUtils.waitForFxEvents();
            boolean fits = fx(() -> {
                Bounds pane = tabs.localToScene(tabs.getLayoutBounds());
                for (Node header : tabs.lookupAll(".tab")) {
                    Bounds b = header.localToScene(header.getLayoutBounds());
                    if (!header.isVisible() || b.getMaxX() > pane.getMaxX() + 0.5) {
                        return false;
                    }
                }
                return true;
            });
            assertTrue(fits, "every tab header is inside the pane with tab " + index + " selected");
            Tab selected = tabs.getTabs().get(index);
            assertFalse(selected.getStyleClass().contains("icon-only"), "the selected tab shows its name");
            Label label = fx(() -> (Label) tabs.lookupAll(".tab:selected .tab-label").iterator().next());
            assertFalse(fx(() -> label.getText().endsWith("…")), label.getText());
        }
        assertTrue(fx(() -> tabs.getTabs().stream().anyMatch(t -> t.getStyleClass().contains("icon-only"))),
                "at 1280 px the unselected tabs collapse to icons");
    }

    @Test
    void aTypedFolderPathOpensTheModelAndAWrongOneIsOneLineInTheBanner(FxRobot robot, @TempDir Path dir)
            throws Exception {
        openTyped(robot, GPT2);
        assertEquals(GPT2.toAbsolutePath().normalize(), fx(() -> window.explorer().model().info().folder()));
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"gpt2\",\n \"n_layer\": ");
        robot.interact(() -> window.parts().modelPathField().setText(dir.toString()));
        pressEnterInPathField(robot);
        waitUntil("the banner", () -> window.parts().banner().isVisible() && !window.explorer().isBusy());
        String error = fx(() -> window.explorer().tasks().errors().messageProperty().get());
        assertFalse(error.contains("\n"), error);
        assertTrue(error.contains("config.json"), error);
        Label line = fx(() -> (Label) window.parts().banner().lookup(".title"));
        assertEquals(error, fx(line::getText));
        assertFalse(fx(line::isWrapText), "the banner's line does not wrap");
        assertTrue(fx(() -> window.parts().banner().lookup(".description") == null
                || !window.parts().banner().lookup(".description").isVisible()), "no second, wrapping text");
        assertEquals(GPT2.toAbsolutePath().normalize(), fx(() -> window.explorer().model().info().folder()),
                "the open model stays");
    }

    @Test
    void theWindowComesBackWithItsSizeAndPrompt(FxRobot robot) throws Exception {
        robot.interact(() -> {
            window.parts().promptField().setText("kept prompt");
            window.stage().setWidth(900);
            window.stage().setHeight(650);
            window.stage().close();
        });
        MainWindow[] again = new MainWindow[1];
        robot.interact(() -> {
            again[0] = new MainWindow(new Stage(), new AppPreferences(
                    java.util.prefs.Preferences.userRoot().node(NODE)));
            again[0].stage().show();
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(900, fx(() -> again[0].stage().getWidth()), 1);
        assertEquals(650, fx(() -> again[0].stage().getHeight()), 1);
        assertEquals("kept prompt", fx(() -> again[0].parts().promptField().getText()));
        robot.interact(() -> {
            again[0].stage().close();
            again[0].shutdown();
        });
    }

    @Test
    void aPlaceSavedHalfOffTheScreenComesBackWholeOnIt(FxRobot robot) throws Exception {
        robot.interact(() -> window.stage().close());
        var prefs = java.util.prefs.Preferences.userRoot().node(NODE);
        var screen = fx(() -> javafx.stage.Screen.getPrimary().getVisualBounds());
        // as an Xvfb run without a window manager left it: most of the window left of the screen's edge
        new AppPreferences(prefs).saveWindowBounds(screen.getMinX() - 850, screen.getMinY() - 8, 1000, 600, false);
        MainWindow[] again = new MainWindow[1];
        robot.interact(() -> {
            again[0] = new MainWindow(new Stage(), new AppPreferences(prefs));
            again[0].stage().show();
        });
        WaitForAsyncUtils.waitForFxEvents();
        double x = fx(() -> again[0].stage().getX());
        double y = fx(() -> again[0].stage().getY());
        double width = fx(() -> again[0].stage().getWidth());
        assertTrue(x >= screen.getMinX() && x + width <= screen.getMaxX() + 1, "x " + x + " width " + width
                + " on " + screen);
        assertTrue(y >= screen.getMinY(), "title bar on the screen: y " + y + " on " + screen);
        robot.interact(() -> {
            again[0].stage().close();
            again[0].shutdown();
        });
    }

    /**
     * Clicks into the path field and presses Enter as a user does; fails at once, naming what holds the keyboard,
     * when the click left the focus elsewhere (the Enter would then never reach the field).
     */
    private void pressEnterInPathField(FxRobot robot) throws Exception {
        robot.clickOn(window.parts().modelPathField());
        WaitForAsyncUtils.waitForFxEvents();
        Object focused = fx(() -> window.stage().getScene().getFocusOwner());
        assertTrue(focused == fx(() -> window.parts().modelPathField()), "the click focuses the path field, not " + focused);
        robot.type(KeyCode.ENTER);
    }

    private void openTyped(FxRobot robot, Path folder) throws Exception {
        robot.interact(() -> window.parts().modelPathField().setText(folder.toString()));
        pressEnterInPathField(robot);
        waitUntil("analysis of " + folder, () -> window.explorer().analysis() != null
                && !window.explorer().isBusy());
    }
}
