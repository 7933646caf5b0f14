package dev.headlight.ui.interventions;

import dev.headlight.analysis.ActivationPatching;
import dev.headlight.engine.Model;
import dev.headlight.engine.RunOptions;
import dev.headlight.engine.Trace;
import dev.headlight.ui.ExplorerViewModel;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.Locale;

/**
 * The patching panel's state: a clean and a corrupted prompt, the answer and the wrong token (one-token text or
 * #id; empty = the clean run's top prediction, and the corrupted run's top prediction other than the answer),
 * and the result of {@link ActivationPatching#run}: head recovery [layer][head] and residual recovery
 * [layer + 1][position]. Runs off the FX thread with progress; cancellable.
 */
public final class PatchingViewModel extends JobViewModel {
    /** What the panel shows after a run. */
    public record Outcome(ActivationPatching.Result result, String[] positionLabels, String answerLabel,
                          String wrongLabel) {
        public String summary() {
            ActivationPatching.Result r = result;
            String s = String.format(Locale.ROOT, "metric = logit(%s) − logit(%s) at the last position: clean "
                    + "%.3f, corrupted %.3f", AblationPane.quoted(answerLabel), AblationPane.quoted(wrongLabel),
                    r.cleanMetric(), r.corruptMetric());
            return r.recoverable() ? s + ". Recovery 1 = clean behaviour restored, 0 = no effect."
                    : s + ". The two prompts give the same metric, so recovery is undefined.";
        }
    }

    private final ExplorerViewModel vm;
    private final StringProperty clean = new SimpleStringProperty(this, "clean", "");
    private final StringProperty corrupted = new SimpleStringProperty(this, "corrupted", "");
    private final StringProperty answer = new SimpleStringProperty(this, "answer", "");
    private final StringProperty wrong = new SimpleStringProperty(this, "wrong", "");
    private final javafx.beans.property.ReadOnlyObjectWrapper<Outcome> outcome =
            new javafx.beans.property.ReadOnlyObjectWrapper<>(this, "outcome");

    public PatchingViewModel(ExplorerViewModel vm) {
        super(vm.tasks(), "Patching…", "Could not patch");
        this.vm = vm;
        dropResultsWhen(vm.modelProperty(), outcome);
    }

    /** Runs every head and residual patch on the current model. */
    public void run() {
        Model model = vm.model();
        if (model == null) {
            job.fail("Open a model first.");
            return;
        }
        String cleanText = clean.get().isEmpty() ? vm.promptProperty().get() : clean.get();
        String corruptText = corrupted.get();
        String answerText = answer.get().strip().isEmpty() ? "" : answer.get();
        String wrongText = wrong.get().strip().isEmpty() ? "" : wrong.get();
        outcome.set(null);
        job.start(ctx -> {
            int[] cleanIds = TokenInput.prompt(model, cleanText, "clean prompt");
            int[] corruptIds = TokenInput.prompt(model, corruptText, "corrupted prompt");
            if (cleanIds.length != corruptIds.length) {
                throw new IllegalArgumentException("The clean prompt has " + cleanIds.length
                        + " tokens and the corrupted prompt " + corruptIds.length + ": patching needs prompts of "
                        + "the same token length.");
            }
            int answerId = answerText.isEmpty() ? topPrediction(model, cleanIds, -1)
                    : TokenInput.token(model, answerText, "answer");
            int wrongId = wrongText.isEmpty() ? topPrediction(model, corruptIds, answerId)
                    : TokenInput.token(model, wrongText, "wrong token");
            ActivationPatching.Result result = ActivationPatching.run(model, cleanIds, corruptIds, answerId,
                    wrongId, ctx::isCancelled, ctx::progress);
            String[] labels = new String[cleanIds.length];
            for (int t = 0; t < labels.length; t++) {
                labels[t] = TokenInput.label(model, cleanIds[t]);
            }
            return new Outcome(result, labels, TokenInput.label(model, answerId), TokenInput.label(model, wrongId));
        }, outcome::set, () -> { }); // the outcome was cleared when the run started
    }

    /** The top next-token prediction at the last position, other than {@code except}. */
    static int topPrediction(Model model, int[] ids, int except) {
        Trace trace = model.run(ids, RunOptions.display().withoutAttentionMaps());
        int vocab = trace.vocab();
        float[] logits = trace.logits();
        int base = (ids.length - 1) * vocab;
        int best = -1;
        for (int v = 0; v < vocab; v++) {
            if (v != except && (best < 0 || logits[base + v] > logits[base + best])) {
                best = v;
            }
        }
        return best;
    }

    public StringProperty cleanProperty() {
        return clean;
    }

    public StringProperty corruptedProperty() {
        return corrupted;
    }

    public StringProperty answerProperty() {
        return answer;
    }

    public StringProperty wrongProperty() {
        return wrong;
    }

    public javafx.beans.property.ReadOnlyObjectProperty<Outcome> outcomeProperty() {
        return outcome.getReadOnlyProperty();
    }
}
