package dev.headlight.ui.lab;

import dev.headlight.analysis.circuits.HeadCircuits;
import dev.headlight.analysis.circuits.ModelCircuits;
import dev.headlight.engine.Model;
import dev.headlight.train.CheckpointCircuits;
import dev.headlight.train.CheckpointTimeline;
import dev.headlight.train.TensorGroups;
import dev.headlight.train.WeightRecords;
import dev.headlight.ui.ExplorerViewModel;
import dev.headlight.analysis.Fixtures;
import dev.headlight.ui.FxTestSupport;
import dev.headlight.ui.task.ErrorSink;
import dev.headlight.ui.task.Cancellable;
import dev.headlight.ui.task.SameThreadTaskRunner;
import dev.headlight.ui.task.TaskRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Timeline's view model without a window, on a real (tiny) run trained by the lab's view model. */
class TimelineViewModelTest {
    @TempDir
    static Path dir;
    private static Path run;

    /** 2 layers, 2 heads, 12 steps, checkpoints at 0, 4, 8, 12 and the final model. */
    @BeforeAll
    static void train() {
        TrainingLabViewModel lab = new TrainingLabViewModel(SameThreadTaskRunner.immediate());
        run = dir.resolve("run");
        lab.outputProperty().set(run.toString());
        lab.start(new TrainingLabViewModel.Settings(TrainingLabViewModel.TaskChoice.INDUCTION, null, 2, 2, 16, 24,
                12, 4));
        assertTrue(lab.lastRunProperty().get().finished(), lab.status().messageProperty().get());
    }

    /** An explorer with a prompt that fits the run's context of 24 tokens. */
    private static ExplorerViewModel explorer(TaskRunner tasks) {
        ExplorerViewModel explorer = new ExplorerViewModel(FxTestSupport.cleanPreferences(
                FxTestSupport.testNode("-timeline-vm")), tasks);
        explorer.promptProperty().set("ABCDABCD");
        return explorer;
    }

    @Test
    void followsTheOpenRunAndComputesEveryCheckpointsCircuitScoresAsTheAnalysisDoes() {
        SameThreadTaskRunner tasks = SameThreadTaskRunner.immediate(new ErrorSink());
        ExplorerViewModel explorer = explorer(tasks);
        TimelineViewModel vm = new TimelineViewModel(tasks, explorer);
        explorer.openModel(run);

        assertEquals(List.of("0", "4", "8", "12", "final"), vm.positions().stream()
                .map(TimelineViewModel.Position::label).toList());
        assertEquals(4, vm.shownIndex(), "the final model is the one open");
        List<CheckpointCircuits> circuits = vm.circuitsProperty().get();
        assertEquals(4, circuits.size());
        for (int i = 0; i < 4; i++) {
            CheckpointTimeline.Entry e = vm.timelineProperty().getValue().checkpoints().get(i);
            try (Model m = Model.open(e.folder())) {
                ModelCircuits expected = ModelCircuits.compute(m, 1, null, null);
                double maxK = -1;
                for (HeadCircuits.Composition[][][] a : expected.composition()) {
                    for (HeadCircuits.Composition[][] b : a) {
                        for (HeadCircuits.Composition[] c : b) {
                            for (HeadCircuits.Composition x : c) {
                                if (x != null && x.k().isPresent()) {
                                    maxK = Math.max(maxK, x.k().getAsDouble());
                                }
                            }
                        }
                    }
                }
                // the same computation on the same weights: equal to the last bit up to summation order
                for (int l = 0; l < 2; l++) {
                    for (int h = 0; h < 2; h++) {
                        assertEquals(expected.copying()[l][h].score().getAsDouble(), circuits.get(i).copying()[l][h],
                                1e-9, "copying L" + l + "H" + h + " at step " + e.step());
                    }
                }
                assertEquals(maxK, circuits.get(i).strongestKComposition(), 1e-9, "step " + e.step());
                assertEquals(e.step(), circuits.get(i).step());
                List<TimelineData.Curve> curves = vm.circuitCurves(1, 1);
                assertEquals(List.of("copy L1H1", "copy max", "K→L1H1", "K max"),
                        curves.stream().map(TimelineData.Curve::name).toList());
                assertEquals(expected.copying()[1][1].score().getAsDouble(), curves.get(0).y()[i], 1e-9);
                assertEquals(maxK, curves.get(3).y()[i], 1e-9);
                assertEquals(e.step(), curves.get(0).x()[i]);
            }
        }
        assertEquals(3, vm.circuitCurves(0, 0).size(), "no K-composition into layer 0");
        assertNull(tasks.errors().message());

        // a stop shows its checkpoint in the explorer
        vm.select(1);
        assertEquals(run.resolve("step-000004").toAbsolutePath().normalize(),
                explorer.model().info().folder().toAbsolutePath().normalize());
        assertEquals(1, vm.shownIndex());
        vm.dispose();
    }

