/**
 * Compare two models on one prompt, or two prompts on one model: a view model over
 * {@code analysis} comparisons, run on the task runner, and the window that shows the per-head distance grid, the
 * selected head's two maps and their difference.
 *
 * <p>May use ui, ui.task, ui.view, library, analysis, engine and format; installed through
 * {@link dev.headlight.ui.WindowHost}.
 */
package dev.headlight.ui.compare;
