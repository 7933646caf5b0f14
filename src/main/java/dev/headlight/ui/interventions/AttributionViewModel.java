package dev.headlight.ui.interventions;

import dev.headlight.analysis.DirectLogitAttribution;
import dev.headlight.analysis.HeadAblation;
import dev.headlight.engine.Model;
import dev.headlight.engine.RunOptions;
import dev.headlight.ui.Analysis;
import dev.headlight.ui.ExplorerViewModel;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.List;

/**
 * The attribution panel's state: direct logit attribution ({@link DirectLogitAttribution#compute}) of one token's
 * logit at the selected position (the shared query token, default the last). The token is the text in
 * {@link #tokenProperty()} (one-token text or #id), or when empty the model's top prediction there. Recomputed
 * off the FX thread when the prompt, the position or the token changes.
 */
public final class AttributionViewModel extends JobViewModel {
    /** How many bars the chart shows; the rest are summed into one remainder. */
    public static final int BARS = 15;

    /**
     * @param bars      the largest contributions, largest magnitude first
     * @param remainder the sum of every other contribution
     * @param total     all contributions summed: the pre-soft-cap logit
     */
    public record Outcome(int position, int token, String tokenLabel, boolean topPrediction,
                          List<DirectLogitAttribution.Contribution> bars, int others, double remainder,
                          double total, double modelLogit, double reconstructedLogit) {
    }

    private final ExplorerViewModel vm;
    private final StringProperty token = new SimpleStringProperty(this, "token", "");
    private final javafx.beans.property.ReadOnlyObjectWrapper<Outcome> outcome =
            new javafx.beans.property.ReadOnlyObjectWrapper<>(this, "outcome");
    private boolean active = true;

    public AttributionViewModel(ExplorerViewModel vm) {
        super(vm.tasks(), "Attributing…", "Could not attribute the logit");
        this.vm = vm;
        vm.analysisProperty().addListener((o, a, b) -> refresh());
        vm.selection().queryProperty().addListener((o, a, b) -> refresh());
    }

    /** Only a visible panel recomputes on every change; showing it again catches up. */
    public void setActive(boolean visible) {
        boolean wasActive = active;
        active = visible;
        if (visible && !wasActive) {
            refresh();
        }
    }

    /** Recomputes for the current prompt, position and token. */
    public void refresh() {
        Analysis a = vm.analysis();
        if (a == null) {
            job.cancel();
            outcome.set(null);
            return;
        }
        if (!active) {
            return;
        }
        Model model = a.model();
        int[] ids = a.ids();
        int q = vm.selection().query();
        int position = q >= 0 && q < ids.length ? q : ids.length - 1;
        String text = token.get() == null ? "" : token.get();
        job.start(ctx -> compute(model, ids, position, text), outcome::set, () -> outcome.set(null));
    }

    static Outcome compute(Model model, int[] ids, int position, String tokenText) {
        boolean top = tokenText.isBlank();
        int id;
        if (top) {
            id = HeadAblation.topPrediction(model.run(ids, RunOptions.display().withoutAttentionMaps()), position);
        } else {
            id = TokenInput.token(model, tokenText, "token");
        }
        DirectLogitAttribution.Result r = DirectLogitAttribution.compute(model, ids, position, id);
        List<DirectLogitAttribution.Contribution> ranked = r.ranked();
        List<DirectLogitAttribution.Contribution> bars = List.copyOf(ranked.subList(0, Math.min(BARS,
                ranked.size())));
        double remainder = 0;
        for (int i = bars.size(); i < ranked.size(); i++) {
            remainder += ranked.get(i).value();
        }
        return new Outcome(position, id, TokenInput.label(model, id), top, bars, ranked.size() - bars.size(),
                remainder, r.total(), r.modelLogit(), r.reconstructedLogit());
    }

    public StringProperty tokenProperty() {
        return token;
    }

    public javafx.beans.property.ReadOnlyObjectProperty<Outcome> outcomeProperty() {
        return outcome.getReadOnlyProperty();
    }
}
