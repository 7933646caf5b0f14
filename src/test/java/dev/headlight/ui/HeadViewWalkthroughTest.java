package dev.headlight.ui;

import dev.headlight.ui.shell.MainWindow;
import javafx.geometry.Rectangle2D;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.concurrent.TimeoutException;

import static dev.headlight.ui.FxTestSupport.fx;
import static dev.headlight.ui.FxTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Head view as the issue-16 walkthrough used it: theme and colour-map changes, right-click, PNG export. */
@ExtendWith(ApplicationExtension.class)
class HeadViewWalkthroughTest {
    static final Path GPT2 = Fixtures.model("gpt2-tiny");

    private MainWindow window;
    private ExplorerViewModel vm;

    @Start
    void start(Stage stage) {
        window = FxTestSupport.showWindow(stage, FxTestSupport.testNode("-headwalk"), 1280, 860);
        vm = window.explorer();
    }

    @AfterEach
    void tearDown() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> vm.shutdown()).get();
    }

    private void openAndWait(FxRobot robot) throws TimeoutException {
        window.opening().setFolderChooser(owner -> GPT2);
        robot.interact(() -> window.parts().openMenuItem().fire());
        waitUntil("analysis", () -> vm.analysis() != null && !vm.isBusy() && window.parts().views().head().shownMap() != null);
    }

    /** ARGB of the view's masked cell (query 0, last key), painted as the screen paints it. */
    private int maskedCellArgb() throws Exception {
        return fx(() -> {
            var view = window.parts().views().head();
            WritableImage image = view.render(1);
            Rectangle2D r = view.heatmapBounds();
            int tokens = vm.analysis().tokens();
            double cell = r.getWidth() / tokens;
            PixelReader reader = image.getPixelReader();
            return reader.getArgb((int) (r.getMinX() + (tokens - 0.5) * cell), (int) (r.getMinY() + 0.5 * cell));
        });
    }

    private static int argb(javafx.scene.paint.Color c) {
        return 0xFF000000 | (int) Math.round(c.getRed() * 255) << 16 | (int) Math.round(c.getGreen() * 255) << 8
                | (int) Math.round(c.getBlue() * 255);
    }

    @Test
    void theMaskedTriangleFollowsTheThemeWithoutSelectingAnotherHead(FxRobot robot) throws Exception {
        robot.interact(() -> vm.darkProperty().set(false));
        openAndWait(robot);
        // keep the selection marks away from the masked cell checked
        robot.interact(() -> {
            vm.selection().queryProperty().set(vm.analysis().tokens() - 1);
            vm.selection().keyProperty().set(0);
        });
        assertEquals(argb(Palette.LIGHT.grid()), maskedCellArgb(), "light theme");
        // View > Dark mode (the menu item is bound to this property)
        robot.interact(() -> vm.darkProperty().set(true));
        assertEquals(argb(Palette.DARK.grid()), maskedCellArgb(), "dark theme, same head");
        robot.interact(() -> vm.darkProperty().set(false));
        assertEquals(argb(Palette.LIGHT.grid()), maskedCellArgb(), "back to light, same head");
    }

    private static int count(WritableImage image, int argb) {
        PixelReader reader = image.getPixelReader();
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                n += reader.getArgb(x, y) == argb ? 1 : 0;
            }
        }
        return n;
    }

    @Test
    void exportsLeaveTheSelectionMarksOut(FxRobot robot) throws Exception {
        robot.interact(() -> vm.darkProperty().set(false));
        openAndWait(robot);
        int tokens = fx(() -> vm.analysis().tokens());
        robot.interact(() -> {
            vm.selection().queryProperty().set(tokens - 1);
            vm.selection().keyProperty().set(1);
        });
        var view = window.parts().views().head();
        // the screen shows the selection marks; a PNG export at 1x and 2x does not
        int selectionArgb = argb(Palette.LIGHT.selection());
        org.junit.jupiter.api.Assertions.assertTrue(fx(() -> count(view.snapshot(null, null), selectionArgb)) > 0,
                "the screen marks the selection");
        for (int scale : new int[]{1, 2}) {
            assertEquals(0, fx(() -> count(view.render(scale), selectionArgb)), "export at " + scale + "x");
        }
    }

    /** The screen point of the cell (query, key) of the head view's heatmap. */
    private javafx.geometry.Point2D cellOnScreen(int query, int key) throws Exception {
        return fx(() -> {
            var view = window.parts().views().head();
            Rectangle2D r = view.heatmapBounds();
            double cell = r.getWidth() / vm.analysis().tokens();
            return view.localToScreen(r.getMinX() + (key + 0.5) * cell, r.getMinY() + (query + 0.5) * cell);
        });
    }

    private static boolean contextMenuShowing() {
        return javafx.stage.Window.getWindows().stream()
                .anyMatch(w -> w instanceof javafx.scene.control.ContextMenu && w.isShowing());
    }

    @Test
    void aRightClickOnACellOpensTheMenuWithoutMovingTheSelectionALeftClickMovesIt(FxRobot robot) throws Exception {
        openAndWait(robot);
        var view = window.parts().views().head();
        int tokens = fx(() -> vm.analysis().tokens());
        // the cell (query 2, key 0): the mouse goes there first (on its way it may hover a token chip, which
        // selects that token), then the selection is put on another row and column
        javafx.geometry.Point2D onScreen = cellOnScreen(2, 0);
        robot.moveTo(onScreen);
        robot.interact(() -> {
            vm.selection().queryProperty().set(tokens - 1);
            vm.selection().keyProperty().set(1);
        });
        java.util.List<MouseEvent> presses = new java.util.ArrayList<>();
        javafx.event.EventHandler<MouseEvent> record = presses::add;
        robot.interact(() -> view.addEventFilter(MouseEvent.MOUSE_PRESSED, record));
        robot.clickOn(MouseButton.SECONDARY);
        waitUntil("the context menu", 10, HeadViewWalkthroughTest::contextMenuShowing);
        robot.interact(() -> view.removeEventFilter(MouseEvent.MOUSE_PRESSED, record));
        assertEquals(1, presses.size(), "the robot's press reached the view");
        MouseEvent press = presses.getFirst();
        assertEquals(MouseButton.SECONDARY, press.getButton());
        assertEquals(2, fx(() -> (int) ((press.getY() - view.heatmapBounds().getMinY())
                / (view.heatmapBounds().getHeight() / tokens))), "on the cell's row");
        assertEquals(tokens - 1, fx(() -> vm.selection().query()), "query kept by the right-click");
        assertEquals(1, fx(() -> vm.selection().key()), "key kept by the right-click");
        robot.type(KeyCode.ESCAPE);
        waitUntil("the context menu to close", 10, () -> !contextMenuShowing());
        // Headless, the menu takes the button's release; under X11 the release and click come back to the view.
        // That click, at the same point, keeps the selection too
        robot.interact(() -> javafx.event.Event.fireEvent(view, new MouseEvent(MouseEvent.MOUSE_CLICKED,
                press.getSceneX(), press.getSceneY(), press.getScreenX(), press.getScreenY(), MouseButton.SECONDARY, 1,
                false, false, false, false, false, false, true, false, false, true, null)));
        assertEquals(tokens - 1, fx(() -> vm.selection().query()), "query kept by the right button's click");
        assertEquals(1, fx(() -> vm.selection().key()), "key kept by the right button's click");
        // the same point with the primary button selects the cell: the robot's click reaches it
        robot.moveTo(onScreen).clickOn(MouseButton.PRIMARY); // still there: no chip on the way
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(2, fx(() -> vm.selection().query()), "query selected by the left click");
        assertEquals(0, fx(() -> vm.selection().key()), "key selected by the left click");
        assertFalse(fx(HeadViewWalkthroughTest::contextMenuShowing), "no menu on a left click");
    }

    /** Whether any pixel of the image in x0..x1, y0..y1 (output pixels) differs from the background. */
    private static boolean inked(WritableImage image, double x0, double y0, double x1, double y1, int background) {
        PixelReader reader = image.getPixelReader();
        for (int y = (int) Math.ceil(y0); y <= (int) Math.floor(y1); y++) {
            for (int x = (int) Math.ceil(x0); x <= (int) Math.floor(x1); x++) {
                if (reader.getArgb(x, y) != background) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void a2xExportLabelsEveryRowAndColumnTheScreenThinsOut(FxRobot robot) throws Exception {
        robot.interact(() -> vm.darkProperty().set(false));
        // a prompt long enough that the screen has room for every other label only
        robot.interact(() -> vm.promptProperty().set("one two three four five six seven eight nine ten eleven "
                + "twelve thirteen fourteen"));
        openAndWait(robot);
        var view = window.parts().views().head();
        int tokens = fx(() -> vm.analysis().tokens());
        Rectangle2D r = fx(view::heatmapBounds);
        double cell = r.getWidth() / tokens;
        assertTrue(dev.headlight.ui.view.CanvasView.labelEvery(cell, 1) > 1,
                "precondition: the screen thins the labels (cell " + cell + " px)");
        assertEquals(1, dev.headlight.ui.view.CanvasView.labelEvery(cell, 2), "2x has room for every label");
        int background = argb(Palette.LIGHT.background());
        for (int scale : new int[]{2, 4}) {
            WritableImage image = fx(() -> view.render(scale));
            for (int t = 0; t < tokens; t++) {
                double centre = r.getMinY() + (t + 0.5) * cell;
                // the query label right-aligned 4 units left of the map, in the middle half of its row
                assertTrue(inked(image, (r.getMinX() - 30) * scale, (centre - cell / 4) * scale,
                        (r.getMinX() - 4) * scale, (centre + cell / 4) * scale, background),
                        scale + "x export: row " + t + " has its label");
                double middle = r.getMinX() + (t + 0.5) * cell;
                assertTrue(inked(image, (middle - cell / 4) * scale, (r.getMinY() - 30) * scale,
                        (middle + cell / 4) * scale, (r.getMinY() - 4) * scale, background),
                        scale + "x export: column " + t + " has its label");
            }
        }
        // on screen a row between two labelled ones keeps its label when it is the selected query
        int thinned = fx(() -> {
            int every = dev.headlight.ui.view.CanvasView.labelEvery(cell, 1);
            return every + 1;
        });
        robot.interact(() -> vm.selection().queryProperty().set(thinned));
        WritableImage screen = fx(() -> view.snapshot(null, null));
        double centre = r.getMinY() + (thinned + 0.5) * cell;
        assertTrue(inked(screen, r.getMinX() - 30, centre - cell / 4, r.getMinX() - 6, centre + cell / 4, background),
                "the selected row " + thinned + " is labelled on screen");
    }
}
