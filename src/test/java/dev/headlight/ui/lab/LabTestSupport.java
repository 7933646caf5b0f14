package dev.headlight.ui.lab;

import dev.headlight.engine.AttentionMaps;
import dev.headlight.train.ProbeScores;
import dev.headlight.ui.Analysis;
import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting on FX-thread state, and the induction score of a real trace. */
final class LabTestSupport {
    private LabTestSupport() {
    }

    static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(30, TimeUnit.SECONDS);
    }

    static void waitUntil(String what, long seconds, Callable<Boolean> condition) throws TimeoutException {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> fx(condition));
        } catch (TimeoutException e) {
            throw new TimeoutException("timed out waiting for " + what);
        }
        WaitForAsyncUtils.waitForFxEvents();
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
