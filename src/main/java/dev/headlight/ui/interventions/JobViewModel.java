package dev.headlight.ui.interventions;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.StringProperty;

/** A panel's view model that runs one background {@link Job} at a time and shows its state. */
abstract class JobViewModel {
    protected final Job job;

    JobViewModel(String threadName) {
        job = new Job(threadName);
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return job.runningProperty();
    }

    /** 0–1, or -1 while the amount of work is not known. */
    public ReadOnlyDoubleProperty progressProperty() {
        return job.progressProperty();
    }

    /** The last run's one-line error, or null. */
    public StringProperty errorProperty() {
        return job.errorProperty();
    }
}
