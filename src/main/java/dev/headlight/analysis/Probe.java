package dev.headlight.analysis;

import dev.headlight.format.tokenizer.Tokenizer;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;

/**
 * The standard probe: {@code repeatLength} distinct random ordinary tokens (never special tokens), the same
 * sequence twice, after the model's BOS when its tokenizer adds one. In the second half a duplicate-token head
 * finds each token's first occurrence and an induction head the token after it, whatever the prompt contains.
 * Seeded with {@link SplittableRandom}, so a seed gives the same probe on every machine.
 */
public final class Probe {
    private Probe() {
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
