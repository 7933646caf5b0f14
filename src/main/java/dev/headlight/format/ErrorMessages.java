package dev.headlight.format;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;

/**
 * The one translation of a failure into a line for a person, used by the command line and the window alike:
 * it names the file (and for JSON the line and column) and the problem, never a parser's internals or an
 * exception class, and every control character is escaped so text taken from a file cannot retitle or clear the
 * user's terminal or break the window's one-line banner.
 */
public final class ErrorMessages {
    /** Where a person is told to look when Headlight itself is at fault. */
    private static final String INTERNAL = "internal error in Headlight";

    private ErrorMessages() {
    }

    /** One line saying what went wrong; {@code null} gives "unknown error". */
    public static String describe(Throwable failure) {
        return escape(raw(unwrap(failure)));
    }

    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        for (int depth = 0; current != null && depth < 16; depth++) {
            Throwable cause = current.getCause();
            boolean wrapper = current instanceof UncheckedIOException || current instanceof ExecutionException
                    || current instanceof CompletionException
                    || current.getClass() == RuntimeException.class && (current.getMessage() == null
                    || cause != null && current.getMessage().equals(cause.toString()));
            if (!wrapper || cause == null || cause == current) {
                return current;
            }
            current = cause;
        }
        return current;
    }

    private static String raw(Throwable e) {
        if (e == null) {
            return "unknown error";
        }
        if (e instanceof FormatException) {
            return e.getMessage();
        }
        if (e instanceof JacksonException json) {
            return "invalid JSON" + jsonProblem(json);
        }
        if (e instanceof NoSuchFileException f) {
            return f.getFile() + ": no such file or folder";
        }
        if (e instanceof AccessDeniedException f) {
            return f.getFile() + ": permission denied";
        }
        if (e instanceof FileSystemException f) {
            return f.getFile() + ": " + (f.getReason() != null ? f.getReason() : "cannot be accessed");
        }
        if (e instanceof IOException) {
            return "input/output error" + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        if (e instanceof OutOfMemoryError) {
            return "out of memory; use a shorter input or give Java more memory (e.g. HEADLIGHT_JAVA_OPTS=-Xmx8g)";
        }
        if (e instanceof InternalError && e.getMessage() != null && e.getMessage().contains("unsafe memory access")) {
            // the JVM's report of a fault on a memory-mapped file that shrank underneath it
            return "a model file changed or shrank while it was being read; reopen the model";
        }
        if (e instanceof StackOverflowError) {
            return INTERNAL + ": the input nests too deeply (stack overflow); please report it with the input";
        }
        if (e instanceof IndexOutOfBoundsException || e instanceof NullPointerException
                || e instanceof ArithmeticException || e instanceof NegativeArraySizeException
                || e instanceof ClassCastException || e instanceof Error || e.getMessage() == null
                || e.getMessage().isBlank()) {
            // a programming fault, not a reason: say where, so a report can be acted on
            return INTERNAL + " (" + e.getClass().getSimpleName() + origin(e) + "); please report it";
        }
        return e.getMessage();
    }

    /**
     * " at line L, column C: what is wrong" for a JSON parser's error, with the parser's own source descriptions
     * ("[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 11]")
     * rewritten as "line 1, column 11".
     */
    public static String jsonProblem(JacksonException e) {
        String what = e.getOriginalMessage() == null ? "malformed" : e.getOriginalMessage();
        what = SOURCE_LOCATION.matcher(what).replaceAll("line $1, column $2");
        what = SOURCE_ONLY.matcher(what).replaceAll("");
        return where(e.getLocation()) + ": " + what;
    }

    private static final Pattern SOURCE_LOCATION =
            Pattern.compile("\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)\\]");
    private static final Pattern SOURCE_ONLY = Pattern.compile("\\s*\\[Source: [^\\]]*\\]");

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String origin(Throwable e) {
        for (StackTraceElement frame : e.getStackTrace()) {
            if (frame.getClassName().startsWith("dev.headlight.")) {
                String simple = frame.getClassName().substring(frame.getClassName().lastIndexOf('.') + 1);
                return " at " + simple + "." + frame.getMethodName() + ":" + frame.getLineNumber();
            }
        }
        return "";
    }

    /**
     * {@code text} with every control character written as an escape (\n, \t, \e, \\u0085, ...), including
     * the bidirectional overrides that reorder what a terminal shows, so it prints as one inert line.
     */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = escapeOf(c);
            if (replacement != null && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    private static String escapeOf(char c) {
        return switch (c) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case 0x1b -> "\\e";
            default -> isControl(c) ? String.format("\\u%04x", (int) c) : null;
        };
    }

    private static boolean isControl(char c) {
        return Character.isISOControl(c)                  // C0, DEL, C1
                || c >= 0x202a && c <= 0x202e             // bidi embeddings and overrides
                || c >= 0x2066 && c <= 0x2069             // bidi isolates
                || c == 0x200e || c == 0x200f || c == 0x061c // direction marks
                || c == 0x2028 || c == 0x2029;            // line and paragraph separators
    }
}
