package dev.headlight.ui.task;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * What a piece of work shows of itself: a one-line message, whether it runs, and how far it is (0-1, or -1 while
 * the amount of work is not known). Everyone may read it; only its owner, who keeps the {@link Writer}, changes it
 * (the task runner for a {@link TaskHandle}, a view model for its panel's work). Changes happen on the UI thread.
 */
public final class WorkStatus {
    private final ReadOnlyStringWrapper message;
    private final ReadOnlyBooleanWrapper running;
    private final ReadOnlyDoubleWrapper progress;

    private WorkStatus(String message, boolean running, double progress) {
        this.message = new ReadOnlyStringWrapper(this, "message", message);
        this.running = new ReadOnlyBooleanWrapper(this, "running", running);
        this.progress = new ReadOnlyDoubleWrapper(this, "progress", progress);
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** 0-1, or -1 while the amount of work is not known. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** The owner's side of a {@link WorkStatus}: the only way to change it. */
    public static final class Writer {
        private final WorkStatus status;

        public Writer(String message, boolean running, double progress) {
            status = new WorkStatus(message, running, progress);
        }

        /** The read-only side, to hand out. */
        public WorkStatus status() {
            return status;
        }

        public void setMessage(String text) {
            status.message.set(text);
        }

        public void setRunning(boolean value) {
            status.running.set(value);
        }

        public void setProgress(double value) {
            status.progress.set(value);
        }
    }
}
