package dev.headlight.ui;

import dev.headlight.ui.shell.MainWindow;
import javafx.scene.Node;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.headlight.ui.FxTestSupport.fx;
import static dev.headlight.ui.FxTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The keyboard as issue 16 used it: Tab through the window shows where the focus is at every stop, and the arrow
 * keys move the selected token after a click on a token chip.
 */
@ExtendWith(ApplicationExtension.class)
class FocusWalkTest {
    static final Path GPT2 = Fixtures.model("gpt2-tiny");

    private MainWindow window;
    private ExplorerViewModel vm;

    @Start
    void start(Stage stage) {
        window = FxTestSupport.showWindow(stage, FxTestSupport.testNode("-focus"), 1280, 720);
        vm = window.explorer();
    }

    @AfterEach
    void tearDown() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> vm.shutdown()).get();
    }

    private void openAndWait(FxRobot robot) throws Exception {
        robot.interact(() -> window.openModel(GPT2));
        waitUntil("analysis", () -> vm.analysis() != null && !vm.isBusy() && window.parts().views().tokens().complete()
                && window.parts().views().head().shownMap() != null);
    }

    /** The node's pixels with its surroundings (focus rings are drawn outside a control's bounds). */
    private WritableImage around(Node node) {
        var b = node.localToScene(node.getBoundsInLocal());
        var params = new javafx.scene.SnapshotParameters();
        params.setViewport(new javafx.geometry.Rectangle2D(b.getMinX() - 4, b.getMinY() - 4, b.getWidth() + 8,
                b.getHeight() + 8));
        return window.parts().scene().getRoot().snapshot(params, null);
    }

    private static boolean same(WritableImage a, WritableImage b) {
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            return false;
        }
        PixelReader ra = a.getPixelReader();
        PixelReader rb = b.getPixelReader();
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                if (ra.getArgb(x, y) != rb.getArgb(x, y)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static String describe(Node n) {
        String text = n instanceof javafx.scene.control.Labeled l ? " '" + l.getText() + "'" : "";
        return n.getClass().getSimpleName() + (n.getId() != null ? "#" + n.getId() : "") + n.getStyleClass() + text;
    }

    @Test
    void everyFocusStopShowsTheFocus(FxRobot robot) throws Exception {
        openAndWait(robot);
        robot.clickOn(window.parts().promptField());
        WaitForAsyncUtils.waitForFxEvents();
        Node first = fx(() -> window.parts().scene().getFocusOwner());
        assertEquals(window.parts().promptField(), first, "the click focused the prompt field");
        List<String> unmarked = new ArrayList<>();
        List<String> visited = new ArrayList<>();
        Node current = first;
        for (int stop = 0; stop < 80; stop++) {
            Node focused = current;
            WritableImage withFocus = fx(() -> around(focused));
            robot.type(KeyCode.TAB);
            WaitForAsyncUtils.waitForFxEvents();
            Node next = fx(() -> window.parts().scene().getFocusOwner());
            assertTrue(next != focused, "Tab left " + describe(focused));
            WritableImage without = fx(() -> around(focused));
            visited.add(describe(focused));
            if (same(withFocus, without)) {
                unmarked.add(describe(focused));
            }
            current = next;
            if (next == first) {
                break;
            }
        }
        assertEquals(first, current, "Tab comes back to the prompt field; visited " + visited);
        assertTrue(visited.size() >= 10, "a walk through the window: " + visited);
        assertEquals(List.of(), unmarked, "focus stops that look the same focused and not; visited " + visited);
    }

    @Test
    void theArrowKeysMoveTheSelectedTokenAfterAClickOnAChip(FxRobot robot) throws Exception {
        openAndWait(robot);
        robot.clickOn(window.parts().views().tokens().chips().get(2));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(2, fx(() -> vm.selection().query()), "the click selects the chip's token");
        robot.type(KeyCode.RIGHT);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(3, fx(() -> vm.selection().query()), "Right selects the next token");
        robot.type(KeyCode.RIGHT);
        robot.type(KeyCode.LEFT);
        robot.type(KeyCode.LEFT);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(2, fx(() -> vm.selection().query()), "Left the previous one");
        robot.type(KeyCode.END);
        WaitForAsyncUtils.waitForFxEvents();
        int last = fx(() -> vm.analysis().tokens() - 1);
        assertEquals(last, fx(() -> vm.selection().query()), "End the last token");
        robot.type(KeyCode.RIGHT);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(last, fx(() -> vm.selection().query()), "Right stops at the last token");
        robot.type(KeyCode.HOME);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(0, fx(() -> vm.selection().query()), "Home the first");
    }
}
