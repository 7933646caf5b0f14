package dev.headlight.ui.view;

import javafx.scene.text.Font;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;

import java.util.List;

import static dev.headlight.ui.FxTestSupport.onFx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A view's placeholder is wrapped to its width: the Circuits tab's small plots cut a one-line message at both ends. */
@ExtendWith(ApplicationExtension.class)
class ViewTextWrapTest {
    private static final String MESSAGE = "No learned absolute positions: QK is content-only here";

    @Test
    void aMessageWiderThanTheViewIsSplitAtSpacesIntoLinesThatFit() throws Exception {
        Font font = Font.font(ViewText.FAMILY, 13);
        double whole = onFx(() -> ViewText.width(MESSAGE, font));
        double width = whole * 0.6;
        List<String> lines = onFx(() -> ViewText.wrap(MESSAGE, font, width));
        assertEquals(2, lines.size(), lines.toString());
        assertEquals(MESSAGE, String.join(" ", lines), "no word lost or split");
        for (String line : lines) {
            double w = onFx(() -> ViewText.width(line, font));
            assertTrue(w <= width, line + " is " + w + " wide, more than " + width);
        }
        assertEquals(List.of(MESSAGE), onFx(() -> ViewText.wrap(MESSAGE, font, whole + 1)),
                "a view wide enough keeps one line");
        assertEquals(List.of("content-only"), onFx(
                () -> ViewText.wrap("content-only", font, 5)), "a word wider than the view keeps its line");
    }
}
