package dev.headlight.engine.arch;

import dev.headlight.engine.kernel.Matrix;

/**
 * A learned projection: its weight matrix (stored [out][in] as torch Linear, or [in][out] as GPT-2's Conv1D) and
 * its bias {@code // [out]}, null where the family or config has none.
 */
record Projection(Matrix weight, float[] bias) {
}
