package dev.headlight.ui;

import dev.headlight.analysis.LogitLens;
import dev.headlight.ui.task.SameThreadTaskRunner;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The logit lens panel's state follows the shared selection; no window, no FX toolkit. */
class LensViewModelTest {
    @Test
    void theSelectedCellFollowsTheSelectionAndListsItsTopTokensAndRanks() {
        System.setProperty("headlight.warmUp", "false");
        AppPreferences prefs = FxTestSupport.cleanPreferences(FxTestSupport.testNode("-lens-vm"));
        ExplorerViewModel vm = new ExplorerViewModel(prefs, SameThreadTaskRunner.immediate());
        LensViewModel lens = new LensViewModel(vm);
        vm.promptProperty().set("The cat sat on the mat");
        vm.openModel(Fixtures.model("gpt2-tiny"));
        Analysis a = vm.analysis();
        assertNotNull(a.lens());
        LogitLens l = a.lens();
        // no token selected: the last position; layer 0 selected: the row after layer 0
        assertEquals(l.tokens() - 1, lens.effectiveColumn(l));
        assertEquals(1, lens.effectiveRow(l));
        assertEquals(LogitLens.DEFAULT_K, lens.sideProperty().get().topK().size());
        assertTrue(lens.sideProperty().get().ranks().isEmpty(), "no next token after the last position");
        assertEquals("No next token after the last position", lens.sideProperty().get().rankHeading());

        lens.select(l.rows() - 1, 1); // the model's output at position 1
        assertEquals(1, vm.selection().query());
        assertEquals(l.rows() - 2, vm.selection().layer(), "the row's layer becomes the selected layer");
        assertTrue(lens.sideProperty().get().heading().startsWith("Position 1 "), lens.sideProperty().get().heading());
        assertTrue(lens.sideProperty().get().heading().endsWith("model output"), lens.sideProperty().get().heading());
        assertEquals(l.rows(), lens.sideProperty().get().ranks().size(), "a rank per row for the next token");
        assertEquals(a.vocabLabel(l.topIds()[l.rows() - 1][1][0]), lens.sideProperty().get().topK().getFirst().label());
        vm.shutdown();
    }
}
