package dev.headlight.ui.interventions;

import dev.headlight.format.ErrorMessages;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.concurrent.Task;

import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/**
 * One background computation at a time for a panel: starting a new one cancels the one in flight, whose result is
 * then dropped. Exposes running, progress (0–1, -1 = indeterminate) and a one-line error, all changed on the FX
 * thread.
 */
final class Job {
    /** The work: polls {@code cancelled} and reports progress through {@code progress}. */
    @FunctionalInterface
    interface Work<T> {
        T run(Task<?> task, ProgressSink progress) throws Exception;
    }

    @FunctionalInterface
    interface ProgressSink {
        void report(long done, long total);
    }

    private final String threadName;
    private final BooleanProperty running = new SimpleBooleanProperty(this, "running", false);
    private final DoubleProperty progress = new SimpleDoubleProperty(this, "progress", 0);
    private final StringProperty error = new SimpleStringProperty(this, "error");
    private Task<?> current;

    Job(String threadName) {
        this.threadName = threadName;
    }

    <T> void start(Work<T> work, Consumer<T> onDone) {
        cancel();
        error.set(null);
        Task<T> task = new Task<>() {
            @Override
            protected T call() throws Exception {
                return work.run(this, this::updateProgress);
            }
        };
        current = task;
        running.set(true);
        progress.set(-1);
        task.progressProperty().addListener((o, a, b) -> {
            if (current == task) {
                progress.set(b.doubleValue());
            }
        });
        task.setOnSucceeded(e -> {
            if (current == task) {
                current = null;
                running.set(false);
                progress.set(0);
                onDone.accept(task.getValue());
            }
        });
        task.setOnFailed(e -> {
            if (current == task) {
                current = null;
                running.set(false);
                progress.set(0);
                Throwable t = task.getException();
                error.set(t instanceof CancellationException ? null : ErrorMessages.describe(t));
            }
        });
        Thread thread = new Thread(task, threadName);
        thread.setDaemon(true);
        thread.setPriority(Thread.NORM_PRIORITY - 1);
        thread.start();
    }

    void cancel() {
        Task<?> task = current;
        current = null;
        if (task != null) {
            task.cancel(false);
        }
        running.set(false);
        progress.set(0);
    }

    BooleanProperty runningProperty() {
        return running;
    }

    DoubleProperty progressProperty() {
        return progress;
    }

    StringProperty errorProperty() {
        return error;
    }
}
