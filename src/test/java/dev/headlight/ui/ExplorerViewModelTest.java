package dev.headlight.ui;

import dev.headlight.ui.task.ErrorSink;
import dev.headlight.ui.task.SameThreadTaskRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The explorer's view model without a window or the FX toolkit: the same-thread runner runs its tasks. */
class ExplorerViewModelTest {
    private AppPreferences prefs;
    private ExplorerViewModel vm;

    @BeforeEach
    void setUp() {
        System.setProperty("headlight.warmUp", "false");
        prefs = FxTestSupport.cleanPreferences(FxTestSupport.testNode("-explorer-vm"));
    }

    @AfterEach
    void tearDown() {
        if (vm != null) {
            vm.shutdown();
        }
    }

    @Test
    void openingAModelAnalysesThePromptAndRemembersTheFolder() {
        SameThreadTaskRunner tasks = SameThreadTaskRunner.immediate(new ErrorSink(ExplorerViewModel::describe));
        vm = new ExplorerViewModel(prefs, tasks);
        assertEquals("No model open", vm.statusProperty().get());
        vm.promptProperty().set("The cat sat on the mat");
        vm.openModel(Fixtures.model("gpt2-tiny"));

        assertNotNull(vm.model());
        Analysis a = vm.analysis();
        assertNotNull(a);
        assertEquals("The cat sat on the mat", a.prompt());
        assertNotNull(a.lens(), "the final analysis carries the logit lens");
        assertEquals(1, vm.passesProperty().get().completed());
        assertTrue(vm.statusProperty().get().contains(a.tokens() + " tokens"), vm.statusProperty().get());
        assertEquals(Fixtures.model("gpt2-tiny").toAbsolutePath().normalize(), prefs.recentFolders().getFirst());
        assertFalse(vm.isBusy());
        assertFalse(vm.promptIsIdsProperty().get());
        assertNull(vm.tasks().errors().messageProperty().get());

        vm.promptProperty().set("The cat sat");
        assertEquals("The cat sat", vm.analysis().prompt(), "a typed prompt is analysed after the typing pause");
        assertEquals(2, vm.passesProperty().get().completed());
    }

    @Test
    void whileTheFirstModelLoadsTheStatusDoesNotSayNoModelIsOpen() {
        SameThreadTaskRunner tasks = SameThreadTaskRunner.deferred();
        vm = new ExplorerViewModel(prefs, tasks);
        vm.openModel(Fixtures.model("gpt2-tiny"));
        assertTrue(vm.loadingProperty().get());
        assertEquals("", vm.statusProperty().get());
        assertTrue(vm.tasks().activityProperty().get().startsWith("Opening "), vm.tasks().activityProperty().get());
        tasks.runPending();
        assertFalse(vm.loadingProperty().get());
        assertTrue(vm.statusProperty().get().startsWith("gpt2-tiny") || vm.statusProperty().get().contains("·"),
                vm.statusProperty().get());
    }

    @Test
    void aDamagedFolderIsOneLineInTheBannerAndTheOpenModelStays(@TempDir Path dir) throws Exception {
        SameThreadTaskRunner tasks = SameThreadTaskRunner.immediate(new ErrorSink(ExplorerViewModel::describe));
        vm = new ExplorerViewModel(prefs, tasks);
        vm.openModel(Fixtures.model("gpt2-tiny"));
        var open = vm.model();
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"gpt2\",\n  \"n_layer\": ");
        vm.openModel(dir);
        String error = vm.tasks().errors().messageProperty().get();
        assertNotNull(error);
        assertFalse(error.contains("\n"), error);
        assertTrue(error.startsWith("Could not open "), error);
        assertTrue(error.contains("config.json"), error);
        assertSame(open, vm.model(), "the previous model stays open");
        vm.dismissError();
        assertNull(vm.tasks().errors().messageProperty().get());
    }

    @Test
    void cancellingALoadKeepsTheOpenModelAndClosesTheLateOne() {
        SameThreadTaskRunner tasks = SameThreadTaskRunner.deferred();
        vm = new ExplorerViewModel(prefs, tasks);
        vm.openModel(Fixtures.model("gpt2-tiny"));
        vm.cancelLoading();
        assertFalse(vm.loadingProperty().get());
        tasks.runPending();
        assertNull(vm.model(), "a cancelled load is not shown");
        assertEquals("No model open", vm.statusProperty().get());
    }

    @Test
    void aNewPromptCancelsThePassInFlight() {
        SameThreadTaskRunner tasks = SameThreadTaskRunner.deferred();
        vm = new ExplorerViewModel(prefs, tasks);
        vm.promptProperty().set("one two");
        vm.openModel(Fixtures.model("gpt2-tiny"));
        tasks.runPending();
        int cancelledBefore = vm.passesProperty().get().cancelled();
        vm.promptProperty().set("one two three"); // nothing runs: its pass is queued at once
        assertEquals(0, vm.passesProperty().get().cancelled() - cancelledBefore);
        vm.promptProperty().set("one two three four"); // ... and cancelled by the next keystroke
        assertEquals(cancelledBefore + 1, vm.passesProperty().get().cancelled());
        assertTrue(vm.debouncing(), "a keystroke interrupting a pass waits for the typing to pause");
        tasks.runPending();
        assertEquals("one two three four", vm.analysis().prompt());
        assertFalse(vm.isBusy());
    }
}
