package dev.headlight.ui.view;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Token labels thin out by output pixels: a 2x or 4x export labels rows the screen has no room for. */
class CanvasViewLabelsTest {

    @Test
    void anExportAtAHigherScaleHasRoomForEveryLabel() {
        assertEquals(1, CanvasView.labelEvery(9, 1), "9 px rows: every label on screen");
        assertEquals(2, CanvasView.labelEvery(6, 1), "6 px rows: every other label on screen");
        assertEquals(1, CanvasView.labelEvery(6, 2), "the same rows at 2x: 12 px each");
        assertEquals(3, CanvasView.labelEvery(2, 2), "2 units at 2x: 4 px, every third");
        assertEquals(1, CanvasView.labelEvery(2.25, 4), "2.25 units at 4x: 9 px");
        assertEquals(5, CanvasView.labelEvery(2, 1));
    }

    @Test
    void theSelectedRowIsAlwaysLabelledAndItsCloseNeighboursGiveWay() {
        assertTrue(CanvasView.labelled(3, 2, 3), "the selected row between two labelled ones");
        assertFalse(CanvasView.labelled(2, 2, 3), "its neighbour above would overlap it");
        assertFalse(CanvasView.labelled(4, 2, 3), "and the one below");
        assertTrue(CanvasView.labelled(6, 2, 3));
        assertTrue(CanvasView.labelled(0, 2, -1), "no selection: every 2nd");
        assertFalse(CanvasView.labelled(1, 2, -1));
        assertTrue(CanvasView.labelled(1, 1, 0), "room for all: every row");
    }
}
