package dev.headlight.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointTimelineTest {

    @Test
    void listsTrainedCheckpointsByStepWithTheirLog(@TempDir Path out) throws Exception {
        TrainOptions o = new TrainOptions(2, 2, 16, 16, 12, 5, 4, 3e-3f, 2, 2, 0.1f, 0.05f, 1.0f, 1, true, 0.1f);
        new Trainer(new InductionTask(), o).run(out, null, null);
        // a Hugging Face Trainer folder and stray folders next to them
        Path hf = out.resolve("checkpoint-7");
        Files.createDirectories(hf);
        Files.copy(out.resolve("config.json"), hf.resolve("config.json"));
        Files.createDirectories(out.resolve("step-notanumber"));
        Files.createDirectories(out.resolve("step-000099")); // no config.json: not a model

        CheckpointTimeline t = CheckpointTimeline.scan(out);
        assertEquals(java.util.List.of(0, 5, 7, 10, 12), t.checkpoints().stream().map(CheckpointTimeline.Entry::step).toList());
        assertTrue(t.hasFinalModel());
        assertEquals("induction", t.task());
        assertEquals(12, t.loss().length);
        assertEquals(12, t.inContextLoss().length);
        CheckpointTimeline.Entry ten = t.nearest(9);
        assertEquals(10, ten.step());
        assertEquals(out.resolve("step-000010"), ten.folder());
        assertNotNull(ten.induction());
        assertEquals(2, ten.induction().length);
        assertNotNull(ten.loss());
        // no log entry for the foreign checkpoint
        assertEquals(null, t.nearest(7).induction());
        assertEquals(0, t.firstStepWithInduction(0, 0.0));
        assertEquals(-1, t.firstStepWithInduction(1, 2.0));
    }

    @Test
    void hasCheckpointsCountsOnlyStepFoldersWithAConfig(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("step-000010")); // no config.json yet
        Files.createDirectories(dir.resolve("step-x"));
        Files.writeString(dir.resolve("step-000020"), "{}"); // a file, not a folder
        Files.writeString(dir.resolve("training.json"), "not json"); // not read by hasCheckpoints
        assertFalse(CheckpointTimeline.hasCheckpoints(dir));
        Files.writeString(dir.resolve("step-x").resolve("config.json"), "{}");
        assertFalse(CheckpointTimeline.hasCheckpoints(dir));
        Files.writeString(dir.resolve("step-000010").resolve("config.json"), "{}");
        assertTrue(CheckpointTimeline.hasCheckpoints(dir));
        assertFalse(CheckpointTimeline.hasCheckpoints(dir.resolve("missing")));
        // scan reads the log: a broken one is a clear error
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.headlight.format.FormatException.class,
                () -> CheckpointTimeline.scan(dir));
        assertTrue(e.getMessage().contains("training.json"), e.getMessage());
    }

    @Test
    void aFolderWithoutCheckpointsIsEmpty(@TempDir Path dir) {
        assertFalse(CheckpointTimeline.hasCheckpoints(dir));
        assertTrue(CheckpointTimeline.scan(dir).isEmpty());
        assertEquals(0, CheckpointTimeline.scan(dir).loss().length);
        assertEquals(null, CheckpointTimeline.scan(dir).nearest(3));
    }
}
