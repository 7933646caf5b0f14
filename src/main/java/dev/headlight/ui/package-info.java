/**
 * The window (JavaFX, MVVM): the application ({@link dev.headlight.ui.HeadlightApp}), the window that assembles
 * the panels ({@link dev.headlight.ui.MainWindow}), the view models with the shared {@link
 * dev.headlight.ui.Selection}, the host interface panels use ({@link dev.headlight.ui.WindowHost}), colour maps,
 * palette, preferences and exports. Subpackages: {@code ui.view} (the drawn views), {@code ui.interventions}
 * (ablation, patching, attribution), {@code ui.lab} (the training lab), {@code ui.task} (the one task runner).
 *
 * <p>No domain logic: computations come from analysis, train and library, which the command line shares. May use
 * every layer below and JavaFX; never cli.
 */
package dev.headlight.ui;
