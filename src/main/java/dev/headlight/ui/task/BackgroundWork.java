package dev.headlight.ui.task;

/**
 * What a task does off the UI thread. It polls {@link TaskContext#isCancelled()} where stopping early saves work
 * (the engine takes it as its cancellation hook), and reports progress through the context. (A context without the result type keeps
 * {@code runner.task("…", ctx -> value)} inferring the result type from the lambda.)
 *
 * @param <T> the result, handed to the task's success handler on the UI thread
 */
@FunctionalInterface
public interface BackgroundWork<T> {
    T run(TaskContext context) throws Exception;
}
