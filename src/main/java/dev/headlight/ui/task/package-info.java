/**
 * The one way the window runs background work: {@link dev.headlight.ui.task.TaskRunner} (cancellable tasks,
 * progress and activity for the status bar, failures to one error sink), on JavaFX for the window and on the
 * calling thread for view-model tests.
 *
 * <p>May use JavaFX and the JDK; nothing else of Headlight.
 */
package dev.headlight.ui.task;
