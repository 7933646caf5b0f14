package dev.headlight.ui.interventions;

import dev.headlight.ui.task.TaskRunner;
import javafx.beans.Observable;
import javafx.beans.value.WritableObjectValue;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;

/**
 * A panel's view model that runs one background {@link Job} at a time and shows its state; its failures go to the
 * window's error banner through the task runner.
 */
abstract class JobViewModel {
    protected final Job job;

    JobViewModel(TaskRunner tasks, String title, String failureContext) {
        job = new Job(tasks, title, failureContext);
    }

    /** Stops the run in flight; its result is dropped. */
    public void cancel() {
        job.cancel();
    }

    /**
     * When {@code source} changes (a new prompt or model), the run in flight and the shown {@code results} describe
     * the previous one: cancel it and clear them.
     */
    protected final void dropResultsWhen(Observable source, WritableObjectValue<?>... results) {
        source.addListener(o -> {
            job.cancel();
            for (WritableObjectValue<?> result : results) {
                result.set(null);
            }
        });
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return job.runningProperty();
    }

    /** 0–1, or -1 while the amount of work is not known. */
    public ReadOnlyDoubleProperty progressProperty() {
        return job.progressProperty();
    }
}
