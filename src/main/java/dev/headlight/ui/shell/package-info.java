/**
<<<<<<< HEAD
 * The window: {@link dev.headlight.ui.shell.MainWindow} only assembles its parts (menu bar, toolbar, prompt bar,
 * error banner, workspace of panels, status line, exports, model opening, layout memory) and implements
 * {@link dev.headlight.ui.WindowHost} for the plug-in panels; {@link dev.headlight.ui.shell.HeadlightApp} starts it.
 *
 * <p>May use every ui package, library, analysis, engine and format. Nothing depends on this package.
=======
 * The window's shell: the application ({@link dev.headlight.ui.shell.HeadlightApp}), the window that only assembles
 * ({@link dev.headlight.ui.shell.MainWindow}) and its parts, each with one job: menu bar, toolbar, prompt bar,
 * status line, error banner, panels host, exports, dialogs (attention budget, Hugging Face cache), layout memory
 * and theme.
 *
 * <p>May use the ui package and its other subpackages, JavaFX and the layers below; never cli.
>>>>>>> arch
 */
package dev.headlight.ui.shell;
