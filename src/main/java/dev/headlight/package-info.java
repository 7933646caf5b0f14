/**
 * The launcher: {@link dev.headlight.Headlight}, the jar's entry point, runs the command line ({@code cli}) or loads
 * the window ({@code ui}) by name, so command-line use never touches JavaFX.
 *
 * <p>Layers, lowest first (each may use only the ones below it; LayeringTest checks this and that no packages form
 * a cycle): {@code format} -> {@code engine} -> {@code analysis} -> {@code train}; {@code library} above
 * {@code analysis}; {@code ui} and {@code cli} on top, independent of each other; this package over all. Only
 * {@code ui} uses JavaFX.
 *
 * <p>May use cli and library ({@link dev.headlight.library.WindowArguments}: which command lines open the window).
 */
package dev.headlight;
