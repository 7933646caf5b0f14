package dev.headlight.ui.view;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The model view labels every head and layer it has room for: every 1st, 2nd, 4th, ... */
class ModelViewLabelStepTest {

    @Test
    void labelsAreSpacedByThePowerOfTwoThatMakesRoom() {
        assertEquals(1, ModelView.labelStep(20, 10), "room for every label");
        assertEquals(1, ModelView.labelStep(20, 20), "exactly room");
        assertEquals(2, ModelView.labelStep(11, 20));
        assertEquals(4, ModelView.labelStep(7, 20), "TinyLlama's 32 heads at 7 px: H0, H4, H8, ...");
        assertEquals(32, ModelView.labelStep(0.5, 11));
    }
}
