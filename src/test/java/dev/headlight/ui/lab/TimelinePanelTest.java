package dev.headlight.ui.lab;

import dev.headlight.ui.Analysis;
import dev.headlight.ui.AppPreferences;
import dev.headlight.ui.ExplorerViewModel;
import dev.headlight.ui.shell.MainWindow;
import javafx.scene.control.Button;
import javafx.scene.control.Slider;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.List;

import static dev.headlight.ui.FxTestSupport.find;
import static dev.headlight.ui.FxTestSupport.fx;
import static dev.headlight.ui.lab.LabTestSupport.induction;
import static dev.headlight.ui.FxTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.headlight.ui.FxTestSupport;

/** The timeline tab on the bundled induction-2l run, headless, on the real engine. */
@ExtendWith(ApplicationExtension.class)
class TimelinePanelTest {
    static final Path RUN = Path.of("sample-models/induction-2l").toAbsolutePath().normalize();
    /** A repeated run of symbols: an induction head attends to the token after the earlier copy. */
    static final String REPEATED = TrainingLabWindow.inductionPrompt();

    private MainWindow window;
    private ExplorerViewModel vm;
    private AppPreferences prefs;

    @Start
    void start(Stage stage) {
        window = FxTestSupport.showWindow(stage, FxTestSupport.testNode("-timeline"), 1280, 860);
        vm = window.explorer();
        prefs = vm.preferences();
    }

