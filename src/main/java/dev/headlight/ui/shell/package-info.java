/**
 * The window: {@link dev.headlight.ui.shell.MainWindow} only assembles its parts (menu bar, toolbar, prompt bar,
 * error banner, workspace of panels, status line, exports, model opening, layout memory) and implements
 * {@link dev.headlight.ui.WindowHost} for the plug-in panels; {@link dev.headlight.ui.shell.HeadlightApp} starts it.
 *
 * <p>May use every ui package, library, analysis, engine and format. Nothing depends on this package.
 */
package dev.headlight.ui.shell;
