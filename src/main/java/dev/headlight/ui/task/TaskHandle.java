package dev.headlight.ui.task;

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
    private final WorkStatus.Writer status;
    private volatile boolean cancelled;
    private Runnable onCancel = () -> { };

    TaskHandle(String title, boolean shown, boolean userCancellable) {
        this.title = title;
        this.shown = shown;
        this.userCancellable = userCancellable;
        this.status = new WorkStatus.Writer(title, true, -1);
    }

    /** Stops the task (UI thread): see the class comment. Does nothing once it has finished. */
    public void cancel() {
        if (isRunning()) {
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

    /**
     * What the status bar shows of it: its message (the title, or the task's latest message), running (true until
     * it succeeded, failed or was cancelled) and progress.
     */
    public WorkStatus status() {
        return status.status();
    }

    public boolean isRunning() {
        return status.status().runningProperty().get();
    }

    // ---- for the runner (UI thread)

    void setOnCancel(Runnable onCancel) {
        this.onCancel = onCancel;
    }

    void setProgress(double value) {
        status.setProgress(value);
    }

    void setMessage(String text) {
        status.setMessage(text);
    }

    void finish() {
        status.setRunning(false);
    }
}
