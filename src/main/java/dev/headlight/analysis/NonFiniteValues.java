package dev.headlight.analysis;

import dev.headlight.engine.Model;
import dev.headlight.engine.TensorPlacement;
import dev.headlight.engine.Trace;
import dev.headlight.format.safetensors.Tensor;

import java.util.Optional;

/**
 * Where a pass first produced NaN or infinite values, for the warning the command line prints and the window's
 * banner: results computed from such a pass are not meaningful, and saying where it started (a layer, and the
 * tensor of that layer holding non-finite weights when there is one) tells the user what is damaged.
 */
public final class NonFiniteValues {
    /** Elements read per tensor when looking for the culprit: bounds the time on a large model. */
    private static final long SCAN_LIMIT = 64L << 20;

    private NonFiniteValues() {
    }

    /** One line saying where the first non-finite value arose, or empty when every value of the pass is finite. */
    public static Optional<String> firstIn(Model model, Trace trace) {
        int width = trace.inputIds().length * trace.hidden();
        float[] residual = trace.residual(); // [layer + 1][token][hidden]
        for (int stage = 0; stage <= trace.layers(); stage++) {
            if (!allFinite(residual, stage * width, width)) {
                // stage 0 is the embeddings; stage s > 0 is the output of layer s - 1
                int layer = stage - 1;
                String where = layer < 0 ? "the embeddings" : "layer " + layer;
                return Optional.of(where + " produced NaN or infinite values first" + culprit(model, layer)
                        + "; the results of this run are not meaningful");
            }
        }
        if (!allFinite(trace.logits(), 0, trace.logits().length)) {
            return Optional.of("the final norm or unembedding produced NaN or infinite logits" + culprit(model,
                    Integer.MAX_VALUE) + "; the results of this run are not meaningful");
        }
        return Optional.empty();
    }

    private static boolean allFinite(float[] values, int from, int count) {
        for (int i = from; i < from + count; i++) {
            if (!Float.isFinite(values[i])) {
                return false;
            }
        }
        return true;
    }

    /** " (tensor NAME holds NaN or infinite values)" for the first such tensor of {@code layer}, or "". */
    private static String culprit(Model model, int layer) {
        for (TensorPlacement placement : model.tensorMap()) {
            boolean here = layer == Integer.MAX_VALUE ? placement.layer() < 0 : placement.layer() == layer;
            if (!here || !model.weights().contains(placement.tensorName())) {
                continue;
            }
            Tensor tensor = model.weights().tensor(placement.tensorName());
            if (!tensor.dtype().isFloatingPoint() || tensor.elementCount() > SCAN_LIMIT) {
                continue;
            }
            float[] values = tensor.toFloats();
            if (!allFinite(values, 0, values.length)) {
                return " (tensor " + placement.tensorName() + " holds NaN or infinite values)";
            }
        }
        return "";
    }
}
