/**
 * The numeric kernels of a forward pass: {@link dev.headlight.engine.kernel.Kernels} with a plain-Java reference
 * ({@code ScalarKernels}) and a Vector API implementation chosen at run time, {@link
 * dev.headlight.engine.kernel.Matrix} (mapped weights in their stored dtype), row scans (softmax, norms) and
 * the JIT warm-up.
 *
 * <p>May use format (tensors, dtypes) and the JDK's incubating Vector API; nothing else of Headlight.
 */
package dev.headlight.engine.kernel;
