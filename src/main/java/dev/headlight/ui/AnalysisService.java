package dev.headlight.ui;

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
 * cancels the pass in flight: the engine polls {@link Task#isCancelled()} between layers.
 */
public final class AnalysisService extends Service<Analysis> {
    private volatile Model model;
    private volatile String prompt = "";

    public void configure(Model model, String prompt) {
        this.model = model;
        this.prompt = prompt;
    }

    @Override
    protected Task<Analysis> createTask() {
        Model m = model;
        String text = prompt;
        return new Task<>() {
            @Override
            protected Analysis call() {
                return analyse(m, text, this);
            }

            private Analysis analyse(Model m, String text, Task<?> task) {
                long start = System.nanoTime();
                Tokenizer tokenizer = m.tokenizer();
                Encoding encoding = tokenizer.encode(text);
                int[] ids = encoding.ids();
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
                RunOptions options = RunOptions.display()
                        .withCancellation(this::isCancelled)
                        .withProgress((done, total) -> updateProgress(done, total + 1L));
                long passStart = System.nanoTime();
                Trace trace = m.run(ids, options);
                long passNanos = System.nanoTime() - passStart;
                if (isCancelled()) {
                    throw new CancellationException();
                }
                LogitLens lens = LogitLens.compute(m, trace, LogitLens.DEFAULT_K, this::isCancelled);
                HeadFeatures features = HeadFeatures.compute(trace.attentions(), m.info().causal());
                updateProgress(layers + 1L, layers + 1L);
                String[] labels = new String[ids.length];
                boolean[] special = new boolean[ids.length];
                for (int t = 0; t < ids.length; t++) {
                    String s = tokenizer.displayToken(ids[t]);
                    labels[t] = s == null ? "#" + ids[t] : s;
                    special[t] = (encoding.special() != null && encoding.special()[t]) || tokenizer.isSpecial(ids[t]);
                }
                return new Analysis(m, text, ids, labels, special, trace, lens, features, passNanos,
                        System.nanoTime() - start);
            }
        };
    }
}
