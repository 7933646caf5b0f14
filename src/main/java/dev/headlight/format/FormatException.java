package dev.headlight.format;

import com.fasterxml.jackson.core.JacksonException;

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

    /** {@code file} is not valid JSON: where (line, column) and what, without the parser's internals. */
    public static FormatException json(Path file, JacksonException e) {
        return new FormatException(file, "is not valid JSON" + ErrorMessages.jsonProblem(e), e);
    }

    /** The file at fault, or null when the problem is not tied to one file. */
    public Path file() {
        return file;
    }

    private static String describe(Path file, String problem) {
        // file names and problems quote text from files: escaped here so no message can carry a control code
        String oneLine = ErrorMessages.escape(problem);
        return file == null ? oneLine : ErrorMessages.escape(file.toString()) + ": " + oneLine;
    }
}
