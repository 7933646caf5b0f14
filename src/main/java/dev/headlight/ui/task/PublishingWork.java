package dev.headlight.ui.task;

import java.util.function.Consumer;

/**
 * Work that hands out usable results before its final one (e.g. the attention maps before the logit lens): each
 * value given to {@code publish} reaches the task's {@link TaskRequest#onPartial partial handler} on the UI thread
 * (only the latest, if several arrive between two frames), unless the task was cancelled or has finished.
 */
@FunctionalInterface
public interface PublishingWork<T> {
    T run(TaskContext context, Consumer<T> publish) throws Exception;
}
