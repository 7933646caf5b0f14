package dev.headlight.ui.lab;

import dev.headlight.engine.Model;
import dev.headlight.train.CheckpointTimeline;
import dev.headlight.ui.AppPreferences;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.prefs.Preferences;

import static dev.headlight.ui.FxTestSupport.find;
import static dev.headlight.ui.FxTestSupport.fx;
import static dev.headlight.ui.FxTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Training Lab runs a real (tiny) training job headless and shows it as it goes. */
@ExtendWith(ApplicationExtension.class)
class TrainingLabWindowTest {
    private TrainingLabWindow lab;
    private final List<Path> opened = new ArrayList<>();

    @Start
    void start(Stage stage) {
        AppPreferences prefs = new AppPreferences(Preferences.userRoot().node(
                System.getProperty(AppPreferences.NODE_PROPERTY, "headlight-test") + "-lab"));
        prefs.clear();
        lab = new TrainingLabWindow(null, prefs, new dev.headlight.ui.task.FxTaskRunner(new dev.headlight.ui.task.ErrorSink()), TrainingLabWindow.inductionPrompt(), opened::add);
        lab.show();
    }

    @AfterEach
    void tearDown(FxRobot robot) {
        robot.interact(() -> lab.stage().close());
    }

    @Test
    void tinyRunFillsTheChartsAndWritesLoadableCheckpoints(FxRobot robot, @TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        robot.interact(() -> lab.configure(TrainingLabViewModel.TaskChoice.INDUCTION, 1, 2, 16, 32, 30, 10, out));
        assertTrue(fx(() -> find(lab.stage(), "lab-open", Button.class).isDisabled()), "nothing to open before a run");
        robot.interact(() -> find(lab.stage(), "lab-start", Button.class).fire());
        assertTrue(fx(() -> lab.viewModel().status().runningProperty().get()));
        waitUntil("the run to finish", 300, () -> lab.viewModel().lastRunProperty().get().finished() || lab.viewModel().lastRunProperty().get().failure() != null);
        assertNull(fx(() -> lab.viewModel().lastRunProperty().get().failure()));
        assertEquals(30, fx(() -> lab.lossSeries().getData().size()), "one loss point per step");
        for (var point : fx(() -> List.copyOf(lab.lossSeries().getData()))) {
            assertTrue(Double.isFinite(point.getYValue().doubleValue()));
        }
        // probe scores at each checkpoint: 0, 10, 20 and the last step 30, for both heads of the one layer
        assertEquals(2, fx(() -> lab.inductionChart().getData().size()));
        assertEquals(4, fx(() -> lab.inductionChart().getData().getFirst().getData().size()));

        CheckpointTimeline timeline = CheckpointTimeline.scan(out);
        assertEquals(List.of(0, 10, 20, 30), timeline.checkpoints().stream().map(CheckpointTimeline.Entry::step)
                .toList());
        assertTrue(timeline.hasFinalModel());
        for (CheckpointTimeline.Entry e : timeline.checkpoints()) {
            try (Model m = Model.open(e.folder())) {
                assertEquals(1, m.info().layers());
                assertEquals(2, m.info().heads());
            }
        }
        // the attention maps of the prompt on the latest checkpoint are on screen
        waitUntil("the last checkpoint's analysis", 120, () -> lab.labViewModel().analysis() != null
                && !lab.labViewModel().isBusy() && lab.labViewModel().analysis().model().info().folder()
                .getFileName().toString().equals("step-000030"));
        assertEquals(1, fx(() -> lab.labViewModel().analysis().layers()));

        assertFalse(fx(() -> find(lab.stage(), "lab-open", Button.class).isDisabled()));
        robot.interact(() -> find(lab.stage(), "lab-open", Button.class).fire());
        assertEquals(List.of(out.toAbsolutePath().normalize()), opened);
        assertNotNull(fx(() -> find(lab.stage(), "lab-status", Label.class).getText()));
    }