    @AfterEach
    void tearDown() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
            vm.shutdown();
            window.parts().lab().timeline().dispose();
        }).get();
    }

    private Analysis analysisOf(Path folder) throws Exception {
        waitUntil("analysis of " + folder, 120, () -> vm.analysis() != null && !vm.isBusy()
                && vm.analysis().model().info().folder().toAbsolutePath().normalize().equals(folder));
        return fx(vm::analysis);
    }

    /**
     * The circuit scores of every checkpoint arrive from the background and are drawn per checkpoint; their values
     * are the circuits analysis's on that checkpoint. The gradient norms of training.json share the step axis.
     */
    @Test
    void circuitScoreAndGradientCurvesAppearOnTheStepAxis(FxRobot robot) throws Exception {
        robot.interact(() -> {
            window.parts().promptField().setText(REPEATED);
            window.openModel(RUN);
        });
        TimelinePanel timeline = window.parts().lab().timeline();
        robot.interact(() -> vm.selection().selectHead(1, 0));
        MarkedLineChart circuits = find(timeline, "timeline-circuits", MarkedLineChart.class);
        waitUntil("the circuit scores of all nine checkpoints", 120, () -> circuits.getData().size() == 4
                && circuits.getData().getFirst().getData().size() == 9);
        assertEquals(List.of("copy L1H0", "copy max", "K→L1H0", "K max"),
                fx(() -> circuits.getData().stream().map(javafx.scene.chart.XYChart.Series::getName).toList()));
        var copying = fx(() -> List.copyOf(circuits.getData().getFirst().getData()));
        var kInto = fx(() -> List.copyOf(circuits.getData().get(2).getData()));
        List<dev.headlight.train.CheckpointTimeline.Entry> entries = fx(() -> timeline.timelineProperty().getValue()
                .checkpoints());
        for (int i = 0; i < entries.size(); i++) {
            try (dev.headlight.engine.Model m = dev.headlight.engine.Model.open(entries.get(i).folder())) {
                var expected = dev.headlight.analysis.circuits.ModelCircuits.compute(m, 1, null, null);
                assertEquals(entries.get(i).step(), copying.get(i).getXValue().intValue());
                assertEquals(expected.copying()[1][0].score().getAsDouble(), copying.get(i).getYValue()
                        .doubleValue(), 1e-9, "copying L1H0 at step " + entries.get(i).step());
                double k = Math.max(expected.composition()[0][0][1][0].k().getAsDouble(),
                        expected.composition()[0][1][1][0].k().getAsDouble());
                assertEquals(k, kInto.get(i).getYValue().doubleValue(), 1e-9, "K-composition into L1H0");
            }
        }
        // another head: the curves follow the selection
        robot.interact(() -> vm.selection().selectHead(0, 1));
        assertEquals("copy L0H1", fx(() -> circuits.getData().getFirst().getName()));

        MarkedLineChart gradient = find(timeline, "timeline-gradient", MarkedLineChart.class);
        assertTrue(fx(gradient::isVisible), "the sample's training.json has weight records");
        assertEquals(8, fx(() -> gradient.getData().size()), "one curve per tensor group");
        WaitForAsyncUtils.waitForFxEvents();
        for (MarkedLineChart c : List.of(circuits, gradient)) {
            assertEquals(fx(() -> find(timeline, "timeline-loss", MarkedLineChart.class).xAxis().getUpperBound()), fx(() -> c.xAxis().getUpperBound()));
            assertEquals(fx(() -> List.copyOf(find(timeline, "timeline-loss", MarkedLineChart.class).markers())), fx(() -> List.copyOf(c.markers())),
                    "the phase change and the shown step marked on every chart");
        }
    }

    @Test
    void scrubbingShowsEachCheckpointInTheExplorer(FxRobot robot) throws Exception {
        robot.interact(() -> {
            window.parts().promptField().setText(REPEATED);
            window.openModel(RUN);
        });
        Analysis last = analysisOf(RUN);
        TimelinePanel timeline = window.parts().lab().timeline();
        // the run is scanned off the FX thread
        waitUntil("the run's timeline", 60, () -> timeline.positions().size() == 10);
        List<TimelineViewModel.Position> positions = fx(timeline::positions);
        assertEquals(10, positions.size(), "9 checkpoints + final: " + positions);
        assertEquals(0, positions.getFirst().step());
        assertEquals(800, positions.get(8).step());
        assertTrue(positions.getLast().finalModel());
        assertTrue(fx(() -> window.parts().tabs().getTabs().contains(window.parts().lab().timelineTab())
                && window.parts().tabs().getSelectionModel().getSelectedItem() == window.parts().lab().timelineTab()));
        assertEquals(800.0, fx(() -> find(timeline, "timeline-slider", Slider.class).getValue()), "the slider starts on the final model (step 800)");
        assertEquals(9, fx(timeline::shownIndex));
        assertFalse(fx(() -> find(timeline, "timeline-loss", MarkedLineChart.class).getData().getFirst().getData().isEmpty()));
        assertEquals(4, fx(() -> find(timeline, "timeline-induction", MarkedLineChart.class).getData().size()), "one curve per head (2 x 2)");
        int phase = fx(timeline::phaseChangeStep);
        assertTrue(phase > 0 && phase <= 800, "phase change marked at " + phase);
        // the loss curve holds the log's steps (downsampled), the score curves one point per checkpoint
        double[] loss = fx(() -> timeline.timelineProperty().getValue().loss());
        var lossPoints = fx(() -> List.copyOf(find(timeline, "timeline-loss", MarkedLineChart.class).getData().getFirst().getData()));
        assertTrue(lossPoints.size() <= TimelineData.MAX_POINTS, lossPoints.size() + " points");
        for (var point : lossPoints) {
            int step = point.getXValue().intValue();
            assertEquals(loss[step - 1], point.getYValue().doubleValue(), 0.0, "loss at step " + step);
        }
        int stride = (int) Math.ceil(loss.length / (double) TimelineData.MAX_POINTS);
        assertEquals(1, lossPoints.getFirst().getXValue().intValue());
        assertTrue(lossPoints.getLast().getXValue().intValue() > loss.length - stride, "the curve reaches the end");
        assertEquals(9, fx(() -> find(timeline, "timeline-induction", MarkedLineChart.class).getData().getFirst().getData().size()));
        // the markers stand at their steps: the phase change and the shown stop (the final model)
        WaitForAsyncUtils.waitForFxEvents();
        MarkedLineChart lossChart = find(timeline, "timeline-loss", MarkedLineChart.class);
        List<MarkedLineChart.Marker> markers = fx(() -> List.copyOf(lossChart.markers()));
        assertEquals(List.of((double) phase, (double) positions.getLast().step()),
                markers.stream().map(MarkedLineChart.Marker::x).toList());
        for (int i = 0; i < markers.size(); i++) {
            int index = i;
            javafx.scene.shape.Line line = (javafx.scene.shape.Line) fx(() -> lossChart.markerNodes().get(2 * index));
            double x = fx(() -> lossChart.xAxis().getDisplayPosition(markers.get(index).x()));
            assertEquals(x, fx(line::getStartX), 1e-9, "marker " + markers.get(i));
            assertTrue(fx(() -> line.getParent() != null && line.isVisible()));
        }
        assertNotNull(last);

        robot.interact(() -> find(timeline, "timeline-slider", Slider.class).setValue(0));
        Path step0 = RUN.resolve("step-000000");
        Analysis a0 = analysisOf(step0);
        robot.interact(() -> timeline.selectStep(800));
        Path step800 = RUN.resolve("step-000800");
        Analysis a800 = analysisOf(step800);

        assertEquals(a0.prompt(), a800.prompt());
        float[] maps0 = a0.trace().attentions().toFloats();
        float[] maps800 = a800.trace().attentions().toFloats();
        assertEquals(maps0.length, maps800.length);
        double diff = 0;
        for (int i = 0; i < maps0.length; i++) {
            diff = Math.max(diff, Math.abs(maps0[i] - maps800[i]));
        }
        assertTrue(diff > 0.1, "the attention of step 0 and 800 should differ, max diff " + diff);
        double before = induction(a0, 1);
        double after = induction(a800, 1);
        assertTrue(after > before + 0.2, "layer-1 induction score: step 0 " + before + ", step 800 " + after);
        // the model view draws the shown checkpoint; scrubbing does not add to the recent folders
        assertTrue(fx(() -> prefs.recentFolders().stream().noneMatch(p -> p.getFileName().toString()
                .startsWith("step-"))));
        // scrubbing back finds the cached checkpoint
        robot.interact(() -> find(timeline, "timeline-slider", Slider.class).setValue(0));
        assertEquals(maps0.length, analysisOf(step0).trace().attentions().toFloats().length);
    }

    /** Where {@code step} is on the screen, on the loss chart's step axis. */
    private static javafx.geometry.Point2D onChartAxis(TimelinePanel timeline, double step) {
        NumberAxisPoint p = new NumberAxisPoint(find(timeline, "timeline-loss", MarkedLineChart.class).xAxis(), step);
        return p.screen();
    }

    /** Opens the training run with the repeated prompt and waits for its timeline's ten stops. */
    private TimelinePanel openRunTimeline(FxRobot robot) throws Exception {
        robot.interact(() -> {
            window.parts().promptField().setText(REPEATED);
            window.openModel(RUN);
        });
        analysisOf(RUN);
        TimelinePanel timeline = window.parts().lab().timeline();
        waitUntil("the run's timeline", 60, () -> timeline.positions().size() == 10);
        return timeline;
    }

    /** The step axis drawn under the timeline's slider. */
    private static javafx.scene.chart.NumberAxis sliderAxis(TimelinePanel timeline) throws Exception {
        return fx(() -> (javafx.scene.chart.NumberAxis) find(timeline, "timeline-slider", Slider.class).lookup(".axis"));
    }

    private record NumberAxisPoint(javafx.scene.chart.NumberAxis axis, double value) {
        javafx.geometry.Point2D screen() {
            return axis.localToScreen(axis.getDisplayPosition(value), 0);
        }
    }

    @Test
    void afterAResizeTheSlidersFirstAndLastStepStandOverTheChartsStepAxis(FxRobot robot) throws Exception {
        TimelinePanel timeline = openRunTimeline(robot);
        javafx.scene.chart.NumberAxis sliderAxis = sliderAxis(timeline);
        javafx.scene.Node knob = fx(() -> find(timeline, "timeline-slider", Slider.class).lookup(".thumb"));
        for (double width : new double[] {1024, 1600}) {
            robot.interact(() -> window.stage().setWidth(width));
            WaitForAsyncUtils.waitForFxEvents();
            for (int stop : new int[] {0, 8}) { // step 0 and the last checkpoint (step 800)
                robot.interact(() -> timeline.select(stop));
                WaitForAsyncUtils.waitForFxEvents();
                int step = fx(() -> timeline.positions().get(stop).step());
                double onChart = fx(() -> find(timeline, "timeline-loss", MarkedLineChart.class).xAxis().localToScene(
                        find(timeline, "timeline-loss", MarkedLineChart.class).xAxis().getDisplayPosition(step), 0).getX());
                double tick = fx(() -> sliderAxis.localToScene(sliderAxis.getDisplayPosition(step), 0).getX());
                double knobCentre = fx(() -> knob.localToScene(knob.getLayoutBounds()).getCenterX());
                assertEquals(onChart, tick, 3, "the slider's tick for step " + step + " at width " + width);
                assertEquals(onChart, knobCentre, 3, "the knob at step " + step + " at width " + width);
            }
        }
        // the final model's stop shares the last step; its tick label says so
        assertEquals("800 · final", fx(() -> find(timeline, "timeline-slider", Slider.class).getLabelFormatter().toString(800.0)));
        assertEquals("300", fx(() -> find(timeline, "timeline-slider", Slider.class).getLabelFormatter().toString(300.0)));
    }

    @Test
    void draggingTheKnobLoadsTheCheckpointUnderItAndTheTicksMeetTheChartsStepAxis(FxRobot robot) throws Exception {
        TimelinePanel timeline = openRunTimeline(robot);
        WaitForAsyncUtils.waitForFxEvents();
        // the slider's tick marks stand where the charts' step axis has the same step
        javafx.scene.chart.NumberAxis sliderAxis = sliderAxis(timeline);
        assertEquals(fx(() -> find(timeline, "timeline-loss", MarkedLineChart.class).xAxis().getTickUnit()), fx(sliderAxis::getTickUnit), 1e-9);
        for (MarkedLineChart chart : List.of(find(timeline, "timeline-loss", MarkedLineChart.class), find(timeline, "timeline-previous", MarkedLineChart.class),
                find(timeline, "timeline-induction", MarkedLineChart.class))) {
            for (int step : new int[] {0, 100, 300, 800}) {
                double onSlider = fx(() -> sliderAxis.localToScene(sliderAxis.getDisplayPosition(step), 0).getX());
                double onChart = fx(() -> chart.xAxis().localToScene(chart.xAxis().getDisplayPosition(step), 0)
                        .getX());
                assertEquals(onChart, onSlider, 1.5, "step " + step + " on the slider and on " + chart.getTitle());
            }
        }
        // what the user did: drag the knob from the final model to step 300, holding the button
        javafx.scene.Node knob = fx(() -> find(timeline, "timeline-slider", Slider.class).lookup(".thumb"));
        javafx.geometry.Point2D target = fx(() -> onChartAxis(timeline, 300));
        robot.drag(knob, javafx.scene.input.MouseButton.PRIMARY);
        // in small moves, each laid out before the next (as a hand moves): the knob stays under the pointer
        double x = fx(() -> knob.localToScreen(knob.getLayoutBounds()).getCenterX());
        double y = fx(() -> knob.localToScreen(knob.getLayoutBounds()).getCenterY());
        while (x > target.getX()) {
            x = Math.max(target.getX(), x - 4);
            robot.moveTo(new javafx.geometry.Point2D(x, y), org.testfx.robot.Motion.DIRECT);
            WaitForAsyncUtils.waitForFxEvents();
        }
        // loaded during the drag, before the release
        Analysis at300 = analysisOf(RUN.resolve("step-000300"));
        robot.release(javafx.scene.input.MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(300.0, fx(() -> find(timeline, "timeline-slider", Slider.class).getValue()), "the knob snaps to the checkpoint");
        assertEquals(RUN.resolve("step-000300"), fx(() -> vm.model().info().folder().toAbsolutePath().normalize()));
        assertEquals(3, fx(timeline::shownIndex));
        assertNotNull(at300);
        // the arrow keys step to the next checkpoint
        robot.clickOn(knob);
        robot.type(javafx.scene.input.KeyCode.RIGHT);
        analysisOf(RUN.resolve("step-000400"));
        assertEquals(400.0, fx(() -> find(timeline, "timeline-slider", Slider.class).getValue()));
    }

    @Test
    void openingACheckpointFolderFindsItsRunAndAnotherModelHidesTheTab(FxRobot robot) throws Exception {
        robot.interact(() -> {
            window.parts().promptField().setText(REPEATED);
            window.openModel(RUN.resolve("step-000400"));
        });
        analysisOf(RUN.resolve("step-000400"));
        TimelinePanel timeline = window.parts().lab().timeline();
        waitUntil("the run's timeline", 60, () -> timeline.timelineProperty().getValue() != null);
        assertEquals(RUN, fx(() -> timeline.timelineProperty().getValue().root()));
        assertEquals(400.0, fx(() -> find(timeline, "timeline-slider", Slider.class).getValue()), "the slider follows the open checkpoint");
        assertEquals(4, fx(timeline::shownIndex));
        assertTrue(fx(() -> window.parts().tabs().getTabs().contains(window.parts().lab().timelineTab())));

        Path plain = Path.of("src/test/resources/fixtures/gpt2-tiny/model").toAbsolutePath().normalize();
        robot.interact(() -> window.openModel(plain));
        waitUntil("the plain model", 60, () -> vm.model() != null
                && vm.model().info().folder().toAbsolutePath().normalize().equals(plain) && !vm.isBusy());
        waitUntil("the timeline to go", 60, () -> timeline.timelineProperty().getValue() == null);
        assertFalse(fx(() -> window.parts().tabs().getTabs().contains(window.parts().lab().timelineTab())),
                "no timeline for a model without checkpoints");
        assertTrue(fx(() -> timeline.positions().isEmpty()));
    }

    @Test
    void huggingFaceCheckpointFoldersWithoutALogStillScrub(FxRobot robot, @org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path run = dir.resolve("hf-run");
        copy(RUN.resolve("step-000000"), run.resolve("checkpoint-50"));
        copy(RUN.resolve("step-000800"), run.resolve("checkpoint-1000"));
        robot.interact(() -> {
            window.parts().promptField().setText(REPEATED);
            window.openModel(run.resolve("checkpoint-1000"));
        });
        analysisOf(run.resolve("checkpoint-1000").toAbsolutePath().normalize());
        TimelinePanel timeline = window.parts().lab().timeline();
        waitUntil("the run's timeline", 60, () -> timeline.positions().size() == 2);
        assertEquals(List.of(50, 1000), fx(() -> timeline.positions().stream().map(TimelineViewModel.Position::step)
                .toList()), "no final model at the top level, no training.json");
        assertTrue(fx(() -> find(timeline, "timeline-loss", MarkedLineChart.class).getData().isEmpty()));
        assertFalse(fx(() -> find(timeline, "timeline-induction", MarkedLineChart.class).isVisible()), "no scores without a log");
        assertEquals(-1, fx(timeline::phaseChangeStep));
        robot.interact(() -> timeline.select(0));
        Analysis early = analysisOf(run.resolve("checkpoint-50").toAbsolutePath().normalize());
        assertTrue(induction(early, 1) < 0.5, "the step-0 weights have no induction head");
    }

    private static void copy(Path from, Path to) throws java.io.IOException {
        java.nio.file.Files.createDirectories(to);
        try (var files = java.nio.file.Files.list(from)) {
            for (Path f : files.toList()) {
                java.nio.file.Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    @Test
    void openInExplorerShowsTheRunInTheExplorerInFront(FxRobot robot, @org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        robot.interact(() -> window.parts().promptField().setText(REPEATED));
        TrainingLabWindow lab = fx(() -> window.parts().lab().openTrainingLab());
        Path out = dir.resolve("run");
        robot.interact(() -> lab.configure(TrainingLabViewModel.TaskChoice.INDUCTION, 1, 2, 16, 32, 2, 1, out));
        robot.clickOn(find(lab.stage(), "lab-start", Button.class));
        waitUntil("the run to finish", 120, () -> lab.viewModel().lastRunProperty().get().finished());
        robot.clickOn(find(lab.stage(), "lab-open", Button.class));
        analysisOf(out.toAbsolutePath().normalize());
        assertTrue(fx(() -> window.stage().isFocused()), "the explorer is in front");
        assertTrue(fx(() -> lab.stage().getOwner() == null), "an owned lab would stay above the explorer");
    }

    @Test
    void trainMenuOpensOneLabThatFollowsTheThemeAndClosesWithTheExplorer(FxRobot robot) throws Exception {
        TrainingLabWindow lab = fx(() -> window.parts().lab().openTrainingLab());
        assertTrue(fx(() -> lab.stage().isShowing()));
        assertTrue(fx(() -> window.parts().lab().openTrainingLab() == lab), "a second request brings the same window up");
        robot.interact(() -> vm.darkProperty().set(!vm.darkProperty().get()));
        assertEquals(fx(() -> vm.darkProperty().get()), fx(() -> lab.labViewModel().darkProperty().get()));
        // centred on the explorer, its title bar on the screen
        Stage main = window.stage();
        Stage labStage = lab.stage();
        var screen = fx(() -> javafx.stage.Screen.getPrimary().getVisualBounds());
        double expectedX = fx(() -> Math.max(screen.getMinX(), Math.min(main.getX() + (main.getWidth()
                - labStage.getWidth()) / 2, screen.getMaxX() - labStage.getWidth())));
        double expectedY = fx(() -> Math.max(screen.getMinY(), Math.min(main.getY() + (main.getHeight()
                - labStage.getHeight()) / 2, screen.getMaxY() - labStage.getHeight())));
        assertEquals(expectedX, fx(labStage::getX), 1.0);
        assertEquals(expectedY, fx(labStage::getY), 1.0);
        assertTrue(fx(() -> labStage.getY() >= screen.getMinY()));
        robot.interact(() -> window.stage().close());
        assertFalse(fx(() -> lab.stage().isShowing()));
    }
}
