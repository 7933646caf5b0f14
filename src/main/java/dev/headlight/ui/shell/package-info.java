/**
 * The window: {@link dev.headlight.ui.shell.MainWindow} only assembles its parts, each with one job (menu bar,
 * toolbar and path field, prompt bar, error banner, panels host, status line, exports, model opening, layout
 * memory, dialogs), and implements {@link dev.headlight.ui.WindowHost} for the panels that plug in;
 * {@link dev.headlight.ui.shell.HeadlightApp} starts it.
 *
 * <p>The top of the ui layer: may use every ui package, library and the layers below, and JavaFX; nothing depends on
 * it except the launcher, which starts the application by name.
 */
package dev.headlight.ui.shell;
