package dev.headlight.ui;

import dev.headlight.library.ModelNames;

import dev.headlight.analysis.LogitLens;
import dev.headlight.analysis.TokenIds;
import dev.headlight.engine.Model;
import dev.headlight.engine.RunOptions;
import dev.headlight.engine.Trace;
import dev.headlight.format.tokenizer.Encoding;
import dev.headlight.format.tokenizer.Tokenizer;
import dev.headlight.ui.task.TaskContext;

import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/**
 * Runs the model on the prompt, then the head features and the logit lens: the work of the explorer's analysis
 * task (submitted by {@link ExplorerViewModel} to the task runner). A newer pass cancels the one in flight: the
 * engine polls {@link TaskContext#isCancelled()} between layers. The lens copies the
 * cells of the previous prompt whose residual vectors did not change (typing at the end of a causal model's
 * prompt recomputes only the last positions), and so does the pass: it continues the previous one from the
 * first token that changed ({@link RunOptions#withContinuation}).
 */
final class AnalysisService {
    private volatile Model model;
    private volatile long attentionBudget = RunOptions.defaultAttentionBudget(); // bytes, see RunOptions
    /** The last lens finished, with its model and trace: cells whose input is unchanged are copied from it. */
    private volatile LogitLens.Earlier lastLens;
    /** The last finished pass with its keys and values: the next pass computes only the positions after the part
     * of the prompt that did not change. */
    private volatile Trace lastTrace;

    /** Forgets what the previous model's passes left to reuse when {@code model} is a different one. */
    void use(Model model) {
        if (model != this.model) {
            lastLens = null; // let the previous model's traces go: nothing of them can be reused
            lastTrace = null;
        }
        this.model = model;
    }

    /** The attention memory budget of the next passes, in bytes. */
    void setAttentionBudget(long bytes) {
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

    /** A folder without tokenizer.json takes its prompt as token ids ({@link TokenIds}, as the CLI does). */
    static int[] idsOfPrompt(String text, int vocab) {
        try {
            return TokenIds.parse(text, vocab);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("This model folder has no tokenizer.json, so the prompt is token ids: "
                    + e.getMessage() + ".", e);
        }
    }

    /**
     * The pass, head features and lens for {@code text} on the model of {@link #use}; null for an empty prompt. The
     * attention views need only the pass: that analysis (without a lens) is published first. Worker thread.
     */
    Analysis analyse(String text, TaskContext task, Consumer<Analysis> publish) {
        Model m = model;
        long budget = attentionBudget;
        long start = System.nanoTime();
        Tokenizer tokenizer = tokenizerOrNull(m);
        Encoding encoding = tokenizer != null ? tokenizer.encode(text) : null;
        var lost = tokenizer != null ? tokenizer.lostCharacters(text)
                : java.util.List.<dev.headlight.format.tokenizer.LostCharacters>of();
        int[] ids = tokenizer != null ? encoding.ids() : idsOfPrompt(text, m.info().vocab());
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
                .withCancellation(task::isCancelled)
                .withProgress((done, total) -> task.progress(done, total + 1L));
        long passStart = System.nanoTime();
        Trace trace = m.run(ids, options);
        long passNanos = System.nanoTime() - passStart;
        if (task.isCancelled()) {
            throw new CancellationException();
        }
        lastTrace = trace;
        HeadFeatures features = ScoredHeads.compute(m, trace.attentions(), ids, task::isCancelled);
        String[] labels = new String[ids.length];
        boolean[] special = new boolean[ids.length];
        for (int t = 0; t < ids.length; t++) {
            String s = tokenizer == null ? null : tokenizer.displayToken(ids[t]);
            labels[t] = s == null ? "#" + ids[t] : s;
            special[t] = tokenizer != null && ((encoding.special() != null && encoding.special()[t])
                    || tokenizer.isSpecial(ids[t]));
        }
        publish.accept(new Analysis(m, text, ids, labels, special, trace, null, features, passNanos,
                System.nanoTime() - start, lost));
        task.message("Logit lens…");
        LogitLens.Earlier earlier = lastLens;
        LogitLens lens = LogitLens.compute(m, trace, LogitLens.DEFAULT_K, task::isCancelled, earlier,
                done -> task.progress(Math.round((layers + done) * 1000), (layers + 1L) * 1000)); // done: 0-1
        lastLens = new LogitLens.Earlier(m, trace, lens);
        task.progress(layers + 1L, layers + 1L);
        return new Analysis(m, text, ids, labels, special, trace, lens, features, passNanos,
                System.nanoTime() - start, lost);
    }
}
