package dev.headlight.ui.interventions;

import dev.headlight.ui.task.BackgroundWork;
import dev.headlight.ui.task.TaskHandle;
import dev.headlight.ui.task.TaskRunner;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;

import java.util.function.Consumer;

/**
 * One task at a time for a panel, on the window's {@link TaskRunner}: starting a new one cancels the one in flight,
 * whose result is then dropped. Exposes running and progress (0–1, -1 = indeterminate). A failure goes to the
 * runner's one error sink (the window's banner) as "{@code failureContext}: what went wrong", like every other
 * panel's; the next run of the same job takes its message down again if the banner still shows it.
 */
final class Job {
    private final TaskRunner tasks;
    private final String title;
    private final String failureContext;
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running", false);
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", 0);
    private TaskHandle current;
    /** The banner text this job put up last, or null. */
    private String reported;

    /**
     * @param title          what the status bar shows while the job runs, e.g. "Patching…"
     * @param failureContext what the banner says before a failure's message, e.g. "Could not patch"
     */
    Job(TaskRunner tasks, String title, String failureContext) {
        this.tasks = tasks;
        this.title = title;
        this.failureContext = failureContext;
    }

    /** Runs {@code work}, then {@code onDone} with its result; a failure calls {@code onFailed}, then reports. */
    <T> void start(BackgroundWork<T> work, Consumer<T> onDone, Runnable onFailed) {
        cancel();
        takeDownOwnError();
        running.set(true);
        progress.set(-1);
        TaskHandle handle = tasks.task(title, work)
                .onSuccess(onDone::accept)
                .onFailure(t -> {
                    onFailed.run();
                    tasks.errors().report(failureContext, t);
                    reported = tasks.errors().message();
                })
                .onFinished(() -> {
                    running.set(false);
                    progress.set(0);
                })
                .submit();
        if (handle.isRunning()) {
            current = handle;
            handle.status().progressProperty().addListener((o, a, b) -> {
                if (current == handle) {
                    progress.set(b.doubleValue());
                }
            });
        }
    }

    void cancel() {
        TaskHandle task = current;
        current = null;
        if (task != null) {
            task.cancel();
        }
        running.set(false);
        progress.set(0);
    }

    /** A problem found before any work starts (e.g. no model open), reported like a failed run's. */
    void fail(String message) {
        cancel();
        tasks.errors().report(message);
        reported = tasks.errors().message();
    }

    /** A new run makes this job's last error moot; someone else's error stays. */
    private void takeDownOwnError() {
        if (reported != null && reported.equals(tasks.errors().message())) {
            tasks.errors().dismiss();
        }
        reported = null;
    }

    ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }
}
