package dev.headlight.engine.kernel;

import dev.headlight.format.safetensors.DType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The vectorized kernels against the scalar reference, on random data of many shapes, dtypes and alignments. */
class VectorKernelsTest {
    private static final int[] TOKENS = {1, 2, 3, 5, 17, 40, 70, 100, 128};
    private static final int[] DIMS = {1, 7, 33, 65, 130, 768};

    private static final ScalarKernels SCALAR = new ScalarKernels(1);
    private static VectorKernels vector1;
    private static VectorKernels vector2;
    private static VectorKernels grouped;
    private static Arena arena;

    @BeforeAll
    static void setUp() {
        vector1 = new VectorKernels(1);
        vector2 = new VectorKernels(2);
        grouped = new VectorKernels(1, 4);
        arena = Arena.ofShared();
    }

    @AfterAll
    static void tearDown() {
        arena.close();
    }

    enum Layout { OUT_IN, IN_OUT }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "BF16", "F16"})
    void linearMatchesScalarOnAllShapes(DType dtype) {
        sweep(dtype, Layout.OUT_IN);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "BF16", "F16"})
    void linearInOutMatchesScalarOnAllShapes(DType dtype) {
        sweep(dtype, Layout.IN_OUT);
    }

    private static void sweep(DType dtype, Layout layout) {
        SplittableRandom random = new SplittableRandom(dtype.ordinal() * 31L + layout.ordinal());
        int cases = 0;
        for (int in : DIMS) {
            for (int outDim : DIMS) {
                // odd byte offsets: safetensors data need not be aligned
                int offset = (in + outDim) % 2 == 0 ? 0 : 3;
                Matrix w = layout == Layout.OUT_IN
                        ? TestMatrices.random(arena, dtype, outDim, in, offset, random)
                        : TestMatrices.random(arena, dtype, in, outDim, offset, random);
                for (int tokens : TOKENS) {
                    float[] x = TestMatrices.random(tokens * in, random);
                    float[] bias = (tokens + in) % 2 == 0 ? null : TestMatrices.random(outDim, random);
                    compare(layout, x, tokens, w, bias, tokens + "x" + in + "->" + outDim + " " + dtype);
                    cases++;
                }
            }
        }
        assertEquals(TOKENS.length * DIMS.length * DIMS.length, cases);
    }

    private static void compare(Layout layout, float[] x, int tokens, Matrix w, float[] bias, String what) {
        int in = layout == Layout.OUT_IN ? w.cols() : w.rows();
        int outDim = layout == Layout.OUT_IN ? w.rows() : w.cols();
        float[] expected = new float[tokens * outDim];
        run(SCALAR, layout, x, tokens, w, bias, expected);
        for (VectorKernels k : new VectorKernels[] {vector1, vector2, grouped}) {
            // garbage in the output must be overwritten, not accumulated into
            float[] actual = new float[tokens * outDim];
            java.util.Arrays.fill(actual, Float.NaN);
            run(k, layout, x, tokens, w, bias, actual);
            double tolerance = 1e-4 * Math.sqrt(in);   // |x|, |w|, |bias| <= 1
            for (int i = 0; i < expected.length; i++) {
                float e = expected[i];
                float a = actual[i];
                if (!(Math.abs(e - a) <= tolerance)) {
                    throw new AssertionError(layout + " " + what + " threads=" + k.threads() + ": out["
                            + i / outDim + "][" + i % outDim + "] = " + a + ", scalar " + e);
                }
            }
        }
    }

    private static void run(Kernels k, Layout layout, float[] x, int tokens, Matrix w, float[] bias, float[] out) {
        if (layout == Layout.OUT_IN) {
            k.linear(x, tokens, w, bias, out);
        } else {
            k.linearInOut(x, tokens, w, bias, out);
        }
    }

    /**
     * One to three tokens (a continuing pass) give each token's outputs the same bits as a call with many tokens:
     * a continued pass equals a whole one.
     */
    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "BF16", "F16"})
    void fewTokensGiveTheBitsOfManyTokens(DType dtype) {
        SplittableRandom random = new SplittableRandom(77);
        int many = 7;
        for (int[] shape : new int[][]{{64, 100}, {768, 200}, {96, 64}}) {
            int in = shape[0];
            int outDim = shape[1];
            for (Layout layout : Layout.values()) {
                Matrix w = layout == Layout.OUT_IN
                        ? TestMatrices.random(arena, dtype, outDim, in, 1, random)
                        : TestMatrices.random(arena, dtype, in, outDim, 1, random);
                float[] x = TestMatrices.random(many * in, random);
                // with and without a bias (an unembedding has none)
                float[] bias = in == 768 ? null : TestMatrices.random(outDim, random);
                for (VectorKernels k : new VectorKernels[] {vector1, vector2}) {
                    float[] all = new float[many * outDim];
                    run(k, layout, x, many, w, bias, all);
                    for (int tokens = 1; tokens <= 3; tokens++) {
                        for (int t0 = 0; t0 + tokens <= many; t0 += tokens) {
                            float[] part = new float[tokens * outDim];
                            run(k, layout, java.util.Arrays.copyOfRange(x, t0 * in, (t0 + tokens) * in), tokens, w,
                                    bias, part);
                            for (int i = 0; i < part.length; i++) {
                                assertEquals(Float.floatToIntBits(all[t0 * outDim + i]), Float.floatToIntBits(part[i]),
                                        layout + " " + dtype + " " + in + "->" + outDim + " tokens " + t0 + "+"
                                                + tokens + " output " + i);
                            }
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "BF16", "F16"})
    void panelGroupsEndingInAPartialPanel(DType dtype) {
        // 1000 columns = 15 panels of 64 + 40 (at 512-bit): groups of 4 panels, the last one partial
        SplittableRandom random = new SplittableRandom(33);
        Matrix w = TestMatrices.random(arena, dtype, 100, 1000, 1, random);
        float[] x = TestMatrices.random(17 * 100, random);
        compare(Layout.IN_OUT, x, 17, w, TestMatrices.random(1000, random), "17x100->1000 " + dtype);
        compare(Layout.IN_OUT, x, 17, w, null, "17x100->1000 " + dtype);
    }

    @Test
    void concurrentCallersGetTheirOwnResults() throws Exception {
        // several threads share one instance and its pool, as the engine's parallel attention does
        SplittableRandom random = new SplittableRandom(44);
        Matrix w = TestMatrices.random(arena, DType.BF16, 300, 257, 3, random);
        int callers = 4;
        float[][] xs = new float[callers][];
        float[][] expected = new float[callers][];
        for (int c = 0; c < callers; c++) {
            xs[c] = TestMatrices.random(9 * 300, random);
            expected[c] = new float[9 * 257];
            vector1.linearInOut(xs[c], 9, w, null, expected[c]);
        }
        java.util.concurrent.ExecutorService callersPool = java.util.concurrent.Executors.newFixedThreadPool(callers);
        try {
            java.util.List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
            for (int c = 0; c < callers; c++) {
                int id = c;
                results.add(callersPool.submit(() -> {
                    float[] out = new float[9 * 257];
                    for (int rep = 0; rep < 30; rep++) {
                        vector2.linearInOut(xs[id], 9, w, null, out);
                        if (!java.util.Arrays.equals(out, expected[id])) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (var r : results) {
                assertTrue(r.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
        } finally {
            callersPool.shutdownNow();
        }
    }

    @Test
    void bothLayoutsAgreeOnTheSameProduct() {
        // W stored [out][in] and its transpose stored [in][out] must give the same result
        SplittableRandom random = new SplittableRandom(7);
        int tokens = 9;
        int in = 70;
        int outDim = 150;
        Matrix w = TestMatrices.random(arena, DType.F32, outDim, in, 1, random);
        Matrix wt = TestMatrices.random(arena, DType.F32, in, outDim, 0, random);
        for (int o = 0; o < outDim; o++) {
            for (int i = 0; i < in; i++) {
                wt.data().setAtIndex(Layouts.F32, (long) i * outDim + o, w.get(o, i));
            }
        }
        float[] x = TestMatrices.random(tokens * in, random);
        float[] a = new float[tokens * outDim];
        float[] b = new float[tokens * outDim];
        vector2.linear(x, tokens, w, null, a);
        vector2.linearInOut(x, tokens, wt, null, b);
        for (int t = 0; t < tokens; t++) {
            for (int o = 0; o < outDim; o++) {
                double exact = 0;
                for (int i = 0; i < in; i++) {
                    exact += (double) x[t * in + i] * w.get(o, i);
                }
                assertEquals(exact, a[t * outDim + o], 1e-4, "linear");
                assertEquals(exact, b[t * outDim + o], 1e-4, "linearInOut");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 5, 15, 16, 17, 31, 32, 33, 100, 768, 1000})
    void dotAndAxpyMatchScalar(int n) {
        SplittableRandom random = new SplittableRandom(n);
        float[] a = TestMatrices.random(n + 5, random);
        float[] b = TestMatrices.random(n + 3, random);
        double exact = 0;
        for (int i = 0; i < n; i++) {
            exact += (double) a[i + 5] * b[i + 3];
        }
        assertEquals(exact, vector1.dot(a, 5, b, 3, n), 1e-5 * (n + 1));
        assertEquals(SCALAR.dot(a, 5, b, 3, n), vector1.dot(a, 5, b, 3, n), 1e-5 * (n + 1));

        float[] y1 = TestMatrices.random(n + 2, random);
        float[] y2 = y1.clone();
        SCALAR.axpy(0.75f, a, 5, y1, 2, n);
        vector1.axpy(0.75f, a, 5, y2, 2, n);
        for (int i = 0; i < n + 2; i++) {
            // one fused rounding against two: at most one ulp apart
            assertEquals(y1[i], y2[i], Math.ulp(Math.abs(y1[i])) * 2 + 1e-7f, "y[" + i + "]");
        }
    }

    @Test
    void weightsInAJavaArrayWork() {
        SplittableRandom random = new SplittableRandom(21);
        int tokens = 6;
        int in = 40;
        int outDim = 70;
        float[] values = TestMatrices.random(outDim * in, random);
        Matrix w = Matrix.ofFloats("array", values, outDim, in);
        assertEquals(values[3 * in + 5], w.get(3, 5));
        float[] x = TestMatrices.random(tokens * in, random);
        float[] expected = new float[tokens * outDim];
        float[] actual = new float[tokens * outDim];
        for (int t = 0; t < tokens; t++) {
            for (int o = 0; o < outDim; o++) {
                double sum = 0;
                for (int i = 0; i < in; i++) {
                    sum += (double) x[t * in + i] * values[o * in + i];
                }
                expected[t * outDim + o] = (float) sum;
            }
        }
        vector2.linear(x, tokens, w, null, actual);
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual, 1e-4f);
        vector2.linearInOut(x, tokens, Matrix.ofFloats("arrayT", values, in, outDim), null, actual);
        SCALAR.linearInOut(x, tokens, Matrix.ofFloats("arrayT", values, in, outDim), null, expected);
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual, 1e-4f);
    }

    @Test
    void rejectsBuffersThatAreTooSmall() {
        Matrix w = TestMatrices.random(arena, DType.F32, 4, 8, 0, new SplittableRandom(1));
        try {
            vector1.linear(new float[8], 2, w, null, new float[8]);
            throw new AssertionError("accepted x of 8 floats for 2 tokens x 8");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().contains("w4x8"), e.getMessage());
        }
    }
}
