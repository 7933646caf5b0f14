/**
 * The model library: finding, naming and describing model folders for the window and the command line. The local
 * Hugging Face cache ({@link dev.headlight.library.HfCacheScanner}), the bundled samples
 * ({@link dev.headlight.library.SampleModels}), readable names ({@link dev.headlight.library.ModelNames}), the
 * architecture as a tree of tensors ({@link dev.headlight.library.WeightTree}) and trace exports
 * ({@link dev.headlight.library.TraceExport}).
 *
 * <p>May use format, engine and analysis; used only by ui and cli. JavaFX-free, so the CLI reaches all of it.
 */
package dev.headlight.library;
