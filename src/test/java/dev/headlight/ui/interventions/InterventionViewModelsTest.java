package dev.headlight.ui.interventions;

import dev.headlight.analysis.Fixtures;
import dev.headlight.ui.AppPreferences;
import dev.headlight.ui.ExplorerViewModel;
import dev.headlight.ui.FxTestSupport;
import dev.headlight.ui.task.SameThreadTaskRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ablation, patching and attribution view models through the same-thread runner: no window, no FX toolkit. */
class InterventionViewModelsTest {
    private SameThreadTaskRunner tasks;
    private ExplorerViewModel vm;

    @BeforeEach
    void setUp() {
        System.setProperty("headlight.warmUp", "false");
        AppPreferences prefs = FxTestSupport.cleanPreferences(FxTestSupport.testNode("-interventions-vm"));
        tasks = SameThreadTaskRunner.deferred();
        vm = new ExplorerViewModel(prefs, tasks);
    }

    @AfterEach
    void tearDown() {
        vm.shutdown();
    }

    private void open(String prompt) {
        vm.promptProperty().set(prompt);
        vm.openModel(Fixtures.model("gpt2-tiny"));
        tasks.runPending();
        assertNotNull(vm.analysis());
    }

    @Test
    void anAblationRunsOnTheRunnerAndANewPromptDropsItsResult() {
        open("The cat sat on the mat. The cat");
        AblationViewModel ablation = new AblationViewModel(vm);
        ablation.ablate(1, 0);
        assertTrue(ablation.runningProperty().get());
        assertEquals(-1, ablation.progressProperty().get());
        tasks.runPending();
        assertFalse(ablation.runningProperty().get());
        AblationViewModel.Outcome outcome = ablation.outcomeProperty().get();
        assertNotNull(outcome);
        assertEquals(1, outcome.layer());
        assertEquals(0, outcome.head());
        assertEquals(vm.analysis().tokens() - 1, outcome.position(), "no query token selected: the last one");
        assertFalse(ablation.before().isEmpty());

        ablation.computeMap();
        vm.promptProperty().set("The cat sat"); // the map in flight describes the previous prompt
        tasks.runPending();
        assertNull(ablation.mapProperty().get());
        assertNull(ablation.outcomeProperty().get());
        assertNull(tasks.errors().message(), "a cancelled run is no error");
    }

    @Test
    void patchingWithoutAModelAndPromptsOfUnequalLengthGoToTheOneErrorBannerAsOneLine() {
        PatchingViewModel patching = new PatchingViewModel(vm);
        patching.run();
        assertEquals("Open a model first.", tasks.errors().message());
        open("The cat sat on the mat");
        patching.cleanProperty().set("The cat sat on the mat");
        patching.corruptedProperty().set("The dog sat");
        patching.run();
        tasks.runPending();
        String error = vm.tasks().errors().messageProperty().get();
        assertNotNull(error, "the banner's text");
        assertTrue(error.startsWith("Could not patch: ") && error.contains("same token length"), error);
        assertFalse(error.contains("\n"));
        assertNull(patching.outcomeProperty().get());
        assertFalse(patching.runningProperty().get());
        // the next run takes its own message down; a successful one leaves the banner empty
        patching.corruptedProperty().set("The dog sat on the mat");
        patching.run();
        assertNull(vm.tasks().errors().messageProperty().get());
        tasks.runPending();
        assertNotNull(patching.outcomeProperty().get());
        assertNull(vm.tasks().errors().messageProperty().get());
    }

    @Test
    void aFailedAblationClearsItsResultAndShowsInTheBannerButLeavesAnotherPanelsErrorUp() {
        open("The cat sat on the mat. The cat");
        AblationViewModel ablation = new AblationViewModel(vm);
        ablation.ablate(1, 0);
        tasks.runPending();
        assertNotNull(ablation.outcomeProperty().get());
        ablation.ablate(99, 0); // no such layer: the analysis refuses it
        tasks.runPending();
        String error = vm.tasks().errors().messageProperty().get();
        assertNotNull(error, "the banner's text");
        assertTrue(error.startsWith("Could not ablate: "), error);
        assertNull(ablation.outcomeProperty().get(), "no stale result beside the error");
        tasks.errors().report("Could not open some-model: config.json is missing");
        ablation.ablate(1, 0);
        assertEquals("Could not open some-model: config.json is missing", vm.tasks().errors().messageProperty().get());
        tasks.runPending();
        assertNotNull(ablation.outcomeProperty().get());
    }

    @Test
    void attributionFollowsTheAnalysisWhileItsTabIsShown() {
        AttributionViewModel attribution = new AttributionViewModel(vm);
        attribution.setActive(false);
        open("The cat sat on the mat");
        assertNull(attribution.outcomeProperty().get(), "a hidden panel does not compute");
        attribution.setActive(true);
        tasks.runPending();
        assertNotNull(attribution.outcomeProperty().get());
    }
}
