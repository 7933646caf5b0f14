package dev.headlight.ui;

import dev.headlight.library.SampleModels;
import dev.headlight.ui.task.SameThreadTaskRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tokens panel's state on the bundled sample model: chips, the lost-characters note and the tints follow the
 * analysis and the shared selection. No window, no FX toolkit: work runs on the test's thread.
 */
class TokensViewModelTest {
    private ExplorerViewModel vm;

    private ExplorerViewModel openSample(String prompt) {
        System.setProperty("headlight.warmUp", "false");
        AppPreferences prefs = FxTestSupport.cleanPreferences(FxTestSupport.testNode("-tokens-vm"));
        vm = new ExplorerViewModel(prefs, SameThreadTaskRunner.immediate());
        Path sample = SampleModels.defaultModel().orElseThrow();
        vm.promptProperty().set(prompt == null ? SampleModels.examplePrompt(sample) : prompt);
        vm.openModel(sample);
        assertNotNull(vm.analysis(), "the sample's analysis");
        return vm;
    }

    @AfterEach
    void close() {
        if (vm != null) {
            vm.shutdown();
        }
    }

    /** The tint written out independently: 0.9 × weight, at most 0.85, rounded to twentieths. */
    private static double expectedTint(float weight) {
        return Math.round(Math.min(0.85, weight * 0.9) * 20) / 20.0;
    }

    @Test
    void aChipPerTokenAndNoNoteWhenTheVocabularyCoversThePrompt() {
        TokensViewModel tokens = new TokensViewModel(openSample(null), new HeldLoader());
        Analysis a = vm.analysis();
        assertEquals(a.tokens(), tokens.chips().size());
        for (int t = 0; t < a.tokens(); t++) {
            TokensViewModel.Chip chip = tokens.chips().get(t);
            assertEquals(a.label(t), chip.text());
            assertEquals(a.special()[t], chip.special());
            assertEquals("position " + t + " · id " + a.ids()[t] + (a.special()[t] ? " · special" : ""),
                    chip.tooltip());
        }
        assertEquals("", tokens.lostNoteProperty().get());
        // no query token: nothing tinted
        assertEquals(-1, tokens.queryProperty().get());
        for (double tint : tokens.tints()) {
            assertEquals(0, tint);
        }
    }

    @Test
    void charactersTheVocabularyLacksGiveTheNoteAndANewPromptReplacesTheChips() {
        // the induction sample knows letters only: spaces and the full stop are dropped
        TokensViewModel tokens = new TokensViewModel(openSample("The cat sat on the mat."), new HeldLoader());
        assertEquals("⚠ Not in the vocabulary, dropped: '␣' ×5, '.' (no token stands for them)",
                tokens.lostNoteProperty().get());
        vm.promptProperty().set("ABCABC");
        assertEquals("", tokens.lostNoteProperty().get());
        assertEquals(vm.analysis().tokens(), tokens.chips().size());
        assertEquals(vm.analysis().label(0), tokens.chips().getFirst().text());
    }

    @Test
    void selectingAQueryTintsTheOtherChipsByTheSelectedHeadsRow() {
        HeldLoader loader = new HeldLoader();
        TokensViewModel tokens = new TokensViewModel(openSample(null), loader);
        Analysis a = vm.analysis();
        int n = a.tokens();
        int q = n - 1;
        tokens.selectQuery(q);
        assertEquals(q, vm.selection().query(), "the query is the shared selection's");
        vm.selection().selectHead(a.layers() - 1, a.heads() - 1);
        for (int layer = 0; layer < a.layers(); layer++) {
            for (int head = 0; head < a.heads(); head++) {
                vm.selection().selectHead(layer, head);
                float[] map = a.map(layer, head, false);
                double[] tints = tokens.tints();
                assertEquals(n, tints.length);
                boolean tinted = false;
                for (int k = 0; k < n; k++) {
                    double expected = k == q ? 0 : expectedTint(map[q * n + k]);
                    assertEquals(expected, tints[k], "layer " + layer + " head " + head + " key " + k);
                    tinted |= tints[k] > 0;
                    assertTrue(tints[k] <= 0.85);
                }
                assertTrue(tinted, "the last token attends to some other token visibly");
            }
        }
        assertTrue(loader.held.isEmpty(), "kept maps need no fetch");
        tokens.selectQuery(-1);
        for (double tint : tokens.tints()) {
            assertEquals(0, tint);
        }
    }

    @Test
    void aMapThatMustBeRecomputedTintsOnArrivalAndAStaleFetchIsDropped() {
        ExplorerViewModel explorer = openSample(null);
        Analysis first = explorer.analysis();
        // room for one layer's maps (2 bytes a probability): the other layer is recomputed when shown
        explorer.attentionBudgetProperty().set(2L * first.heads() * first.tokens() * first.tokens());
        Analysis a = explorer.analysis();
        assertNotEquals(first, a);
        int layer = a.layers() - 1;
        while (layer >= 0 && a.mapReady(layer)) {
            layer--;
        }
        assertTrue(layer >= 0, "a layer whose maps must be recomputed");
        HeldLoader loader = new HeldLoader();
        TokensViewModel tokens = new TokensViewModel(explorer, loader);
        int n = a.tokens();
        explorer.selection().selectHead(layer, 0);
        tokens.selectQuery(n - 1);
        assertEquals(1, loader.held.size());
        for (double tint : tokens.tints()) {
            assertEquals(0, tint, "untinted while the map is fetched");
        }
        tokens.selectQuery(n - 2); // the same head: no second fetch
        assertEquals(1, loader.held.size());
        explorer.selection().selectHead(layer, 1); // the first fetch is stale now
        assertEquals(2, loader.held.size());
        loader.held.get(1).run();
        float[] map = a.map(layer, 1, false);
        int q = n - 2;
        for (int k = 0; k < n; k++) {
            assertEquals(k == q ? 0 : expectedTint(map[q * n + k]), tokens.tints()[k], "key " + k);
        }
        double[] shown = tokens.tints();
        loader.held.get(0).run(); // arrives late: dropped
        assertEquals(shown, tokens.tints());
        assertFalse(explorer.isBusy());
    }
}
