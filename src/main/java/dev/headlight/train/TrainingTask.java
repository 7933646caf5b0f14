package dev.headlight.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Where training sequences come from, and the tokenizer that names their ids. */
public interface TrainingTask {

    /** "induction", "text", ... as written to training.json. */
    String name();

    /** One line for the log and the model card. */
    String description();

    int vocab();

    /** Both tasks' tokenizers put their one special token, {@code <|endoftext|>}, at id 0: it is BOS and EOS. */
    default int bosId() {
        return 0;
    }

    default int eosId() {
        return 0;
    }

    /** Ids that never appear in the standard probe (BOS/EOS and other special tokens). */
    default boolean isSpecial(int id) {
        return id == bosId() || id == eosId();
    }

    /**
     * Fills {@code seq[0..tokens]} with tokens + 1 ids (position i predicts seq[i + 1]) and {@code weights[0..tokens)}
     * with the loss weight of each prediction.
     */
    void sample(SplittableRandom random, int[] seq, float[] weights, int tokens);

    /** Whether the tokenizer puts BOS first (then the probe starts with it, as the analysis package's probe does). */
    default boolean addsBos() {
        return true;
    }

    /**
     * True where the context can predict seq[position + 1]: the bigram (seq[position], seq[position + 1]) occurred
     * earlier. The loss on these positions is the "in-context" loss that drops when induction heads form.
     */
    default boolean predictable(int[] seq, int position) {
        for (int j = 1; j <= position; j++) {
            if (seq[j - 1] == seq[position] && seq[j] == seq[position + 1]) {
                return true;
            }
        }
        return false;
    }

    /** Writes tokenizer.json and tokenizer_config.json into {@code folder}. */
    void writeTokenizer(Path folder) throws IOException;
}
