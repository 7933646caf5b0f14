/**
 * The window's shared view-model layer (JavaFX, MVVM): the explorer's view model and the per-panel ones, the
 * shared {@link dev.headlight.ui.Selection}, the host interface panels use ({@link dev.headlight.ui.WindowHost}),
 * colour maps, palette and preferences. Subpackages: {@code ui.task} (the one task runner), {@code ui.view} (the
 * drawn views), {@code ui.interventions} (ablation, patching, attribution), {@code ui.lab} (the training lab) and
 * {@code ui.shell} (the window that assembles them, and the application). Never depends on its subpackages except
 * {@code ui.task}.
 *
 * <p>No domain logic: computations come from analysis, train and library, which the command line shares. May use
 * every layer below and JavaFX; never cli.
 */
package dev.headlight.ui;
