package dev.headlight.ui.task;

import dev.headlight.format.ErrorMessages;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.util.Objects;
import java.util.function.Function;

/**
 * The one place errors go: the window shows {@link #messageProperty()} as its error banner. Every message is one
 * line (line breaks and runs of spaces are folded), never a stack trace. UI thread only; failed tasks report here
 * unless their owner handles the failure itself.
 */
public final class ErrorSink {
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message");
    private final Function<Throwable, String> describe;

    /** @param describe turns an exception into one line a user can act on */
    public ErrorSink(Function<Throwable, String> describe) {
        this.describe = Objects.requireNonNull(describe);
    }

    /** An error sink that describes exceptions with the one translation the CLI uses too. */
    public ErrorSink() {
        this(ErrorMessages::describe);
    }

    /** Shows {@code text} (one line) in the banner, replacing what it showed. */
    public void report(String text) {
        message.set(text == null ? null : oneLine(text));
    }

    /** Shows "{@code context}: what went wrong", or just what went wrong when {@code context} is null. */
    public void report(String context, Throwable failure) {
        String what = describe(failure);
        report(context == null || context.isBlank() ? what : context + ": " + what);
    }

    /** The one-line description of {@code failure} this sink uses. */
    public String describe(Throwable failure) {
        return failure == null ? "unknown error" : oneLine(describe.apply(failure));
    }

    /** Hides the banner (its close button, or a later success that makes the error moot). */
    public void dismiss() {
        message.set(null);
    }

    /** The banner's text, or null when there is no error to show. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public String message() {
        return message.get();
    }

    /** Line breaks and runs of white space folded into single spaces, trimmed. */
    static String oneLine(String text) {
        return text.strip().replaceAll("\\s+", " ");
    }
}
