package dev.headlight.ui.lab;

import dev.headlight.train.CheckpointTimeline;
import dev.headlight.ui.lab.TrainingLabViewModel.Settings;
import dev.headlight.ui.lab.TrainingLabViewModel.TaskChoice;
import javafx.collections.ListChangeListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lab's view model without a window: runs train on the calling thread (a same-thread runner). */
class TrainingLabViewModelTest {
    private final TrainingLabViewModel vm = new TrainingLabViewModel(Runnable::run, Runnable::run);

    private static Settings induction(int steps, int every) {
        return new Settings(TaskChoice.INDUCTION, null, 1, 2, 16, 24, steps, every);
    }

    private static List<Integer> steps(Path run) {
        return CheckpointTimeline.scan(run).checkpoints().stream().map(CheckpointTimeline.Entry::step).toList();
    }

    @Test
    void everyRunGetsAFolderOfItsOwn(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        vm.outputProperty().set(out.toString());
        vm.start(induction(6, 3));
        assertNull(vm.failureProperty().get());
        assertTrue(vm.finishedProperty().get());
        assertEquals(out, vm.runFolderProperty().get());
        assertTrue(vm.statusProperty().get().startsWith("Done: 6 steps"), vm.statusProperty().get());
        assertEquals(dir.resolve("run-2").toString(), vm.outputProperty().get(), "the next run's folder");
        String firstLog = Files.readString(out.resolve("training.json"));

        // the user types the first folder again: the run goes next to it, and the status says where
        vm.outputProperty().set(out.toString());
        vm.start(induction(4, 2));
        assertEquals(dir.resolve("run-2"), vm.runFolderProperty().get());
        assertEquals(List.of(0, 3, 6), steps(out));
        assertEquals(firstLog, Files.readString(out.resolve("training.json")));
        assertEquals(List.of(0, 2, 4), steps(dir.resolve("run-2")));
        assertEquals(4, vm.steps().size(), "the lists hold the second run only");
        assertEquals(3, vm.checkpoints().size());
    }

    @Test
    void aCancelledRunSaysWhatItKept(@TempDir Path dir) {
        Path out = dir.resolve("run");
        vm.outputProperty().set(out.toString());
        // Cancel pressed after the third step lands
        vm.steps().addListener((ListChangeListener<TrainingLabViewModel.StepPoint>) c -> {
            if (vm.steps().size() == 3) {
                vm.cancel();
            }
        });
        vm.start(induction(500, 2));
        assertFalse(vm.runningProperty().get());
        assertEquals(List.of(0, 2, 3), steps(out));
        assertEquals("Cancelled at step 3 of 500: kept 3 checkpoints (step 0, 2, 3) and the model at step 3 in "
                + out, vm.statusProperty().get());
        assertTrue(vm.finishedProperty().get(), "a cancelled run can be opened");
    }

    @Test
    void aTextTaskWithoutAFileAsksForOne() {
        vm.start(new Settings(TaskChoice.TEXT_FILE, null, 1, 2, 16, 24, 4, 2));
        assertFalse(vm.runningProperty().get());
        assertEquals("Choose a text file first.", vm.statusProperty().get());
    }

    @Test
    void aShapeTheTrainerRefusesIsSaidAndNothingStarts(@TempDir Path dir) {
        vm.outputProperty().set(dir.resolve("run").toString());
        vm.start(new Settings(TaskChoice.INDUCTION, null, 1, 3, 16, 24, 4, 2)); // 16 is no multiple of 3 heads
        assertFalse(vm.runningProperty().get());
        assertTrue(vm.statusProperty().get().contains("multiple"), vm.statusProperty().get());
        assertFalse(Files.exists(dir.resolve("run")));
    }
}
