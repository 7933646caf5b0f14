package dev.headlight.analysis;

import dev.headlight.engine.Model;
import dev.headlight.engine.ModelInfo;
import dev.headlight.engine.TensorPlacement;
import dev.headlight.engine.TensorPlacement.HeadSlice;
import dev.headlight.format.safetensors.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;

/**
 * How far model B's weights are from model A's: per stored tensor and per head slice the relative change
 * ||W_B - W_A||_F / ||W_A||_F. Head slices are the engine's tensor placement ({@link TensorPlacement#headSlices()}:
 * fused or separate q/k/v, Conv1D [in, out] or Linear [out, in], and for grouped-query attention the K and V
 * slices of key/value heads). The two folders must have the same architecture and the same tensors with the same
 * shapes (the stored dtypes may differ); buffers the engine ignores are skipped. Tensors are read a block of rows
 * at a time, so a model is never copied whole.
 */
public final class WeightChange {
    /** The definition, for --help and the UI. */
    public static final String DEFINITION = "relative change = ||W_b - W_a||_F / ||W_a||_F per stored tensor and per "
            + "head slice (q, k, v of each head's rows or columns of the query/key/value weights and biases, o of "
            + "the output projection's inputs; for grouped-query attention k and v are per key/value head); null "
            + "when ||W_a||_F is 0 and W_b differs (0 when both are equal)";

    private static final int CHUNK_ELEMENTS = 1 << 20;

    private WeightChange() {
    }

    /**
     * One tensor ({@code head} -1, {@code slice} null) or one head's slice of it.
     *
     * @param component      the engine's role of the tensor, e.g. "attn.qkv", "mlp.up", "embed.tokens"
     * @param layer          the layer, -1 outside the layer stack
     * @param head           the head (key/value head for k and v under grouped-query attention), -1 for the tensor
     * @param slice          "q", "k", "v" or "o", null for the whole tensor
     * @param relativeChange ||W_b - W_a||_F / ||W_a||_F; NaN when undefined (W_a is 0 and W_b is not)
     * @param normA          ||W_a||_F
     * @param normDifference ||W_b - W_a||_F
     */
    public record Change(String name, String component, int layer, int head, String slice, double relativeChange,
                         double normA, double normDifference) {
        public boolean isSlice() {
            return slice != null;
        }
    }

    /** The relative changes from {@code a} to {@code b}: each tensor in A's file order, followed by its slices. */
    public static List<Change> between(Model a, Model b) {
        return between(a, b, null, null);
    }

    /**
     * As {@link #between(Model, Model)}; {@code cancelled} (may be null) is polled between blocks and throws
     * {@link CancellationException}; {@code progress} (may be null) hears the fraction of elements done.
     *
     * @throws IllegalArgumentException (one line naming what differs) when the models cannot be compared
     */
    public static List<Change> between(Model a, Model b, BooleanSupplier cancelled, DoubleConsumer progress) {
        List<TensorPlacement> tensors = requireComparable(a, b);
        long totalElements = 0;
        for (TensorPlacement p : tensors) {
            totalElements += a.weights().info(p.tensorName()).elementCount();
        }
        List<Change> out = new ArrayList<>();
        long done = 0;
        for (TensorPlacement p : tensors) {
            Tensor ta = a.weights().tensor(p.tensorName());
            Tensor tb = b.weights().tensor(p.tensorName());
            SliceSquares squaresA = new SliceSquares(ta.shape(), p.headSlices());
            SliceSquares squaresDiff = new SliceSquares(ta.shape(), p.headSlices());
            int columns = squaresA.columns();
            int rowsPerChunk = (int) Math.max(1, Math.min(squaresA.rows(), CHUNK_ELEMENTS / Math.max(1, columns)));
            for (long row = 0; row < squaresA.rows(); row += rowsPerChunk) {
                if (cancelled != null && cancelled.getAsBoolean()) {
                    throw new CancellationException("weight comparison cancelled");
                }
                int count = (int) Math.min(rowsPerChunk, squaresA.rows() - row);
                float[] va = ta.toFloats(row * columns, count * columns);
                float[] vb = tb.toFloats(row * columns, count * columns);
                squaresA.add(va, 0, row, count);
                for (int k = 0; k < vb.length; k++) {
                    vb[k] -= va[k];
                }
                squaresDiff.add(vb, 0, row, count);
                done += (long) count * columns;
                if (progress != null) {
                    progress.accept(totalElements == 0 ? 1 : (double) done / totalElements);
                }
            }
            out.add(change(p, -1, null, squaresA.total(), squaresDiff.total()));
            for (int s = 0; s < p.headSlices().size(); s++) {
                HeadSlice slice = p.headSlices().get(s);
                out.add(change(p, slice.head(), slice.part(), squaresA.slice(s), squaresDiff.slice(s)));
            }
        }
        return out;
    }

