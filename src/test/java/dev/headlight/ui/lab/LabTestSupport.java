package dev.headlight.ui.lab;

import dev.headlight.engine.AttentionMaps;
import dev.headlight.train.ProbeScores;
import dev.headlight.ui.Analysis;


/** The induction score of a real trace. */
final class LabTestSupport {
    private LabTestSupport() {
    }

    /** The best induction score among the heads of {@code layer}, from the engine's attention maps of {@code a}. */
    static double induction(Analysis a, int layer) {
        AttentionMaps maps = a.trace().attentions();
        double best = 0;
        for (int h = 0; h < maps.heads(); h++) {
            final int head = h;
            best = Math.max(best, ProbeScores.induction(a.ids(), (q, k) -> maps.get(layer, head, q, k)));
        }
        return best;
    }
}
