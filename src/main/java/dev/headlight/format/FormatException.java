package dev.headlight.format;

import java.nio.file.Path;

/**
 * A model file that cannot be used. The message is one line meant for a person: it names the file and,
 * where known, the tensor or setting, then what is wrong.
 */
public class FormatException extends RuntimeException {
    private final Path file;

    public FormatException(Path file, String problem) {
        super(describe(file, problem));
        this.file = file;
    }

    public FormatException(Path file, String problem, Throwable cause) {
        super(describe(file, problem), cause);
        this.file = file;
    }

    /** The file at fault, or null when the problem is not tied to one file. */
    public Path file() {
        return file;
    }

    private static String describe(Path file, String problem) {
        String oneLine = problem.replace('\n', ' ').replace('\r', ' ');
        return file == null ? oneLine : file + ": " + oneLine;
    }
}