    private static Change change(TensorPlacement p, int head, String slice, double squaresA, double squaresDiff) {
        double normA = Math.sqrt(squaresA);
        double normDiff = Math.sqrt(squaresDiff);
        return new Change(p.tensorName(), p.component(), p.layer(), head, slice, relative(normDiff, normA), normA,
                normDiff);
    }

    /** ||W_b - W_a|| / ||W_a||: 0 when nothing changed, NaN when W_a is 0 and W_b is not. */
    public static double relative(double normDifference, double normA) {
        if (normDifference == 0) {
            return 0;
        }
        return normA == 0 ? Double.NaN : normDifference / normA;
    }

    /**
     * The tensors both models hold (A's file order, buffers skipped) after checking that the two have the same
     * architecture, the same tensors and the same shapes.
     *
     * @throws IllegalArgumentException one line naming the first thing that differs
     */
    public static List<TensorPlacement> requireComparable(Model a, Model b) {
        ModelInfo ia = a.info();
        ModelInfo ib = b.info();
        String prefix = "cannot compare " + label(ia.folder()) + " (A) with " + label(ib.folder()) + " (B): ";
        Map<String, Object[]> settings = new LinkedHashMap<>();
        settings.put("family", new Object[] {ia.family(), ib.family()});
        settings.put("architecture", new Object[] {ia.architecture(), ib.architecture()});
        settings.put("layers", new Object[] {ia.layers(), ib.layers()});
        settings.put("attention heads", new Object[] {ia.heads(), ib.heads()});
        settings.put("key/value heads", new Object[] {ia.kvHeads(), ib.kvHeads()});
        settings.put("head size", new Object[] {ia.headDim(), ib.headDim()});
        settings.put("hidden size", new Object[] {ia.hidden(), ib.hidden()});
        settings.put("MLP size", new Object[] {ia.intermediate(), ib.intermediate()});
        settings.put("vocabulary", new Object[] {ia.vocab(), ib.vocab()});
        settings.put("positions", new Object[] {ia.maxPositions(), ib.maxPositions()});
        for (Map.Entry<String, Object[]> e : settings.entrySet()) {
            Object[] v = e.getValue();
            if (!String.valueOf(v[0]).equals(String.valueOf(v[1]))) {
                throw new IllegalArgumentException(prefix + e.getKey() + " differs (A " + v[0] + ", B " + v[1] + ")");
            }
        }
        Map<String, TensorPlacement> inB = new LinkedHashMap<>();
        for (TensorPlacement p : b.tensorMap()) {
            if (!p.component().equals("buffer")) {
                inB.put(p.tensorName(), p);
            }
        }
        List<TensorPlacement> common = new ArrayList<>();
        for (TensorPlacement p : a.tensorMap()) {
            if (p.component().equals("buffer")) {
                continue;
            }
            if (inB.remove(p.tensorName()) == null) {
                throw new IllegalArgumentException(prefix + "tensor " + p.tensorName() + " is in A only");
            }
            long[] sa = a.weights().info(p.tensorName()).shape();
            long[] sb = b.weights().info(p.tensorName()).shape();
            if (!Arrays.equals(sa, sb)) {
                throw new IllegalArgumentException(prefix + "tensor " + p.tensorName() + " has shape "
                        + Arrays.toString(sa) + " in A and " + Arrays.toString(sb) + " in B");
            }
            common.add(p);
        }
        if (!inB.isEmpty()) {
            throw new IllegalArgumentException(prefix + "tensor " + inB.keySet().iterator().next() + " is in B only");
        }
        return common;
    }

    private static String label(Path folder) {
        return folder == null ? "?" : folder.toString();
    }
}
