package dev.headlight.ui.task;

/** Something scheduled that can be called off (UI thread). */
@FunctionalInterface
public interface Cancellable {
    void cancel();
}
