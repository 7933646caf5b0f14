package dev.headlight.ui.lab;

import dev.headlight.train.CheckpointTimeline;
import dev.headlight.train.TensorGroups;
import dev.headlight.train.WeightRecords;
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
    private final TrainingLabViewModel vm = new TrainingLabViewModel(dev.headlight.ui.task.SameThreadTaskRunner.immediate());

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
        assertNull(vm.lastRunProperty().get().failure());
        assertTrue(vm.lastRunProperty().get().finished());
        assertEquals(out, vm.lastRunProperty().get().folder());
        assertTrue(vm.status().messageProperty().get().startsWith("Done: 6 steps"), vm.status().messageProperty().get());
        assertEquals(dir.resolve("run-2").toString(), vm.outputProperty().get(), "the next run's folder");
        String firstLog = Files.readString(out.resolve("training.json"));

        // the user types the first folder again: the run goes next to it, and the status says where
        vm.outputProperty().set(out.toString());
        vm.start(induction(4, 2));
        assertEquals(dir.resolve("run-2"), vm.lastRunProperty().get().folder());
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
        assertFalse(vm.status().runningProperty().get());
        assertEquals(List.of(0, 2, 3), steps(out));
        assertEquals("Cancelled at step 3 of 500: kept 3 checkpoints (step 0, 2, 3) and the model at step 3 in "
                + out, vm.status().messageProperty().get());
        assertTrue(vm.lastRunProperty().get().finished(), "a cancelled run can be opened");
    }

    @Test
    void aTextTaskWithoutAFileAsksForOne() {
        vm.start(new Settings(TaskChoice.TEXT_FILE, null, 1, 2, 16, 24, 4, 2));
        assertFalse(vm.status().runningProperty().get());
        assertEquals("Choose a text file first.", vm.status().messageProperty().get());
    }

    @Test
    void aShapeTheTrainerRefusesIsSaidAndNothingStarts(@TempDir Path dir) {
        vm.outputProperty().set(dir.resolve("run").toString());
        vm.start(new Settings(TaskChoice.INDUCTION, null, 1, 3, 16, 24, 4, 2)); // 16 is no multiple of 3 heads
        assertFalse(vm.status().runningProperty().get());
        assertTrue(vm.status().messageProperty().get().contains("multiple"), vm.status().messageProperty().get());
        assertFalse(Files.exists(dir.resolve("run")));
    }

    /**
     * The weights view model follows the run live (the heatmap fills bin by bin, the rest of the planned rows empty)
     * and ends with exactly the shares and group norms of the records the run wrote to training.json.
     */
    @Test
    void theUpdateShareAndGroupNormsFollowTheRunsRecords(@TempDir Path dir) {
        Path out = dir.resolve("run");
        vm.outputProperty().set(out.toString());
        LabWeightsViewModel weights = vm.weights();
        List<double[][]> live = new java.util.ArrayList<>();
        weights.revisionProperty().addListener((o, a, b) -> {
            if (weights.records().size() == 5 && live.isEmpty()) {
                live.add(weights.shareGrid());
            }
        });
        vm.start(new Settings(TaskChoice.INDUCTION, null, 2, 2, 16, 24, 12, 6));
        assertTrue(vm.lastRunProperty().get().finished(), vm.status().messageProperty().get());

        // mid-run: five of the twelve planned rows reached, the others not drawn yet
        double[][] midRun = live.getFirst();
        assertEquals(12, midRun.length);
        for (int b = 0; b < 12; b++) {
            assertEquals(b >= 5, Double.isNaN(midRun[b][0]), "bin " + b);
        }

        WeightRecords written = CheckpointTimeline.scan(out).weightRecords();
        assertEquals(12, written.records().size());
        for (LabWeightsViewModel.Slices slices : LabWeightsViewModel.Slices.values()) {
            weights.slicesProperty().set(slices);
            double[][] expected = WeightRecords.updateShare(written.quantities(), written.records(), slices.names(),
                    2, 2);
            double[][] shown = weights.shareGrid();
            for (int r = 0; r < 12; r++) {
                double sum = 0;
                for (int k = 0; k < 4; k++) {
                    // float32 norms read back from JSON: the same floats, so equal to rounding of the division
                    assertEquals(expected[r][k], shown[r][k], 1e-12, slices + " step " + r + " head " + k);
                    sum += shown[r][k];
                }
                assertEquals(1, sum, 1e-9, "the heads' shares add up to the whole attention update");
            }
        }

        // the groups split the whole update: their squared norms add up to the sum over the whole tensors
        TensorGroups groups = TensorGroups.of(written.quantities());
        assertEquals(List.of(TensorGroups.Group.values()), groups.groups());
        for (WeightRecords.Record r : written.records()) {
            double whole = 0;
            for (int q = 0; q < written.quantities().size(); q++) {
                if (!written.quantities().get(q).isSlice()) {
                    whole += (double) r.updateNorm()[q] * r.updateNorm()[q];
                }
            }
            double grouped = 0;
            for (double v : groups.norms(r.updateNorm())) {
                grouped += v * v;
            }
            assertEquals(whole, grouped, 1e-5 * whole, "step " + r.step());
        }
        weights.normProperty().set(LabWeightsViewModel.Norm.GRADIENT);
        List<LabWeightsViewModel.Curve> q = weights.curves(TensorGroups.Group.Q);
        assertEquals(List.of("L0", "L1"), q.stream().map(c -> c.key().layerLabel()).toList());
        int qLayer1 = groups.keys().indexOf(new TensorGroups.Key(TensorGroups.Group.Q, 1));
        for (int r = 0; r < 12; r++) {
            assertEquals(r + 1, q.get(1).steps()[r], "one record per step, each its own bin, counted from 1");
            assertEquals(groups.norms(written.records().get(r).gradientNorm())[qLayer1], q.get(1).values()[r],
                    1e-12);
        }
    }
}
