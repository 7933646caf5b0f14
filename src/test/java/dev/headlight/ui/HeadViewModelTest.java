package dev.headlight.ui;

import dev.headlight.ui.task.SameThreadTaskRunner;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The head view's map: fetched for the selection, stale fetches dropped. No window, no FX toolkit. */
class HeadViewModelTest {
    private ExplorerViewModel openedExplorer() {
        System.setProperty("headlight.warmUp", "false");
        AppPreferences prefs = FxTestSupport.cleanPreferences(FxTestSupport.testNode("-head-vm"));
        ExplorerViewModel vm = new ExplorerViewModel(prefs, SameThreadTaskRunner.immediate());
        vm.promptProperty().set("The cat sat on the mat. The cat");
        vm.openModel(Fixtures.model("gpt2-tiny"));
        assertNotNull(vm.analysis());
        return vm;
    }

    @Test
    void aKeptMapIsShownAtOnceAndFollowsTheSelection() {
        ExplorerViewModel vm = openedExplorer();
        HeldLoader loader = new HeldLoader();
        HeadViewModel head = new HeadViewModel(vm, loader);
        Analysis a = vm.analysis();
        assertArrayEquals(a.map(0, 0, false), head.shownMap());
        vm.selection().selectHead(1, 1);
        assertArrayEquals(a.map(1, 1, false), head.shownMap());
        head.layerMeanProperty().set(true);
        assertArrayEquals(a.map(1, 0, true), head.shownMap());
        assertTrue(loader.held.isEmpty(), "kept maps need no fetch");
        assertFalse(head.recomputingProperty().get());
        vm.shutdown();
    }

    @Test
    void aMapThatMustBeRecomputedIsFetchedAndAStaleFetchIsDropped() {
        ExplorerViewModel vm = openedExplorer();
        Analysis first = vm.analysis();
        // room for one layer's maps (2 bytes a probability): the other layers are recomputed when shown
        vm.attentionBudgetProperty().set(2L * first.heads() * first.tokens() * first.tokens());
        Analysis a = vm.analysis();
        assertNull(vm.tasks().errors().messageProperty().get());
        int layer = a.layers() - 1;
        while (layer >= 0 && a.mapReady(layer)) {
            layer--; // the last recomputed layer stays ready for a while
        }
        assertTrue(layer >= 0, "a layer whose maps must be recomputed");
        vm.selection().selectHead(layer, 0);
        HeldLoader loader = new HeldLoader();
        HeadViewModel head = new HeadViewModel(vm, loader);
        assertNull(head.shownMap());
        assertTrue(head.recomputingProperty().get());
        vm.selection().selectHead(layer, 1); // the first fetch is stale now
        assertEquals(2, loader.held.size());
        loader.held.get(1).run();
        float[] shown = head.shownMap();
        assertArrayEquals(a.map(layer, 1, false), shown);
        assertFalse(head.recomputingProperty().get());
        loader.held.get(0).run(); // arrives late: dropped
        assertArrayEquals(shown, head.shownMap());
        vm.shutdown();
    }
}
