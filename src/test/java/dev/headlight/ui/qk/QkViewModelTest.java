package dev.headlight.ui.qk;

import dev.headlight.analysis.QkCell;
import dev.headlight.ui.AppPreferences;
import dev.headlight.ui.ExplorerViewModel;
import dev.headlight.analysis.Fixtures;
import dev.headlight.ui.FxTestSupport;
import dev.headlight.ui.task.SameThreadTaskRunner;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The q·k panel's view model on a same-thread runner: follows the selection, explains the engine's cell. */
class QkViewModelTest {
    private ExplorerViewModel opened(SameThreadTaskRunner tasks) {
        System.setProperty("headlight.warmUp", "false");
        AppPreferences prefs = FxTestSupport.cleanPreferences(FxTestSupport.testNode("-qk-vm"));
        ExplorerViewModel vm = new ExplorerViewModel(prefs, tasks);
        vm.promptProperty().set("When Mary and John went to the store, John gave a drink to");
        vm.openModel(Fixtures.model("llama-tiny"));
        while (tasks.pending() > 0) {
            tasks.runPending(); // a deferred runner: opening, then the analysis
        }
        assertNotNull(vm.analysis());
        return vm;
    }

    @Test
    void theSelectedCellIsTakenApartAndMatchesTheHeadView() {
        ExplorerViewModel vm = opened(SameThreadTaskRunner.immediate());
        QkViewModel qk = new QkViewModel(vm);
        vm.selection().selectHead(1, 3);
        vm.selection().queryProperty().set(6);
        vm.selection().keyProperty().set(2);
        QkCell cell = qk.shownProperty().get().cell();
        assertNotNull(cell);
        assertEquals(1, cell.layer());
        assertEquals(3, cell.head());
        assertEquals(1, cell.kvHead(), "llama-tiny: 4 query heads share 2 kv-heads");
        assertEquals(6, cell.query());
        assertEquals(2, cell.key());
        // the window's trace keeps float16 maps: the cell agrees to float16 precision
        float shown = vm.analysis().map(1, 3, false)[6 * vm.analysis().tokens() + 2];
        assertEquals(shown, cell.probability(), 1e-3);
        assertEquals(shown, cell.engineProbability(), 0);
        assertTrue(qk.shownProperty().get().heading().startsWith("Layer 1, head 3: "), qk.shownProperty().get().heading());
        assertEquals("", qk.shownProperty().get().message());
    }

    @Test
    void withoutASelectedKeyItExplainsTheStrongestOne() {
        ExplorerViewModel vm = opened(SameThreadTaskRunner.immediate());
        QkViewModel qk = new QkViewModel(vm);
        vm.selection().keyProperty().set(-1);
        vm.selection().queryProperty().set(-1);
        QkCell cell = qk.shownProperty().get().cell();
        int last = vm.analysis().tokens() - 1;
        assertEquals(last, cell.query(), "no query: the last token");
        float[] map = vm.analysis().map(0, 0, false);
        for (int j = 0; j < vm.analysis().tokens(); j++) {
            assertTrue(map[last * vm.analysis().tokens() + j] <= map[last * vm.analysis().tokens() + cell.key()]);
        }
        assertTrue(qk.shownProperty().get().heading().contains("strongest key"));
    }

    @Test
    void aMaskedCellSaysWhyAndAHiddenPanelWaits() {
        SameThreadTaskRunner tasks = SameThreadTaskRunner.deferred();
        ExplorerViewModel vm = opened(tasks);
        QkViewModel qk = new QkViewModel(vm);
        vm.selection().queryProperty().set(1);
        vm.selection().keyProperty().set(4);
        tasks.runPending();
        assertNull(qk.shownProperty().get().cell());
        assertTrue(qk.shownProperty().get().message().contains("causal mask"), qk.shownProperty().get().message());

        qk.setActive(false);
        vm.selection().keyProperty().set(0);
        assertEquals(0, tasks.pending(), "a hidden panel computes nothing");
        qk.setActive(true);
        assertEquals(1, tasks.pending());
        tasks.runPending();
        assertEquals(0, qk.shownProperty().get().cell().key());
    }
}
