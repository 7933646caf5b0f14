package dev.headlight.analysis;

import dev.headlight.format.tokenizer.Tokenizer;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;

/**
 * The probes: random ordinary tokens (never special tokens) repeated, after the model's BOS when its tokenizer adds
 * one, so a duplicate-token head finds each token's earlier occurrences and an induction head the token after them,
 * whatever the prompt contains. Seeded with {@link SplittableRandom}, so a seed gives the same probe on every
 * machine.
 * <ul>
 *   <li>The standard (multi-period) probe, which head kinds are read from: one sequence per period of
 *       {@link #PERIODS}, each {@code period} distinct random tokens repeated cyclically to
 *       {@link #MULTI_PERIOD_TOKENS} tokens (fewer when the model's context is shorter; a period that does not
 *       repeat at least once within the context is left out). Averaging over several periods keeps a head that
 *       always looks a fixed number of tokens back from scoring as an induction head.</li>
 *   <li>The single-period probe {@link #ids(int, IntPredicate, int, long, int)} (the sequence twice), which the
 *       trainer records per checkpoint.</li>
 * </ul>
 */
public final class Probe {
    /** The periods of the standard probe. */
    public static final int[] PERIODS = {8, 11, 15, 20};
    /** Tokens of each standard probe sequence after BOS (three repeats of the longest period). */
    public static final int MULTI_PERIOD_TOKENS = 60;

    private Probe() {
    }

    /** One sequence of the standard probe. */
    public record Periodic(int period, int[] ids) {
    }

    /**
     * The standard probe's sequences for {@code model} (periods that fit its context), each seeded from {@code seed}
     * and its period.
     */
    public static java.util.List<Periodic> multiPeriod(dev.headlight.engine.Model model, long seed, int[] periods) {
        Tokenizer tokenizer = model.hasTokenizer() ? model.tokenizer() : null;
        int vocab = tokenizer == null ? model.info().vocab() : Math.min(model.info().vocab(), tokenizer.vocabSize());
        IntPredicate ordinary = id -> tokenizer == null
                || !(tokenizer.isSpecial(id) || tokenizer.idToToken(id) == null);
        int bos = tokenizer == null ? -1 : tokenizer.bosTokenId();
        int context = model.info().maxPositions() > 0 ? model.info().maxPositions() : Integer.MAX_VALUE;
        int tokens = Math.min(MULTI_PERIOD_TOKENS, context - (bos >= 0 ? 1 : 0));
        java.util.List<Periodic> out = new java.util.ArrayList<>();
        for (int period : periods) {
            if (period + 1 <= tokens) {
                out.add(new Periodic(period, periodic(vocab, ordinary, bos, seed + 1_000_003L * period, period,
                        tokens)));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("the model's context of " + context + " positions is too short for "
                    + "a probe period of " + java.util.Arrays.stream(periods).min().orElse(0));
        }
        return out;
    }

    /**
     * {@code period} distinct random ordinary ids repeated cyclically to {@code tokens} ids, after {@code bos} when it
     * is not negative.
     */
    public static int[] periodic(int vocab, IntPredicate ordinary, int bos, long seed, int period, int tokens) {
        int[] twice = ids(vocab, ordinary, -1, seed, period);
        int offset = bos >= 0 ? 1 : 0;
        int[] out = new int[offset + tokens];
        if (bos >= 0) {
            out[0] = bos;
        }
        for (int i = 0; i < tokens; i++) {
            out[offset + i] = twice[i % period];
        }
        return out;
    }

    /**
     * The probe ids for {@code model}; a folder without tokenizer.json gets random ids of its whole vocabulary and
     * no BOS (nothing tells which ids are special).
     */
    public static int[] ids(dev.headlight.engine.Model model, long seed, int repeatLength) {
        if (model.hasTokenizer()) {
            return ids(model.tokenizer(), model.info().vocab(), seed, repeatLength);
        }
        return ids(null, model.info().vocab(), seed, repeatLength);
    }

    /** The probe ids for a model with {@code modelVocab} embedding rows ({@code tokenizer} may be null). */
    public static int[] ids(Tokenizer tokenizer, int modelVocab, long seed, int repeatLength) {
        int vocab = tokenizer == null ? modelVocab : Math.min(modelVocab, tokenizer.vocabSize());
        IntPredicate ordinary = id -> tokenizer == null
                || !(tokenizer.isSpecial(id) || tokenizer.idToToken(id) == null);
        return ids(vocab, ordinary, tokenizer == null ? -1 : tokenizer.bosTokenId(), seed, repeatLength);
    }

    /**
     * The probe ids drawn from ids {@code [0, vocab)} that are {@code ordinary}, after {@code bos} when it is not
     * negative: the one definition, also used by the trainer (whose tasks name their special ids without a
     * tokenizer).
     */
    public static int[] ids(int vocab, IntPredicate ordinary, int bos, long seed, int repeatLength) {
        SplittableRandom random = new SplittableRandom(seed);
        Set<Integer> used = new HashSet<>();
        int[] half = new int[repeatLength];
        int filled = 0;
        int attempts = 0;
        while (filled < repeatLength) {
            if (++attempts > 100 * repeatLength + 10_000) {
                throw new IllegalArgumentException("the vocabulary has fewer than " + repeatLength
                        + " ordinary tokens for the probe");
            }
            int id = random.nextInt(vocab);
            boolean unusable = !ordinary.test(id);
            if (unusable || !used.add(id)) {
                continue;
            }
            half[filled++] = id;
        }
        int offset = bos >= 0 ? 1 : 0;
        int[] out = new int[offset + 2 * repeatLength];
        if (bos >= 0) {
            out[0] = bos;
        }
        System.arraycopy(half, 0, out, offset, repeatLength);
        System.arraycopy(half, 0, out, offset + repeatLength, repeatLength);
        return out;
    }
}
