package dev.headlight.ui.task;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * A submitted task, as its owner and the status bar see it. The properties change on the UI thread only.
 * Cancelling is immediate for the UI: the task leaves the status bar, its cancel handler runs, and nothing else of
 * it is delivered except a late result to its discard handler (so that e.g. a model that finished loading after
 * all can be closed).
 */
public final class TaskHandle {
    private final String title;
    private final boolean shown;
    private final boolean userCancellable;
    private final ReadOnlyStringWrapper message;
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", -1);
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running", true);
    private volatile boolean cancelled;
    private Runnable onCancel = () -> { };

    TaskHandle(String title, boolean shown, boolean userCancellable) {
        this.title = title;
        this.shown = shown;
        this.userCancellable = userCancellable;
        this.message = new ReadOnlyStringWrapper(this, "message", title);
    }

    /** Stops the task (UI thread): see the class comment. Does nothing once it has finished. */
    public void cancel() {
        if (running.get()) {
            cancelled = true;
            onCancel.run();
        }
    }

    /** Whether {@link #cancel()} was called while it ran. Safe from any thread. */
    public boolean isCancelled() {
        return cancelled;
    }

    public String title() {
        return title;
    }

    /** Whether the status bar shows it (a quiet task is not shown). */
    public boolean isShown() {
        return shown;
    }

    /** Whether the status bar offers to cancel it. */
    public boolean isUserCancellable() {
        return userCancellable;
    }

    /** True until it succeeded, failed or was cancelled. */
    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public boolean isRunning() {
        return running.get();
    }

    /** 0-1, or -1 while the amount of work is not known. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** What the status bar says about it: the title, or the task's latest message. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    // ---- for the runner (UI thread)

    void setOnCancel(Runnable onCancel) {
        this.onCancel = onCancel;
    }

    void setProgress(double value) {
        progress.set(value);
    }

    void setMessage(String text) {
        message.set(text);
    }

    void finish() {
        running.set(false);
    }
}
