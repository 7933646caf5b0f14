package dev.headlight.ui.interventions;

import dev.headlight.format.ErrorMessages;
import dev.headlight.ui.task.BackgroundWork;
import dev.headlight.ui.task.ErrorSink;
import dev.headlight.ui.task.TaskHandle;
import dev.headlight.ui.task.TaskRunner;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.util.function.Consumer;

/**
 * One task at a time for a panel, on the window's {@link TaskRunner}: starting a new one cancels the one in flight,
 * whose result is then dropped. Exposes running, progress (0–1, -1 = indeterminate) and the last run's one-line
 * error, shown in the panel beside its result.
 */
final class Job {
    private final TaskRunner tasks;
    private final String title;
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running", false);
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", 0);
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error");
    private TaskHandle current;

    Job(TaskRunner tasks, String title) {
        this.tasks = tasks;
        this.title = title;
    }

    <T> void start(BackgroundWork<T> work, Consumer<T> onDone) {
        cancel();
        error.set(null);
        running.set(true);
        progress.set(-1);
        TaskHandle handle = tasks.task(title, work)
                .onSuccess(onDone::accept)
                .onFailure(t -> error.set(ErrorMessages.describe(t)))
                .onFinished(() -> {
                    running.set(false);
                    progress.set(0);
                })
                .submit();
        if (handle.isRunning()) {
            current = handle;
            handle.progressProperty().addListener((o, a, b) -> {
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

    /** A problem found before any work starts (e.g. no model open), shown like a failed run's. */
    void fail(String message) {
        cancel();
        error.set(message);
    }

    ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }
}
