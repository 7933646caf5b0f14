package dev.headlight.analysis;

import dev.headlight.engine.Model;
import dev.headlight.engine.RunOptions;
import dev.headlight.engine.Trace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The block-by-block lens (online softmax, running top-k, counted rank) against the plain computation: the whole
 * output head applied to each residual row, then a full log-softmax, sort and count.
 */
class BlockedLensTest {

    @ParameterizedTest
    @ValueSource(strings = {"gpt2-tiny", "llama-tiny", "llama-tiny-bf16-sharded", "gemma2-tiny", "bert-tiny",
            "gpt-neox-tiny", "phi3-tiny", "qwen2-tiny", "qwen3-tiny"})
    void blocksOfAnySizeGiveThePlainLens(String name) {
        int[] ids = Fixtures.referenceIds(name);
        try (Model model = Model.open(Fixtures.model(name))) {
            Trace trace = model.run(ids, RunOptions.display());
            // vocabulary 1000: one block, blocks of 64 (a partial last block) and of 7; chunks of 5 cells
            for (int[] blockAndChunk : new int[][]{{2048, 0}, {64, 0}, {7, 5}}) {
                LogitLens lens = LogitLens.compute(model, trace, 6, null, null, null, blockAndChunk[0],
                        blockAndChunk[1]);
                assertMatchesPlainLens(model, trace, lens, name + " block " + blockAndChunk[0]);
            }
        }
    }

    @Test
    void unembeddingInBlocksEqualsTheOutputHead() {
        try (Model model = Model.open(Fixtures.model("gemma2-tiny"))) { // with a final soft-cap
            Trace trace = model.run(Fixtures.referenceIds("gemma2-tiny"), RunOptions.display());
            int tokens = trace.tokens();
            int vocab = trace.vocab();
            float[] last = Arrays.copyOfRange(trace.residual(), trace.residualOffset(trace.layers(), 0),
                    trace.residualOffset(trace.layers(), 0) + tokens * trace.hidden());
            float[] whole = model.outputHead(last, tokens);                         // [T][V]
            float[] readout = model.readout(last, tokens);
            float[] block = new float[tokens * 300];
            model.unembed(readout, tokens, 600, 900, block);                        // [T][300]
            for (int t = 0; t < tokens; t++) {
                for (int v = 0; v < 300; v++) {
                    assertEquals(whole[t * vocab + 600 + v], block[t * 300 + v], 1e-5f);
                }
            }
            assertThrows(IllegalArgumentException.class, () -> model.unembed(readout, tokens, 900, vocab + 1, block));
        }
    }

    @Test
    void typingAtTheEndReusesTheCellsWhoseInputDidNotChange() {
        try (Model model = Model.open(Fixtures.model("gpt2-tiny"))) {
            int[] ids = Fixtures.referenceIds("gpt2-tiny");
            int[] shorter = Arrays.copyOf(ids, ids.length - 1);
            Trace before = model.run(shorter, RunOptions.display());
            LogitLens first = LogitLens.compute(model, before, 5, null);
            Trace after = model.run(ids, RunOptions.display());
            LogitLens reused = LogitLens.compute(model, after, 5, null, new LogitLens.Earlier(model, before, first));
            LogitLens fresh = LogitLens.compute(model, after, 5, null);
            int copied = 0;
            for (int row = 0; row < reused.rows(); row++) {
                for (int t = 0; t < ids.length; t++) {
                    assertArrayEquals(fresh.topIds()[row][t], reused.topIds()[row][t]);
                    assertArrayEquals(fresh.topProbs()[row][t], reused.topProbs()[row][t], 1e-6f);
                    assertEquals(fresh.targetRank()[row][t], reused.targetRank()[row][t]);
                    assertEquals(fresh.targetProb()[row][t], reused.targetProb()[row][t], 1e-6f);
                    int vocab = after.vocab();
                    // rows below the last: the same residual vector; the last row: the same logits
                    boolean inputSame = t < shorter.length - 1 && (row < reused.layers()
                            ? Arrays.equals(after.residual(), after.residualOffset(row, t),
                            after.residualOffset(row, t) + after.hidden(), before.residual(),
                            before.residualOffset(row, t), before.residualOffset(row, t) + before.hidden())
                            : Arrays.equals(after.logits(), t * vocab, (t + 1) * vocab, before.logits(), t * vocab,
                            (t + 1) * vocab));
                    if (inputSame) {
                        assertSame(first.topIds()[row][t], reused.topIds()[row][t]);
                        copied++;
                    } else {
                        assertNotSame(first.topIds()[row][Math.min(t, shorter.length - 1)], reused.topIds()[row][t]);
                    }
                }
            }
            // causal: every earlier position's residual is unchanged, except where rounding differs by tile
            assertEquals(true, copied >= (shorter.length - 1) * reused.layers() / 2, "copied " + copied);
            // a pass continuing the shorter one copies the logits of the shared positions: the lens copies the last
            // row's cells of all but the position whose target changed, and they equal the ones computed anew
            Trace continued = model.run(ids, RunOptions.display().withContinuation(model.run(shorter,
                    RunOptions.display().withContinuation(null))));
            LogitLens continuedLens = LogitLens.compute(model, continued, 5, null,
                    new LogitLens.Earlier(model, before, first));
            LogitLens continuedFresh = LogitLens.compute(model, continued, 5, null);
            int last = reused.layers();
            for (int t = 0; t < ids.length; t++) {
                assertArrayEquals(continuedFresh.topIds()[last][t], continuedLens.topIds()[last][t]);
                assertEquals(continuedFresh.targetRank()[last][t], continuedLens.targetRank()[last][t]);
                assertEquals(continuedFresh.targetProb()[last][t], continuedLens.targetProb()[last][t]);
                if (t < shorter.length - 1) {
                    assertSame(first.topIds()[last][t], continuedLens.topIds()[last][t], "copied at " + t);
                }
            }
            // a different model never lends its cells
            try (Model other = Model.open(Fixtures.model("gpt2-tiny"))) {
                LogitLens notReused = LogitLens.compute(model, after, 5, null, new LogitLens.Earlier(other, before, first));
                assertNotSame(first.topIds()[0][0], notReused.topIds()[0][0]);
            }
        }
    }

