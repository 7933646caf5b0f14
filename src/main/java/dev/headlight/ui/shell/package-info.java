/**
 * The window's shell: the application ({@link dev.headlight.ui.shell.HeadlightApp}), the window that only assembles
 * ({@link dev.headlight.ui.shell.MainWindow}) and its parts, each with one job: menu bar, toolbar, prompt bar,
 * status line, error banner, panels host, exports, dialogs (attention budget, Hugging Face cache), layout memory
 * and theme.
 *
 * <p>May use the ui package and its other subpackages, JavaFX and the layers below; never cli.
 */
package dev.headlight.ui.shell;
