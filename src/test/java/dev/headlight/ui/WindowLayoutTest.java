package dev.headlight.ui;

import dev.headlight.ui.shell.MainWindow;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Labeled;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.text.Text;
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
 * The window at the small sizes of issue 16: at 1024x700 and 1280x720 no label of the toolbar, the prompt bar or a
 * panel header is cut to an ellipsis, the toolbar needs no overflow menu, the token strip's rows are whole and every
 * tab header is inside its pane.
 */
@ExtendWith(ApplicationExtension.class)
class WindowLayoutTest {
    static final Path GPT2 = Fixtures.model("gpt2-tiny");
    /** Long enough that the chips take two rows at 1024 px. */
    static final String PROMPT = "When Mary and John went to the store on a sunny day, John gave a drink to Mary "
            + "because she was thirsty";

    private MainWindow window;

    @Start
    void start(Stage stage) {
        window = FxTestSupport.showWindow(stage, FxTestSupport.testNode("-layout"), 1280, 720);
    }

    @AfterEach
    void tearDown() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> window.shutdown()).get();
    }

    private static void collect(Node node, List<Node> out) {
        out.add(node);
        if (node instanceof Parent p) {
            for (Node child : p.getChildrenUnmodifiable()) {
                collect(child, out);
            }
        }
    }

    private static boolean shown(Node node) {
        for (Node n = node; n != null; n = n.getParent()) {
            if (!n.isVisible()) {
                return false;
            }
        }
        return true;
    }

    /** The bars whose labels must be whole: toolbar, prompt bar, the panels' headers. */
    private List<Node> bars() {
        List<Node> bars = new ArrayList<>(window.parts().scene().getRoot().lookupAll(".tool-bar"));
        bars.addAll(window.parts().scene().getRoot().lookupAll(".prompt-bar"));
        bars.addAll(window.parts().scene().getRoot().lookupAll(".panel-header"));
        return bars;
    }

    /** "what: shown text" for every shown Labeled in the bars whose rendered text is not its whole text. */
    private List<String> cutLabels() {
        List<String> cut = new ArrayList<>();
        for (Node bar : bars()) {
            List<Node> nodes = new ArrayList<>();
            collect(bar, nodes);
            for (Node n : nodes) {
                if (!(n instanceof Labeled l) || l.getText() == null || l.getText().isEmpty() || !shown(l)) {
                    continue;
                }
                String whole = l.isMnemonicParsing() ? l.getText().replace("_", "") : l.getText();
                Text rendered = (Text) l.lookup(".text");
                if (rendered == null || !whole.equals(rendered.getText())) {
                    cut.add(l.getText() + " shown as " + (rendered == null ? "nothing" : rendered.getText()));
                }
            }
        }
        return cut;
    }

    /** Text fields in the bars whose hint is wider than the field. */
    private List<String> cutHints() {
        List<String> cut = new ArrayList<>();
        for (Node bar : bars()) {
            List<Node> nodes = new ArrayList<>();
            collect(bar, nodes);
            for (Node n : nodes) {
                if (n instanceof TextField f && shown(f) && f.getPromptText() != null && !f.getPromptText().isEmpty()) {
                    Text t = new Text(f.getPromptText());
                    t.setFont(f.getFont());
                    double room = f.getWidth() - f.snappedLeftInset() - f.snappedRightInset();
                    if (t.getLayoutBounds().getWidth() > room) {
                        cut.add(f.getPromptText() + " in " + room + " px");
                    }
                }
            }
        }
        return cut;
    }

    private void resize(FxRobot robot, double width, double height) throws Exception {
        robot.interact(() -> {
            window.stage().setWidth(width);
            window.stage().setHeight(height);
        });
        WaitForAsyncUtils.waitForFxEvents();
        // a few pulses for the split panes and wrapping headers to settle
        for (int i = 0; i < 3; i++) {
            robot.interact(() -> window.parts().scene().getRoot().layout());
            WaitForAsyncUtils.waitForFxEvents();
        }
    }

    private void checkLayout(FxRobot robot, int width, int height) throws Exception {
        resize(robot, width, height);
        String at = " at " + width + "x" + height;
        assertEquals(List.of(), fx(this::cutLabels), "labels cut" + at);
        assertEquals(List.of(), fx(this::cutHints), "hints cut" + at);
        assertTrue(fx(() -> window.parts().scene().getRoot().lookupAll(".tool-bar-overflow-button").stream()
                .noneMatch(WindowLayoutTest::shown)), "the toolbar needs no overflow menu" + at);
        // every chip inside the token strip's viewport: no row cut
        String chipsCut = fx(() -> {
            ScrollPane strip = window.parts().views().tokens();
            Node viewport = strip.lookup(".viewport");
            Bounds view = viewport.localToScene(viewport.getLayoutBounds());
            for (int t = 0; t < window.parts().views().tokens().chips().size(); t++) {
                Node chip = window.parts().views().tokens().chips().get(t);
                Bounds b = chip.localToScene(chip.getLayoutBounds());
                if (b.getMinY() < view.getMinY() - 0.5 || b.getMaxY() > view.getMaxY() + 0.5) {
                    return "chip " + t + " " + b + " outside " + view;
                }
            }
            return null;
        });
        assertEquals(null, chipsCut, "the token strip's rows are whole" + at);
        String tabsCut = fx(() -> {
            var tabs = window.parts().tabs();
            Bounds pane = tabs.localToScene(tabs.getLayoutBounds());
            for (Node header : tabs.lookupAll(".tab")) {
                Bounds b = header.localToScene(header.getLayoutBounds());
                if (!shown(header) || b.getMinX() < pane.getMinX() - 0.5 || b.getMaxX() > pane.getMaxX() + 0.5) {
                    return "tab header " + b + " outside " + pane;
                }
            }
            Node overflow = tabs.lookup(".control-buttons-tab");
            if (overflow != null && shown(overflow)) {
                return "the tabs' overflow menu shows";
            }
            Labeled selected = (Labeled) tabs.lookup(".tab:selected .tab-label");
            Text rendered = (Text) selected.lookup(".text");
            return selected.getText().equals(rendered.getText()) ? null : "selected tab shown as " + rendered.getText();
        });
        assertEquals(null, tabsCut, "every tab header inside the pane" + at);
    }

    @Test
    void toolbarsHeadersTokenRowsAndTabsAreWholeAt1024x700And1280x720(FxRobot robot) throws Exception {
        robot.interact(() -> {
            window.parts().promptField().setText(PROMPT);
            window.openModel(GPT2);
        });
        waitUntil("analysis", () -> window.explorer().analysis() != null && !window.explorer().isBusy()
                && window.parts().views().tokens().complete());
        checkLayout(robot, 1024, 700);
        long rows = fx(() -> window.parts().views().tokens().chips().stream()
                .map(c -> Math.round(c.localToScene(c.getLayoutBounds()).getMinY())).distinct().count());
        assertTrue(rows >= 2, "precondition: the chips take two rows at 1024 px, not " + rows);
        checkLayout(robot, 1280, 720);
        checkLayout(robot, 1024, 700); // and back
    }
}
