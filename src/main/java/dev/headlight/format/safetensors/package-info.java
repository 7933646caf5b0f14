/**
 * The safetensors format: {@link dev.headlight.format.safetensors.SafetensorsFile} (one file, memory-mapped,
 * header checked), {@link dev.headlight.format.safetensors.TensorStore} (a folder's files and shard index as one
 * set of tensors), {@link dev.headlight.format.safetensors.DType} with the float8/16 conversions, and writers
 * (whole, or streamed tensor by tensor). Pickle checkpoints are never read.
 *
 * <p>May use the format package only.
 */
package dev.headlight.format.safetensors;