    /** Top-k ids (value order, ties by id), probabilities, target rank and probability from full log-softmaxes. */
    private static void assertMatchesPlainLens(Model model, Trace trace, LogitLens lens, String what) {
        int tokens = trace.tokens();
        int vocab = trace.vocab();
        int[] targets = LogitLens.targets(trace.inputIds(), model.info().causal());
        float[] logProbs = fullLogProbs(model, trace); // [L+1][T][V]
        for (int row = 0; row < lens.rows(); row++) {
            for (int t = 0; t < tokens; t++) {
                int base = (row * tokens + t) * vocab;
                Integer[] order = new Integer[vocab];
                for (int v = 0; v < vocab; v++) {
                    order[v] = v;
                }
                final int b = base;
                Arrays.sort(order, (x, y) -> logProbs[b + x] != logProbs[b + y]
                        ? Float.compare(logProbs[b + y], logProbs[b + x]) : Integer.compare(x, y));
                String cell = what + " row " + row + " token " + t;
                for (int i = 0; i < lens.k(); i++) {
                    assertEquals(order[i], lens.topIds()[row][t][i], cell + " rank " + (i + 1));
                    assertEquals(Math.exp(logProbs[base + order[i]]), lens.topProbs()[row][t][i], 1e-5, cell);
                }
                if (targets[t] >= 0) {
                    float lt = logProbs[base + targets[t]];
                    int better = 0;
                    for (int v = 0; v < vocab; v++) {
                        better += logProbs[base + v] > lt ? 1 : 0;
                    }
                    assertEquals(better + 1, lens.targetRank()[row][t], cell + " target rank");
                    assertEquals(Math.exp(lt), lens.targetProb()[row][t], 1e-5, cell + " target prob");
                } else {
                    assertEquals(0, lens.targetRank()[row][t]);
                }
            }
        }
    }

    /** The output head on every row of the residual stream, then a full log-softmax: // [L+1][T][V]. */
    private static float[] fullLogProbs(Model model, Trace trace) {
        int tokens = trace.tokens();
        int hidden = trace.hidden();
        int vocab = trace.vocab();
        float[] out = new float[(trace.layers() + 1) * tokens * vocab];
        for (int layer = 0; layer <= trace.layers(); layer++) {
            int from = trace.residualOffset(layer, 0);
            float[] logits = model.outputHead(Arrays.copyOfRange(trace.residual(), from, from + tokens * hidden), tokens);
            for (int t = 0; t < tokens; t++) {
                LogitLens.logSoftmax(logits, t * vocab, vocab, out, (layer * tokens + t) * vocab);
            }
        }
        return out;
    }
}
