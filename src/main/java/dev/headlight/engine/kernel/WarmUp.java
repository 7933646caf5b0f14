package dev.headlight.engine.kernel;

import dev.headlight.format.safetensors.DType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * Runs each kernel path on small data until the JIT has compiled it; see {@link Kernels#warmUp()}. A fixed
 * number of rounds is not enough: the optimizing compiler works in the background and, with the Vector API,
 * code it has not finished yet runs ~100x slower. So each dtype repeats rounds until three in a row run at a
 * speed only compiled code reaches, with a time cap for a machine too loaded to tell.
 */
final class WarmUp {
    /**
     * Shapes chosen to hit full tiles and every edge: tokens % 4, in % 16, out % 64 all non-zero; 23 tokens run
     * the 6-, 4- and 1-token tiles of VectorKernels (19 skipped the 4-token tile: the first 128-token pass then ran
     * it interpreted, ~10x slower); in above its K block (256), so the JIT sees the loop over K blocks turn.
     */
    private static final int TOKENS = 23;
    private static final int IN = 300;
    private static final int OUT = 230;
    /** An input width of whole vectors at 128, 256 and 512 bits, below {@link #IN}. */
    private static final int WHOLE_IN = 288;
    /** An output width of whole panels (4 vectors of 512 bits), below {@link #OUT}: linearInOut's in-place path. */
    private static final int WHOLE_OUT = 192;
    /** Tokens for linear's panel paths (VectorKernels: 64 tokens per panel, then a half panel of 32). */
    private static final int WIDE_TOKENS = 96;
    private static final int MIN_ROUNDS = 20;
    static final long CAP_NANOS = 8_000_000_000L;
    /** The background warm-up waits until no real call has come for this long (a pass calls every few ms). */
    static final long QUIET_NANOS = 150_000_000L;
    /** Set on a thread while it runs the warm-up, so its own calls do not count as real work. */
    private static final ThreadLocal<Boolean> WARMING = ThreadLocal.withInitial(() -> false);

    private WarmUp() {
    }

    static void run(Kernels k) {
        run(k, CAP_NANOS, () -> false);
    }

    static void run(Kernels k, long capNanos) {
        run(k, capNanos, () -> false);
    }

    /**
     * As {@link #run(Kernels)} with a time cap of {@code capNanos} for the matmul rounds, waiting between rounds
     * while {@code paused} says so (a real pass is running: the warm-up would take half its cores, and its own
     * rounds, too slow to count as compiled, would run on to the cap). Paused time does not count towards the cap.
     */
    static void run(Kernels k, long capNanos, BooleanSupplier paused) {
        WARMING.set(true);
        try {
            warm(k, capNanos, paused);
        } finally {
            WARMING.set(false);
        }
    }

    /** Whether the calling thread is running the warm-up. */
    static boolean onThisThread() {
        return WARMING.get();
    }

    private static void warm(Kernels k, long capNanos, BooleanSupplier paused) {
        // multiply-adds per second that interpreted or C1-compiled code never reaches
        double compiledSpeed = k.name().startsWith("vector") ? 4e9 : 2e8;
        boolean trace = Boolean.getBoolean("headlight.warmup.trace");
        SplittableRandom random = new SplittableRandom(42);
        float[] x = new float[TOKENS * IN];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        float[] bias = new float[OUT];
        float[] out = new float[TOKENS * OUT];
        float[] xWide = new float[WIDE_TOKENS * IN];
        for (int i = 0; i < xWide.length; i++) {
            xWide[i] = x[i % x.length];
        }
        float[] outWide = new float[WIDE_TOKENS * OUT];
        long start = System.nanoTime();
        long roundMultiplyAdds = 2L * (TOKENS + 1) * IN * OUT + 2L * WHOLE_IN * OUT;
        try (Arena arena = Arena.ofShared()) {
            // First the paths a keystroke takes (a pass continuing the prompt by one to three tokens: single-token
            // tiles, whole-vector rows): the window's first pass has just run the whole-prompt paths on the real model, and
            // the user's first keystroke should not meet the few-token ones uncompiled (it cost ~1.4 s).
            for (DType dtype : new DType[] {DType.F32, DType.BF16}) {
                MemorySegment data = arena.allocate((long) IN * OUT * dtype.byteSize(), 8);
                for (long i = 0; i < data.byteSize(); i += 2) {
                    data.set(Layouts.I16, i, (short) (0x3c00 | random.nextInt(0x100)));
                }
                Matrix outInWhole = new Matrix("warm-up", dtype, OUT, WHOLE_IN,
                        data.asSlice(0, (long) OUT * WHOLE_IN * dtype.byteSize()));
                Matrix inOutWhole = new Matrix("warm-up", dtype, IN, WHOLE_OUT,
                        data.asSlice(0, (long) IN * WHOLE_OUT * dtype.byteSize()));
                long fewMultiplyAdds = 3L * WHOLE_IN * OUT + 3L * IN * WHOLE_OUT;
                int fastRounds = 0;
                for (int r = 0; (r < MIN_ROUNDS || fastRounds < 3) && System.nanoTime() - start < capNanos; r++) {
                    start += waitWhile(paused);
                    long t0 = System.nanoTime();
                    k.linear(x, 1, outInWhole, r % 2 == 0 ? null : bias, out);
                    k.linear(x, 2, outInWhole, bias, out);
                    k.linearInOut(x, 1, inOutWhole, bias, out);
                    k.linearInOut(x, 2, inOutWhole, r % 2 == 0 ? null : bias, out);
                    long nanos = System.nanoTime() - t0;
                    fastRounds = fewMultiplyAdds / (nanos * 1e-9) >= compiledSpeed ? fastRounds + 1 : 0;
                    if (trace) {
                        System.err.printf("warm-up %s %s few-token round %d: %.3f ms%n", k.name(), dtype, r,
                                nanos / 1e6);
                    }
                }
            }
            for (DType dtype : new DType[] {DType.F32, DType.BF16, DType.F16}) {
                long bytes = (long) IN * OUT * dtype.byteSize();
                MemorySegment data = arena.allocate(bytes, 8);
                for (long i = 0; i < bytes; i += 2) {
                    // small normal numbers in either 16-bit format and, read in pairs, in float32
                    data.set(Layouts.I16, i, (short) (0x3c00 | random.nextInt(0x100)));
                }
                Matrix outIn = new Matrix("warm-up", dtype, OUT, IN, data);
                Matrix inOut = new Matrix("warm-up", dtype, IN, OUT, data);
                // rows of whole vectors, as most models have them
                Matrix outInWhole = new Matrix("warm-up", dtype, OUT, WHOLE_IN,
                        data.asSlice(0, (long) OUT * WHOLE_IN * dtype.byteSize()));
                int fastRounds = 0;
                for (int r = 0; (r < MIN_ROUNDS || fastRounds < 3) && System.nanoTime() - start < capNanos; r++) {
                    start += waitWhile(paused);
                    long t0 = System.nanoTime();
                    k.linear(x, TOKENS, outIn, bias, out);
                    k.linearInOut(x, TOKENS, inOut, r % 2 == 0 ? null : bias, out);
                    k.linear(x, 1, outIn, null, out);
                    k.linearInOut(x, 1, inOut, bias, out);
                    k.linear(x, 2, outInWhole, bias, out);
                    long nanos = System.nanoTime() - t0;
                    fastRounds = roundMultiplyAdds / (nanos * 1e-9) >= compiledSpeed ? fastRounds + 1 : 0;
                    if (trace) {
                        System.err.printf("warm-up %s %s round %d: %.3f ms%n", k.name(), dtype, r, nanos / 1e6);
                    }
                }
                if (dtype == DType.F32) {
                    // linear's paths for a whole and a half panel of tokens (64 + 32), e.g. the unembedding
                    for (int r = 0; r < 20 && System.nanoTime() - start < capNanos; r++) {
                        start += waitWhile(paused);
                        k.linear(xWide, WIDE_TOKENS, outIn, bias, outWide);
                    }
                }
            }
        }
        // attention-sized strided products: scores of one head (Q.K^T) and its output (P.V), head dim 64
        int t = 37;
        int hd = 64;
        float[] qkv = new float[t * 3 * hd];
        float[] scores = new float[t * t];
        float[] heads = new float[t * (hd + 3)];
        for (int i = 0; i < qkv.length; i++) {
            qkv[i] = (float) random.nextGaussian();
        }
        long attentionStart = System.nanoTime();
        for (int r = 0; r < 400 && System.nanoTime() - attentionStart < capNanos / 4; r++) {
            if (r % 20 == 0) {
                attentionStart += waitWhile(paused);
            }
            k.gemmTransposed(t, t, hd, 0.125f, qkv, 0, 3 * hd, qkv, hd, 3 * hd, scores, 0, t);
            k.gemm(t, hd + 3, t, scores, 0, t, qkv, 2 * hd - 3, 3 * hd, heads, 0, hd + 3);
        }
        waitWhile(paused);
        float[] act = new float[3000];
        for (int r = 0; r < 300; r++) {
            for (int i = 0; i < act.length; i++) {
                act[i] = (i % 97) * 0.05f - 2f;
            }
            k.geluTanh(act, 0, act.length - r % 5);
            k.silu(act, 0, act.length - r % 3);
            k.softmax(act, r % 7, 1000 + r);
        }
        float sink = 0;
        for (int r = 0; r < 5000; r++) {
            sink += k.dot(x, r % 7, x, 11, IN + r % 5);
            k.axpy(1e-3f, x, r % 3, out, 5, IN + r % 5);
        }
        if (Float.isNaN(sink) && out[0] == 12345f) {
            // keeps the loop observable to the JIT; never true for these inputs
            throw new AssertionError();
        }
    }

    /** Sleeps while {@code paused} is true; returns the nanoseconds waited. */
    private static long waitWhile(BooleanSupplier paused) {
        long t0 = System.nanoTime();
        while (paused.getAsBoolean()) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return System.nanoTime() - t0;
    }
}