    @Test
    void gradientCurvesComeFromTheRunsWeightRecords() {
        SameThreadTaskRunner tasks = SameThreadTaskRunner.immediate(new ErrorSink());
        ExplorerViewModel explorer = explorer(tasks);
        TimelineViewModel vm = new TimelineViewModel(tasks, explorer);
        explorer.openModel(run);
        TimelineData data = vm.dataProperty().get();
        WeightRecords records = CheckpointTimeline.scan(run).weightRecords();
        TensorGroups groups = TensorGroups.of(records.quantities());
        assertEquals(List.of(TensorGroups.Group.values()).stream().map(TensorGroups.Group::shortLabel).toList(),
                data.gradient().stream().map(TimelineData.Curve::name).toList());
        TimelineData.Curve k = data.gradient().get(TensorGroups.Group.K.ordinal());
        for (int r = 0; r < 12; r++) {
            double[] norms = groups.norms(records.records().get(r).gradientNorm());
            double both = 0;
            for (int layer = 0; layer < 2; layer++) {
                double v = norms[groups.keys().indexOf(new TensorGroups.Key(TensorGroups.Group.K, layer))];
                both += v * v;
            }
            assertEquals(r + 1, k.x()[r], "step r's record is plotted at r + 1, as the loss");
            assertEquals(Math.sqrt(both), k.y()[r], 1e-12);
        }
        vm.dispose();
    }

    /** A same-thread runner that holds the circuit-score tasks back until {@link #release()}. */
    private static final class HoldingRunner extends TaskRunner {
        final Deque<Runnable> held = new ArrayDeque<>();

        HoldingRunner() {
            super(new ErrorSink());
        }

        @Override
        protected void runInBackground(String lane, String title, Runnable body) {
            if (title.startsWith("Circuit scores")) {
                held.add(body);
            } else {
                body.run();
            }
        }

        @Override
        protected void runOnUiThread(Runnable action) {
            action.run();
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable action) {
            action.run();
            return () -> { };
        }

        void release() {
            while (!held.isEmpty()) {
                held.poll().run();
            }
        }
    }

    @Test
    void anotherFolderCancelsTheScoresAndOpeningTheRunAgainTakesThemFromTheCache() {
        HoldingRunner tasks = new HoldingRunner();
        ExplorerViewModel explorer = explorer(tasks);
        TimelineViewModel vm = new TimelineViewModel(tasks, explorer);
        explorer.openModel(run);
        assertEquals(5, vm.positions().size());
        assertEquals(1, tasks.held.size(), "the circuit scores wait in the background");
        assertEquals(1, tasks.runningCountProperty().get());

        // a model outside the run opens before the scores are done: they are cancelled, and nothing arrives
        explorer.openModel(Fixtures.model("gpt2-tiny"));
        assertNull(vm.timelineProperty().getValue());
        assertEquals(0, tasks.runningCountProperty().get(), "the scores' task left the status bar");
        tasks.release();
        assertEquals(List.of(), vm.circuitsProperty().get());
        assertNull(tasks.errors().message());

        // the run again: computed this time (nothing was cached), then taken from the cache
        explorer.openModel(run);
        assertEquals(1, tasks.held.size(), "computed anew: the cancelled task cached nothing");
        tasks.release();
        List<CheckpointCircuits> first = vm.circuitsProperty().get();
        assertEquals(4, first.size());
        explorer.openModel(Fixtures.model("gpt2-tiny"));
        explorer.openModel(run);
        assertEquals(0, tasks.held.size(), "no task: every checkpoint's scores are cached");
        List<CheckpointCircuits> again = vm.circuitsProperty().get();
        for (int i = 0; i < 4; i++) {
            assertSame(first.get(i), again.get(i), "checkpoint " + i + " from the cache");
        }
        vm.dispose();
    }
}
