package dev.headlight.ui.task;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one way the UI runs background work. A view model gets a runner injected and submits
 * {@link #task(String, BackgroundWork) tasks}: the work runs off the UI thread, its progress and message show in the
 * status bar ({@link #activityProperty()}, {@link #progressProperty()}), its failure goes to the one
 * {@link #errors() error sink} unless the owner handles it, and its result comes back on the UI thread. Tasks are
 * cancellable; cancelling never interrupts the worker thread (an interrupt closes the memory-mapped weight files'
 * channels), the work polls {@link TaskContext#isCancelled()} instead.
 *
 * <p>{@link FxTaskRunner} is the window's runner; {@link SameThreadTaskRunner} runs everything on the calling
 * thread, so view models can be unit-tested without a window or the FX toolkit.
 *
 * <p>All methods except those of {@link TaskContext} are called on the UI thread, and all properties change there.
 */
public abstract class TaskRunner {
    private final ErrorSink errors;
    private final ObservableList<TaskHandle> running = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper activity = new ReadOnlyStringWrapper(this, "activity", "");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", 0);
    private final ReadOnlyBooleanWrapper cancellable = new ReadOnlyBooleanWrapper(this, "cancellable", false);
    private final ReadOnlyIntegerWrapper runningCount = new ReadOnlyIntegerWrapper(this, "runningCount", 0);
    /** The last {@link #announce} text, shown while no task is. */
    private String announcement = "";
    private boolean closed;

    protected TaskRunner(ErrorSink errors) {
        this.errors = errors;
    }

    /** Describes a task; {@link TaskRequest#submit()} starts it. {@code title} is what the status bar says. */
    public final <T> TaskRequest<T> task(String title, BackgroundWork<T> work) {
        return new TaskRequest<>(this, title, (context, publish) -> work.run(context));
    }

    /** A task whose work also {@link PublishingWork publishes} results before its final one. */
    public final <T> TaskRequest<T> task(String title, PublishingWork<T> work) {
        return new TaskRequest<>(this, title, work);
    }

    /**
     * Runs {@code action} on the UI thread after {@code delay} unless cancelled first (e.g. a typing pause before a
     * pass). The same-thread runner runs it when its queue is drained.
     */
    public abstract Cancellable schedule(Duration delay, Runnable action);

    /** The error banner's model: where failures go. */
    public final ErrorSink errors() {
        return errors;
    }

    /** A short note for the status bar once no task is shown (e.g. "Saved trace.safetensors"). */
    public final void announce(String text) {
        announcement = text == null ? "" : text;
        updateStatus();
    }

    /** What the status bar says about background work: the newest shown task's message, else the last note. */
    public final ReadOnlyStringProperty activityProperty() {
        return activity.getReadOnlyProperty();
    }

    /** The newest shown task's progress: 0-1, -1 while unknown; 0 when no task is shown. */
    public final ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** Whether the newest shown task offers Cancel ({@link #cancelShown()}). */
    public final ReadOnlyBooleanProperty cancellableProperty() {
        return cancellable.getReadOnlyProperty();
    }

    /** Tasks submitted and not yet finished or cancelled, quiet ones included. */
    public final ReadOnlyIntegerProperty runningCountProperty() {
        return runningCount.getReadOnlyProperty();
    }

    /** The status bar's Cancel button: cancels the task the status bar shows, if it offers Cancel. */
    public final void cancelShown() {
        TaskHandle shown = shownTask();
        if (shown != null && shown.isUserCancellable()) {
            shown.cancel();
        }
    }

    /** Cancels every running task and refuses new ones (the window is closing). */
    public void shutdown() {
        closed = true;
        for (TaskHandle h : running.toArray(TaskHandle[]::new)) {
            h.cancel();
        }
    }

    // ---- for the two runners

    /** Runs {@code body} off the UI thread: after the lane's earlier work if {@code lane} is not null. */
    protected abstract void runInBackground(String lane, String title, Runnable body);

    /** Runs {@code action} on the UI thread (later, in order, when called from a worker). */
    protected abstract void runOnUiThread(Runnable action);

    // ---- the life of a task

    final <T> TaskHandle submit(TaskRequest<T> request) {
        TaskHandle handle = new TaskHandle(request.title, request.shown, request.userCancellable);
        if (closed) {
            handle.finish();
            return handle;
        }
        running.add(handle);
        handle.setOnCancel(() -> {
            leave(handle);
            request.onCancelled.run();
            request.onFinished.run();
        });
        updateStatus();
        Context<T> context = new Context<>(handle, request);
        runInBackground(request.lane, request.title, () -> {
            if (handle.isCancelled()) {
                return;
            }
            T result = null;
            Throwable failure = null;
            try {
                result = request.work.run(context, context::publish);
            } catch (Throwable t) {
                failure = t;
            }
            T value = result;
            Throwable error = failure;
            runOnUiThread(() -> complete(handle, request, value, error));
        });
        return handle;
    }

    private <T> void complete(TaskHandle handle, TaskRequest<T> request, T value, Throwable failure) {
        if (handle.isCancelled() || !handle.isRunning()) {
            if (value != null) {
                request.onDiscarded.accept(value);
            }
            return;
        }
        if (failure instanceof CancellationException) {
            handle.cancel(); // the work gave up by itself: the same as a cancel
            return;
        }
        leave(handle);
        if (failure == null) {
            request.onSuccess.accept(value);
        } else if (request.onFailure != null) {
            request.onFailure.accept(failure);
        } else {
            errors.report(request.failureContext, failure);
        }
        request.onFinished.run();
    }

    private void leave(TaskHandle handle) {
        handle.finish();
        running.remove(handle);
        updateStatus();
    }

    private TaskHandle shownTask() {
        for (int i = running.size() - 1; i >= 0; i--) {
            if (running.get(i).isShown()) {
                return running.get(i);
            }
        }
        return null;
    }

    private void updateStatus() {
        runningCount.set(running.size());
        TaskHandle shown = shownTask();
        activity.set(shown == null ? announcement : shown.status().messageProperty().get());
        progress.set(shown == null ? 0 : shown.status().progressProperty().get());
        cancellable.set(shown != null && shown.isUserCancellable());
        if (shown != null) {
            announcement = "";
        }
    }

    /** A task's context: worker-side updates, coalesced onto the UI thread. */
    private final class Context<T> implements TaskContext {
        private final TaskHandle handle;
        private final TaskRequest<T> request;
        private final AtomicReference<Double> pendingProgress = new AtomicReference<>();
        private final AtomicReference<String> pendingMessage = new AtomicReference<>();
        private final AtomicReference<T> pendingPartial = new AtomicReference<>();
        private final AtomicBoolean drainQueued = new AtomicBoolean();

        Context(TaskHandle handle, TaskRequest<T> request) {
            this.handle = handle;
            this.request = request;
        }

        @Override
        public boolean isCancelled() {
            return handle.isCancelled();
        }

        @Override
        public void progress(long done, long total) {
            pendingProgress.set(total <= 0 ? -1 : Math.clamp((double) done / total, 0, 1));
            queueDrain();
        }

        @Override
        public void message(String text) {
            pendingMessage.set(text == null ? request.title : text);
            queueDrain();
        }

        void publish(T partial) {
            pendingPartial.set(partial);
            queueDrain();
        }

        private void queueDrain() {
            if (drainQueued.compareAndSet(false, true)) {
                runOnUiThread(this::drain);
            }
        }

        private void drain() {
            drainQueued.set(false);
            Double p = pendingProgress.getAndSet(null);
            String m = pendingMessage.getAndSet(null);
            T partial = pendingPartial.getAndSet(null);
            if (!handle.isRunning()) {
                return;
            }
            if (p != null) {
                handle.setProgress(p);
            }
            if (m != null) {
                handle.setMessage(m);
            }
            updateStatus();
            if (partial != null) {
                request.onPartial.accept(partial);
            }
        }
    }
}