    /** Relative path -> contents of every file under {@code root}. */
    private static java.util.Map<String, String> snapshot(Path root) throws Exception {
        java.util.Map<String, String> files = new java.util.TreeMap<>();
        try (var walk = java.nio.file.Files.walk(root)) {
            for (Path p : walk.filter(java.nio.file.Files::isRegularFile).toList()) {
                files.put(root.relativize(p).toString(), java.util.HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(java.nio.file.Files.readAllBytes(p))));
            }
        }
        return files;
    }

    @Test
    void startingAgainAfterARunWritesANewFolderAndCancelSaysWhatItKept(FxRobot robot, @TempDir Path dir)
            throws Exception {
        // what the user did: a short run to the end, then a longer one (same output folder in the form), cancelled
        Path out = dir.resolve("run");
        robot.interact(() -> lab.configure(TrainingLabViewModel.TaskChoice.INDUCTION, 1, 2, 16, 32, 20, 10, out));
        robot.clickOn(find(lab.stage(), "lab-start", Button.class));
        waitUntil("the first run to finish", 300, () -> lab.viewModel().lastRunProperty().get().finished()
                || lab.viewModel().lastRunProperty().get().failure() != null);
        assertNull(fx(() -> lab.viewModel().lastRunProperty().get().failure()));
        java.util.Map<String, String> first = snapshot(out);
        assertTrue(first.containsKey("training.json") && first.containsKey("step-000020/model.safetensors"), 
                first.keySet().toString());
        assertEquals(dir.resolve("run-2").toString(), fx(() -> find(lab.stage(), "lab-output", TextField.class).getText()),
                "the form moves on to a new folder");

        robot.interact(() -> lab.configure(TrainingLabViewModel.TaskChoice.INDUCTION, 1, 2, 16, 32, 5000, 2, out));
        robot.clickOn(find(lab.stage(), "lab-start", Button.class));
        waitUntil("a few steps of the second run", 120, () -> lab.lossSeries().getData().size() >= 5);
        robot.clickOn(find(lab.stage(), "lab-cancel", Button.class));
        waitUntil("the cancelled run to stop", 120, () -> !lab.viewModel().status().runningProperty().get());

        assertEquals(first, snapshot(out), "the first run's folder is untouched");
        Path second = dir.resolve("run-2");
        assertEquals(second, fx(() -> lab.viewModel().lastRunProperty().get().folder()));
        CheckpointTimeline kept = CheckpointTimeline.scan(second);
        int stepsDone = kept.loss().length;
        assertTrue(stepsDone >= 5 && stepsDone < 5000, stepsDone + " steps");
        assertEquals(stepsDone, kept.checkpoints().getLast().step());
        String status = fx(() -> find(lab.stage(), "lab-status", Label.class).getText());
        assertTrue(status.startsWith("Cancelled at step " + stepsDone + " of 5000: kept "
                + kept.checkpoints().size() + " checkpoints") && status.contains(second.toString()), status);
        assertTrue(CheckpointTimeline.scan(out).checkpoints().stream().map(CheckpointTimeline.Entry::step).toList()
                .equals(List.of(0, 10, 20)));
    }

    @Test
    void theCloseButtonClosesTheLab(FxRobot robot) {
        robot.clickOn(find(lab.stage(), "lab-close", Button.class));
        assertFalse(lab.stage().isShowing());
    }

    @Test
    void pauseHoldsTheTrainerAndClosingTheWindowCancelsIt(FxRobot robot, @TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        robot.interact(() -> lab.configure(TrainingLabViewModel.TaskChoice.INDUCTION, 1, 2, 16, 32, 5000, 1000, out));
        robot.interact(() -> find(lab.stage(), "lab-start", Button.class).fire());
        waitUntil("a few steps", 120, () -> lab.lossSeries().getData().size() >= 3);
        // the update-share heatmap fills live: heads down, the planned steps across, bins not reached yet empty
        waitUntil("the heatmap's first bins", 120, () -> lab.updateShareMap().content() != null
                && lab.viewModel().weights().records().size() >= 12);
        var early = fx(() -> lab.updateShareMap().content());
        assertEquals(2, early.rows(), "one row per head");
        assertEquals(LabWeightsViewModel.BINS, early.columns());
        int background = fx(() -> argb(lab.updateShareMap().paletteProperty().get().background()));
        assertTrue(early.argb().argb(0, 0) != background, "the first bin is drawn");
        assertEquals(background, early.argb().argb(0, early.columns() - 1), "the last bin is still to come");
        assertFalse(fx(() -> lab.groupChart(dev.headlight.train.TensorGroups.Group.Q).getData().getFirst()
                .getData().isEmpty()), "the W_Q group curve has points");
        robot.interact(() -> find(lab.stage(), "lab-pause", Button.class).fire());
        assertEquals("Resume", fx(() -> find(lab.stage(), "lab-pause", Button.class).getText()));
        Thread.sleep(500); // a step in flight when Pause was pressed may still land
        int held = fx(() -> lab.lossSeries().getData().size());
        Thread.sleep(1500);
        assertEquals(held, fx(() -> lab.lossSeries().getData().size()), "no steps while paused");
        robot.interact(() -> find(lab.stage(), "lab-pause", Button.class).fire());
        waitUntil("training to resume", 120, () -> lab.lossSeries().getData().size() > held);
        int recordsBefore = fx(() -> lab.viewModel().weights().records().size());
        waitUntil("more bins of the heatmap", 120, () -> lab.viewModel().weights().records().size()
                >= recordsBefore + 20 && lab.updateShareMap().content() != early);

        robot.interact(() -> lab.stage().close());
        waitUntil("the cancelled run to stop", 120, () -> !lab.viewModel().status().runningProperty().get());
        int stepsDone = fx(() -> lab.lossSeries().getData().size());
        assertTrue(stepsDone < 5000, "cancelled after " + stepsDone + " steps");
        // a cancelled run still writes its last checkpoint, and it loads
        CheckpointTimeline timeline = CheckpointTimeline.scan(out);
        assertEquals(stepsDone, timeline.checkpoints().getLast().step());
        try (Model m = Model.open(timeline.checkpoints().getLast().folder())) {
            assertEquals(1, m.info().layers());
        }
    }

    @Test
    void trainsOnAChosenTextFileWithItsOwnTokenizer(FxRobot robot, @TempDir Path dir) throws Exception {
        Path text = dir.resolve("corpus.txt");
        java.nio.file.Files.writeString(text, "The cat sat on the mat. The dog sat on the log. ".repeat(200));
        Path out = dir.resolve("run");
        robot.interact(() -> {
            lab.setTextFile(text);
            lab.configure(TrainingLabViewModel.TaskChoice.TEXT_FILE, 1, 2, 16, 32, 12, 6, out);
        });
        robot.interact(() -> find(lab.stage(), "lab-start", Button.class).fire());
        waitUntil("the text run to finish", 300, () -> lab.viewModel().lastRunProperty().get().finished() || lab.viewModel().lastRunProperty().get().failure() != null);
        assertNull(fx(() -> lab.viewModel().lastRunProperty().get().failure()));
        assertEquals(12, fx(() -> lab.lossSeries().getData().size()));
        assertEquals(List.of(0, 6, 12), CheckpointTimeline.scan(out).checkpoints().stream()
                .map(CheckpointTimeline.Entry::step).toList());
        // the prompt (English now) runs through the checkpoint's own byte-level BPE tokenizer
        waitUntil("the last checkpoint's analysis", 120, () -> lab.labViewModel().analysis() != null
                && !lab.labViewModel().isBusy() && lab.labViewModel().analysis().model().info().folder()
                .getFileName().toString().equals("step-000012"));
        assertTrue(fx(() -> lab.labViewModel().analysis().prompt().startsWith("The cat")));
        assertNull(fx(() -> lab.labViewModel().tasks().errors().messageProperty().get()));
    }

    private static int argb(javafx.scene.paint.Color c) {
        return 0xFF000000 | (int) Math.round(c.getRed() * 255) << 16 | (int) Math.round(c.getGreen() * 255) << 8
                | (int) Math.round(c.getBlue() * 255);
    }
}
