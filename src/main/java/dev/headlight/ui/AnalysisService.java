package dev.headlight.ui;

import dev.headlight.library.ModelNames;

import dev.headlight.analysis.LogitLens;
import dev.headlight.engine.Model;
import dev.headlight.engine.RunOptions;
import dev.headlight.engine.Trace;
import dev.headlight.format.tokenizer.Encoding;
import dev.headlight.format.tokenizer.Tokenizer;
import javafx.concurrent.Service;
import javafx.concurrent.Task;

import java.util.concurrent.CancellationException;

/**
 * Runs the model on the prompt, then the logit lens and head features, in one restartable task. Restarting
 * cancels the pass in flight: the engine polls {@link Task#isCancelled()} between layers. The lens copies the
 * cells of the previous prompt whose residual vectors did not change (typing at the end of a causal model's
 * prompt recomputes only the last positions), and so does the pass: it continues the previous one from the
 * first token that changed ({@link RunOptions#withContinuation}).
 */
public final class AnalysisService extends Service<Analysis> {
    private volatile Model model;
    private volatile String prompt = "";
    private volatile long attentionBudget = RunOptions.defaultAttentionBudget(); // bytes, see RunOptions
    /** The last lens finished, with its model and trace: cells whose input is unchanged are copied from it. */
    private volatile LogitLens.Earlier lastLens;
    /** The last finished pass with its keys and values: the next pass computes only the positions after the part
     * of the prompt that did not change. */
    private volatile Trace lastTrace;

    public void configure(Model model, String prompt) {
        if (model != this.model) {
            lastLens = null; // let the previous model's traces go: nothing of them can be reused
            lastTrace = null;
        }
        this.model = model;
        this.prompt = prompt;
    }

    /** The attention memory budget of the next passes, in bytes. */
    public void setAttentionBudget(long bytes) {
        this.attentionBudget = bytes;
    }

    /** The model's tokenizer, or null for a folder without tokenizer.json (the prompt is then token ids). */
    static Tokenizer tokenizerOrNull(Model m) {
        try {
            return m.tokenizer();
        } catch (dev.headlight.format.FormatException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** "464 3290 3332" as ids, for models without a tokenizer. */
    static int[] parseIds(String text, int vocab) {
        String trimmed = text.trim();
        if (trimmed.isEmpty()) {
            return new int[0];
        }
        String[] parts = trimmed.split("[\\s,]+");
        int[] ids = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                ids[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("This model folder has no tokenizer.json: type token ids "
                        + "separated by spaces (\"" + parts[i] + "\" is not a number).");
            }
            if (ids[i] < 0 || (vocab > 0 && ids[i] >= vocab)) {
                throw new IllegalArgumentException("Token id " + ids[i] + " is outside the vocabulary (0–"
                        + (vocab - 1) + ").");
            }
        }
        return ids;
    }

    @Override
    protected Task<Analysis> createTask() {
        Model m = model;
        String text = prompt;
        long budget = attentionBudget;
        return new Task<>() {
            @Override
            protected Analysis call() {
                return analyse(m, text, this);
            }

            private Analysis analyse(Model m, String text, Task<?> task) {
                long start = System.nanoTime();
                Tokenizer tokenizer = tokenizerOrNull(m);
                Encoding encoding = tokenizer != null ? tokenizer.encode(text) : null;
                var lost = tokenizer != null ? tokenizer.lostCharacters(text)
                        : java.util.List.<dev.headlight.format.tokenizer.LostCharacters>of();
                int[] ids = tokenizer != null ? encoding.ids() : parseIds(text, m.info().vocab());
                if (ids.length == 0) {
                    return null;
                }
                int max = m.info().maxPositions();
                if (max > 0 && ids.length > max) {
                    throw new IllegalArgumentException("The prompt has " + ids.length + " tokens; "
                            + ModelNames.displayName(m.info().folder()) + " reads at most " + max + ".");
                }
                int layers = m.info().layers();
                // layers of the pass, then one step for the lens, as progress
                RunOptions options = RunOptions.display().withAttentionBudget(budget)
                        .withContinuation(lastTrace)
                        .withCancellation(this::isCancelled)
                        .withProgress((done, total) -> updateProgress(done, total + 1L));
                long passStart = System.nanoTime();
                Trace trace = m.run(ids, options);
                long passNanos = System.nanoTime() - passStart;
                if (isCancelled()) {
                    throw new CancellationException();
                }
                lastTrace = trace;
                HeadFeatures features = ScoredHeads.compute(trace.attentions(), ids, m.info().causal());
                String[] labels = new String[ids.length];
                boolean[] special = new boolean[ids.length];
                for (int t = 0; t < ids.length; t++) {
                    String s = tokenizer == null ? null : tokenizer.displayToken(ids[t]);
                    labels[t] = s == null ? "#" + ids[t] : s;
                    special[t] = tokenizer != null && ((encoding.special() != null && encoding.special()[t])
                            || tokenizer.isSpecial(ids[t]));
                }
                // The attention views need only the pass: show them now, the logit lens when it is ready.
                updateValue(new Analysis(m, text, ids, labels, special, trace, null, features, passNanos,
                        System.nanoTime() - start, lost));
                LogitLens.Earlier earlier = lastLens;
                LogitLens lens = LogitLens.compute(m, trace, LogitLens.DEFAULT_K, this::isCancelled, earlier,
                        done -> updateProgress(layers + done, layers + 1L));
                lastLens = new LogitLens.Earlier(m, trace, lens);
                updateProgress(layers + 1L, layers + 1L);
                return new Analysis(m, text, ids, labels, special, trace, lens, features, passNanos,
                        System.nanoTime() - start, lost);
            }
        };
    }
}
