package dev.headlight.ui.task;

/**
 * A running task's line back to the UI. Every method may be called from the worker thread; updates reach the UI
 * thread coalesced (only the latest progress and message are delivered).
 */
public interface TaskContext {
    /** Whether the task was cancelled (or its window closed): stop soon, the result will be dropped. */
    boolean isCancelled();

    /** {@code done} of {@code total} steps; {@code total <= 0} means the amount of work is not known. */
    void progress(long done, long total);

    /** Replaces the text the status bar shows for this task (its title until then). */
    void message(String text);
}
