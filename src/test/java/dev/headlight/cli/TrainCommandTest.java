package dev.headlight.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        String[] words = new String[args.length + 1];
        words[0] = "train";
        System.arraycopy(args, 0, words, 1, args.length);
        return Cli.run(words, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void trainsATinyModelWithAProgressBar(@TempDir Path dir) {
        Path outDir = dir.resolve("run");
        int status = run("--task", "induction", "--layers", "1", "--heads", "2", "--d-model", "8", "--context", "12",
                "--steps", "6", "--checkpoint-every", "3", "--batch", "2", "--out", outDir.toString());
        assertEquals(0, status, err());
        assertTrue(err().contains("6/6"), err());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("trained 6 steps"));
        assertTrue(Files.isRegularFile(outDir.resolve("step-000003/model.safetensors")));
        assertTrue(Files.isRegularFile(outDir.resolve("step-000006/config.json")));
        assertTrue(Files.isRegularFile(outDir.resolve("model.safetensors")));
        assertTrue(Files.isRegularFile(outDir.resolve("training.json")));
    }

    @Test
    void wrongUsageIsOneLineWithStatus2(@TempDir Path dir) {
        assertEquals(2, run("--task", "induction"));
        assertTrue(err().startsWith("headlight train: missing --out DIR"), err());
        assertEquals(1, err().strip().lines().count());
        err.reset();
        assertEquals(2, run("--task", "poetry", "--out", dir.toString()));
        assertTrue(err().contains("--task must be induction, text or grammar"), err());
        err.reset();
        assertEquals(2, run("--task", "induction", "--out", dir.toString(), "--steps", "many"));
        assertTrue(err().contains("--steps must be a whole number"), err());
        err.reset();
        assertEquals(2, run("--task", "induction", "--out", dir.toString(), "--frobnicate", "1"));
        assertTrue(err().contains("unknown option --frobnicate"), err());
        err.reset();
        assertEquals(2, run("--task", "induction", "--out", dir.toString(), "--init", "xavier"));
        assertTrue(err().contains("--init must be fast or gpt2"), err());
        err.reset();
        assertEquals(2, run("--task", "induction", "--out", dir.toString(), "--attn-std", "big"));
        assertTrue(err().contains("--attn-std must be a number"), err());
        err.reset();
        assertEquals(2, run("--task", "induction", "--out", dir.toString(), "--heads", "3", "--d-model", "8"));
        assertTrue(err().contains("not a multiple"), err());
    }

    @Test
    void trainsOnATextFileWithItsOwnTokenizer(@TempDir Path dir) throws Exception {
        Path corpus = dir.resolve("corpus.txt");
        Files.writeString(corpus, "the cat sat on the mat. the dog sat on the log. ".repeat(40));
        Path outDir = dir.resolve("run");
        int status = run("--task", "text", "--corpus", corpus.toString(), "--vocab", "300", "--layers", "1",
                "--heads", "2", "--d-model", "8", "--context", "16", "--steps", "4", "--batch", "2", "--out",
                outDir.toString());
        assertEquals(0, status, err());
        String tokenizer = Files.readString(outDir.resolve("tokenizer.json"));
        assertTrue(tokenizer.contains("\"merges\"") && tokenizer.contains("\"ByteLevel\""), tokenizer);
        assertTrue(Files.isRegularFile(outDir.resolve("step-000004/tokenizer.json")));
    }

    @Test
    void aMissingCorpusNamesTheFile(@TempDir Path dir) {
        Path missing = dir.resolve("nope.txt");
        assertEquals(1, run("--task", "text", "--corpus", missing.toString(), "--out", dir.resolve("o").toString()));
        assertTrue(err().contains("nope.txt") && err().contains("no such file"), err());
    }

    private int tinyRun(Path outDir, int steps, int every, String... more) {
        String[] base = {"--task", "induction", "--layers", "1", "--heads", "2", "--d-model", "8", "--context", "12",
                "--steps", Integer.toString(steps), "--checkpoint-every", Integer.toString(every), "--batch", "2",
                "--out", outDir.toString()};
        String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return run(args);
    }

    private static java.util.List<String> stepFolders(Path run) throws Exception {
        try (var s = Files.list(run)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("step-")).sorted().toList();
        }
    }

    @Test
    void aFolderHoldingARunIsRefusedUnlessReplacedAndThenReplacedWhole(@TempDir Path dir) throws Exception {
        Path outDir = dir.resolve("run");
        assertEquals(0, tinyRun(outDir, 6, 3), err());
        String firstLog = Files.readString(outDir.resolve("training.json"));
        err.reset();

        // a second run into the same folder: refused in one line, the first run untouched
        assertEquals(1, tinyRun(outDir, 4, 2));
        assertEquals(1, err().strip().lines().count(), err());
        assertTrue(err().startsWith("headlight train: " + outDir + " already holds a training run")
                && err().contains("--replace"), err());
        assertEquals(java.util.List.of("step-000000", "step-000003", "step-000006"), stepFolders(outDir));
        assertEquals(firstLog, Files.readString(outDir.resolve("training.json")));
        err.reset();

        // --replace: the old run is gone whole (no stale step-000003/step-000006 beside the new ones)
        assertEquals(0, tinyRun(outDir, 4, 2, "--replace"), err());
        assertEquals(java.util.List.of("step-000000", "step-000002", "step-000004"), stepFolders(outDir));
        assertEquals(4, dev.headlight.train.CheckpointTimeline.scan(outDir).loss().length, "the new log");
    }

    @Test
    void aFolderWithOtherFilesIsRefusedEvenWithReplace(@TempDir Path dir) throws Exception {
        Path outDir = dir.resolve("notes");
        Files.createDirectories(outDir);
        Files.writeString(outDir.resolve("notes.txt"), "mine");
        assertEquals(1, tinyRun(outDir, 2, 1, "--replace"));
        assertTrue(err().contains("is not empty and holds no training run"), err());
        assertEquals(1, err().strip().lines().count(), err());
        assertEquals("mine", Files.readString(outDir.resolve("notes.txt")));
    }

    @Test
    void aCancelledRunSaysWhatItKept(@TempDir Path dir) throws Exception {
        Path outDir = dir.resolve("run");
        int[] polls = {0};
        // polled once before each step: the third poll cancels, after steps 1 and 2
        int status = Cli.runWith(java.util.List.of(new TrainCommand(() -> ++polls[0] >= 3)), new String[] {"train",
                        "--task", "induction", "--layers", "1", "--heads", "2",
                        "--d-model", "8", "--context", "12", "--steps", "50", "--checkpoint-every", "20", "--batch",
                        "2", "--out", outDir.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, status, err());
        assertTrue(err().contains("headlight train: cancelled at step 2 of 50; kept 2 checkpoints (step 0, 2) and "
                + "the model at step 2 in " + outDir.toAbsolutePath()), err());
        assertEquals(java.util.List.of("step-000000", "step-000002"), stepFolders(outDir));
        assertTrue(Files.isRegularFile(outDir.resolve("model.safetensors")));
    }

    @Test
    void helpListsTheOptions() {
        assertEquals(0, run("--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("--checkpoint-every") && help.contains("--task") && help.contains("--replace"),
                help);
    }
}
