package dev.headlight.ui.task;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * A task being described before it is submitted: its handlers (all called on the UI thread) and how it shows.
 * Obtained from {@link TaskRunner#task}; {@link #submit()} starts it.
 *
 * <pre>{@code
 * runner.task("Opening gpt2…", ctx -> Model.open(folder))
 *         .userCancellable()
 *         .serial("model-loader")
 *         .failureContext("Could not open gpt2")
 *         .onSuccess(model::set)
 *         .onDiscarded(Model::close)
 *         .submit();
 * }</pre>
 */
public final class TaskRequest<T> {
    final TaskRunner runner;
    final String title;
    final PublishingWork<T> work;
    Consumer<? super T> onSuccess = value -> { };
    Consumer<? super T> onPartial = value -> { };
    Consumer<? super T> onDiscarded = value -> { };
    Consumer<Throwable> onFailure;
    Runnable onCancelled = () -> { };
    Runnable onFinished = () -> { };
    String failureContext;
    String lane;
    boolean shown = true;
    boolean userCancellable;

    TaskRequest(TaskRunner runner, String title, PublishingWork<T> work) {
        this.runner = runner;
        this.title = Objects.requireNonNull(title);
        this.work = Objects.requireNonNull(work);
    }

    /** The result, unless the task was cancelled first. */
    public TaskRequest<T> onSuccess(Consumer<? super T> handler) {
        this.onSuccess = handler;
        return this;
    }

    /** A result published before the final one ({@link PublishingWork}), unless cancelled or finished. */
    public TaskRequest<T> onPartial(Consumer<? super T> handler) {
        this.onPartial = handler;
        return this;
    }

    /** A result that arrived after the task was cancelled: release what it holds (close a model, ...). */
    public TaskRequest<T> onDiscarded(Consumer<? super T> handler) {
        this.onDiscarded = handler;
        return this;
    }

    /**
     * Handles a failure instead of the error sink (which gets "context: what went wrong" by default). A
     * {@link java.util.concurrent.CancellationException} is never a failure.
     */
    public TaskRequest<T> onFailure(Consumer<Throwable> handler) {
        this.onFailure = handler;
        return this;
    }

    /** What the error banner says before the failure's own message, e.g. "Could not open gpt2". */
    public TaskRequest<T> failureContext(String context) {
        this.failureContext = context;
        return this;
    }

    /** Called at once when the task is cancelled. */
    public TaskRequest<T> onCancelled(Runnable handler) {
        this.onCancelled = handler;
        return this;
    }

    /** Called after success, failure or cancellation. */
    public TaskRequest<T> onFinished(Runnable handler) {
        this.onFinished = handler;
        return this;
    }

    /** Not shown in the status bar (short or invisible work, e.g. checking that a tokenizer loads). */
    public TaskRequest<T> quiet() {
        this.shown = false;
        return this;
    }

    /** The status bar shows a Cancel button while this task is the one it shows. */
    public TaskRequest<T> userCancellable() {
        this.userCancellable = true;
        return this;
    }

    /**
     * Runs after the earlier tasks of the same lane have finished, one at a time (e.g. model loads, so that two large
     * models are never read at once); tasks without a lane run at once on their own thread.
     */
    public TaskRequest<T> serial(String laneName) {
        this.lane = laneName;
        return this;
    }

    /** Starts the task. UI thread. */
    public TaskHandle submit() {
        return runner.submit(this);
    }
}
