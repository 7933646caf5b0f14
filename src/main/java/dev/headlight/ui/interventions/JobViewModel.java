package dev.headlight.ui.interventions;

import dev.headlight.ui.task.TaskRunner;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyStringProperty;

/** A panel's view model that runs one background {@link Job} at a time and shows its state. */
abstract class JobViewModel {
    protected final Job job;

    JobViewModel(TaskRunner tasks, String title) {
        job = new Job(tasks, title);
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return job.runningProperty();
    }

    /** 0–1, or -1 while the amount of work is not known. */
    public ReadOnlyDoubleProperty progressProperty() {
        return job.progressProperty();
    }

    /** The last run's one-line error, or null. */
    public ReadOnlyStringProperty errorProperty() {
        return job.errorProperty();
    }
}
