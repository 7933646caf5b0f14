package dev.headlight.engine.kernel.bench;

import dev.headlight.engine.kernel.Kernels;
import dev.headlight.engine.kernel.VectorKernels;

import java.util.SplittableRandom;

/**
 * Causal attention of one GPT-2-small layer (12 heads, head dim 64, 128 tokens, q/k/v in one [tokens][3*768]
 * buffer), two ways: per (query, key) pair with dot + axpy, and per head with gemmTransposed + gemm. Also
 * gelu over a [128][3072] MLP activation: Kernels.geluTanh against a Math.tanh loop. Best of many runs, caller
 * thread plus the kernels' own pool. Arguments: [threads] (default 2).
 */
public final class AttentionSpeed {
    private AttentionSpeed() {
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        Kernels k = new VectorKernels(threads);
        k.warmUp();
        int tokens = 128;
        int heads = 12;
        int hd = 64;
        int d = heads * hd;
        float scale = 1f / (float) Math.sqrt(hd);
        SplittableRandom random = new SplittableRandom(1);
        float[] qkv = new float[tokens * 3 * d];          // [token][q | k | v][head][hd]
        for (int i = 0; i < qkv.length; i++) {
            qkv[i] = (float) random.nextGaussian();
        }
        float[] out = new float[tokens * d];              // [token][head][hd]
        float[] scores = new float[tokens * tokens];      // [query][key] of one head
        long bestPairs = Long.MAX_VALUE;
        long bestGemm = Long.MAX_VALUE;
        for (int rep = 0; rep < 30; rep++) {
            long t0 = System.nanoTime();
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < tokens; i++) {
                    int row = i * tokens;
                    for (int j = 0; j <= i; j++) {
                        scores[row + j] = k.dot(qkv, i * 3 * d + h * hd, qkv, j * 3 * d + d + h * hd, hd) * scale;
                    }
                    k.softmax(scores, row, row + i + 1);
                    java.util.Arrays.fill(out, i * d + h * hd, i * d + h * hd + hd, 0f);
                    for (int j = 0; j <= i; j++) {
                        k.axpy(scores[row + j], qkv, j * 3 * d + 2 * d + h * hd, out, i * d + h * hd, hd);
                    }
                }
            }
            long t1 = System.nanoTime();
            for (int h = 0; h < heads; h++) {
                // all scores (the upper triangle is computed and then masked: 4x4 tiles make that cheap)
                k.gemmTransposed(tokens, tokens, hd, scale, qkv, h * hd, 3 * d, qkv, d + h * hd, 3 * d, scores, 0,
                        tokens);
                for (int i = 0; i < tokens; i++) {
                    java.util.Arrays.fill(scores, i * tokens + i + 1, (i + 1) * tokens, 0f);
                    k.softmax(scores, i * tokens, i * tokens + i + 1);
                }
                k.gemm(tokens, hd, tokens, scores, 0, tokens, qkv, 2 * d + h * hd, 3 * d, out, h * hd, d);
            }
            long t2 = System.nanoTime();
            if (Boolean.getBoolean("parts")) {
                long a0 = System.nanoTime();
                for (int h = 0; h < heads; h++) {
                    k.gemmTransposed(tokens, tokens, hd, scale, qkv, h * hd, 3 * d, qkv, d + h * hd, 3 * d, scores, 0,
                            tokens);
                }
                long a1 = System.nanoTime();
                for (int h = 0; h < heads; h++) {
                    for (int i = 0; i < tokens; i++) {
                        k.softmax(scores, i * tokens, i * tokens + i + 1);
                    }
                }
                long a2 = System.nanoTime();
                for (int h = 0; h < heads; h++) {
                    k.gemm(tokens, hd, tokens, scores, 0, tokens, qkv, 2 * d + h * hd, 3 * d, out, h * hd, d);
                }
                long a3 = System.nanoTime();
                System.out.printf("parts: scores %.2f softmax %.2f pv %.2f ms%n", (a1 - a0) / 1e6, (a2 - a1) / 1e6,
                        (a3 - a2) / 1e6);
            }
            bestPairs = Math.min(bestPairs, t1 - t0);
            bestGemm = Math.min(bestGemm, t2 - t1);
        }
        System.out.printf("attention, 1 layer (12 heads x 128 tokens): dot/axpy per pair %.2f ms, "
                + "gemm per head %.2f ms%n", bestPairs / 1e6, bestGemm / 1e6);

        float[] act = new float[tokens * 3072];
        long bestVector = Long.MAX_VALUE;
        long bestScalar = Long.MAX_VALUE;
        for (int rep = 0; rep < 20; rep++) {
            for (int i = 0; i < act.length; i++) {
                act[i] = (i % 1000) * 0.006f - 3f;
            }
            long t0 = System.nanoTime();
            k.geluTanh(act, 0, act.length);
            long t1 = System.nanoTime();
            for (int i = 0; i < act.length; i++) {
                double v = (i % 1000) * 0.006f - 3f;
                act[i] = (float) (0.5 * v * (1.0 + Math.tanh(Math.sqrt(2.0 / Math.PI) * (v + 0.044715 * v * v * v))));
            }
            long t2 = System.nanoTime();
            bestVector = Math.min(bestVector, t1 - t0);
            bestScalar = Math.min(bestScalar, t2 - t1);
        }
        System.out.printf("gelu_new on [128][3072]: Kernels.geluTanh %.2f ms, Math.tanh loop %.2f ms%n",
                bestVector / 1e6, bestScalar / 1e6);
    }
}
