package dev.headlight.train;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.stream.Stream;

/**
 * The output folder of a training run. A run writes step-N/ folders, the final model and training.json into it, so
 * writing a second run into a folder that holds one would mix the two (old step folders beside the new log). A run
 * therefore starts in a folder that is absent or empty; a folder holding a run is replaced only when asked, and then
 * whole.
 */
public final class RunFolder {
    /** Files a run writes at its top level (the final model and the log). */
    private static final List<String> RUN_FILES = List.of("training.json", "model.safetensors", "config.json");

    private RunFolder() {
    }

    /** What an output folder holds, from a cheap look at its entries. */
    public enum State {
        /** Absent, or an empty directory: a run can start here. */
        FREE,
        /** A training run (its log, its final model or checkpoint folders). */
        RUN,
        /** Something else: a file, or a directory with other files. */
        OTHER
    }

    public static State stateOf(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return State.FREE;
        }
        if (!Files.isDirectory(folder)) {
            return State.OTHER;
        }
        try (Stream<Path> entries = Files.list(folder)) {
            if (entries.findAny().isEmpty()) {
                return State.FREE;
            }
        }
        boolean run = CheckpointTimeline.hasCheckpoints(folder)
                || RUN_FILES.stream().anyMatch(f -> Files.isRegularFile(folder.resolve(f)));
        return run ? State.RUN : State.OTHER;
    }

    /**
     * Makes {@code folder} ready for a new run: a free folder is used as it is; one holding a run is deleted whole
     * when {@code replace} is set. Refuses (with a one-line message naming the folder) a run without
     * {@code replace}, and any folder that holds something other than a run.
     */
    public static void prepare(Path folder, boolean replace) throws IOException {
        switch (stateOf(folder)) {
            case FREE -> {
            }
            case RUN -> {
                if (!replace) {
                    throw new RunFolderException(folder + " already holds a training run", true);
                }
                deleteTree(folder);
            }
            case OTHER -> throw new RunFolderException(folder + " is not empty and holds no training run; choose "
                    + "a new or empty folder", false);
        }
        Files.createDirectories(folder);
    }

    /**
     * {@code wanted} when it is free, else the first free sibling {@code wanted-2}, {@code wanted-3}, ...: every
     * run of the lab gets a folder of its own.
     */
    public static Path unused(Path wanted) throws IOException {
        if (stateOf(wanted) == State.FREE) {
            return wanted;
        }
        String name = wanted.getFileName().toString();
        for (int n = 2; ; n++) {
            Path candidate = wanted.resolveSibling(name + "-" + n);
            if (stateOf(candidate) == State.FREE) {
                return candidate;
            }
        }
    }

    /** A one-line account of what a run left in its folder, e.g. for a cancelled run. */
    public static String kept(Trainer.Result result, Path folder) {
        List<Trainer.Checkpoint> checkpoints = result.checkpoints();
        if (checkpoints.isEmpty()) {
            return "kept nothing in " + folder;
        }
        StringBuilder steps = new StringBuilder();
        for (Trainer.Checkpoint c : checkpoints) {
            steps.append(steps.isEmpty() ? "" : ", ").append(c.step());
        }
        return "kept " + checkpoints.size() + (checkpoints.size() == 1 ? " checkpoint" : " checkpoints")
                + " (step " + steps + ") and the model at step " + result.stepsDone() + " in " + folder;
    }

    private static void deleteTree(Path folder) throws IOException {
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** The folder cannot take a new run; the message is one line naming it. */
    public static final class RunFolderException extends IOException {
        private final boolean holdsRun;

        public RunFolderException(String message, boolean holdsRun) {
            super(message);
            this.holdsRun = holdsRun;
        }

        /** The folder holds a run (which could be replaced), rather than other files. */
        public boolean holdsRun() {
            return holdsRun;
        }
    }
}
