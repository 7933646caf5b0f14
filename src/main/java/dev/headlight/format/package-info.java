/**
 * Reading (and writing) the files of a Hugging Face model folder without running anything: config.json
 * ({@code format.config}), safetensors weights ({@code format.safetensors}) and tokenizer.json ({@code
 * format.tokenizer}). Every problem is a {@link dev.headlight.format.FormatException}, one line naming the file.
 *
 * <p>The bottom layer: may use nothing of Headlight above it (Jackson and the JDK only).
 */
package dev.headlight.format;
