package dev.headlight.train;

import dev.headlight.format.tokenizer.TokenizerFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Synthetic sequences where only content tells where to look. Id 0 is BOS; ids 1..symbols are single characters
 * (A-Z, a-z, 0-9), so a prompt like "KxQ7KxQ7" is readable and tokenizes to one id per character.
 *
 * <p>Two kinds of sequence, half each:
 * <ul>
 * <li>periodic: a random segment of random length (4 .. half the context) repeated until the context is full;
 *     the standard probe (one random segment repeated twice) is the case where the length is half the context.
 *     Because the period changes from sequence to sequence, no fixed positional offset predicts the next token.</li>
 * <li>scattered copies: random tokens in which several random segments of length 4-12 are copied later at random
 *     distances.</li>
 * </ul>
 * The loss covers every position (random tokens simply cannot be predicted), so the curve shows the plateau and the
 * drop when the induction circuit forms.
 */
public final class InductionTask implements TrainingTask {
    public static final String SYMBOLS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    public static final String BOS = "<|endoftext|>";

    private final int symbols;

    public InductionTask(int symbols) {
        if (symbols < 4 || symbols > SYMBOLS.length()) {
            throw new IllegalArgumentException("induction symbols must be 4.." + SYMBOLS.length());
        }
        this.symbols = symbols;
    }

    public InductionTask() {
        this(SYMBOLS.length());
    }

    @Override
    public String name() {
        return "induction";
    }

    @Override
    public String description() {
        return "synthetic: random segments of " + symbols + " symbols repeated at varying offsets (periodic "
                + "sequences and scattered copies of length 4-12)";
    }

    @Override
    public int vocab() {
        return symbols + 1;
    }

    private int randomSymbol(SplittableRandom r) {
        return 1 + r.nextInt(symbols);
    }

    @Override
    public void sample(SplittableRandom r, int[] seq, float[] weights, int tokens) {
        int n = tokens + 1;
        seq[0] = 0;
        if (r.nextBoolean()) {
            int maxPeriod = Math.max(4, (n - 1) / 2);
            int period = 4 + r.nextInt(maxPeriod - 3);
            for (int i = 1; i < n; i++) {
                seq[i] = i <= period ? randomSymbol(r) : seq[i - period];
            }
        } else {
            for (int i = 1; i < n; i++) {
                seq[i] = randomSymbol(r);
            }
            int copies = 1 + (n - 1) / 16;
            for (int c = 0; c < copies; c++) {
                int len = Math.min(4 + r.nextInt(9), (n - 1) / 2);
                int source = 1 + r.nextInt(n - 2 * len);
                int earliest = source + len;
                int target = earliest + r.nextInt(n - len - earliest + 1);
                System.arraycopy(seq, source, seq, target, len);
            }
        }
        java.util.Arrays.fill(weights, 0, tokens, 1f);
    }

    @Override
    public void writeTokenizer(Path folder) throws IOException {
        String[] vocab = new String[vocab()];
        vocab[0] = BOS;
        for (int i = 0; i < symbols; i++) {
            vocab[i + 1] = String.valueOf(SYMBOLS.charAt(i));
        }
        TokenizerFiles.writeCharacterTokenizer(folder, vocab, BOS);
    }
}
