package dev.headlight.analysis;

import dev.headlight.engine.Trace;

/** Reading logits out of a trace, in float64. */
final class Logits {
    private Logits() {
    }

    static double logit(Trace trace, int position, int token) {
        return trace.logits()[position * trace.vocab() + token];
    }

    /** log softmax of the logits at {@code position}, entry {@code token}. */
    static double logProb(Trace trace, int position, int token) {
        float[] logits = trace.logits();
        int base = position * trace.vocab();
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < trace.vocab(); v++) {
            max = Math.max(max, logits[base + v]);
        }
        double sum = 0;
        for (int v = 0; v < trace.vocab(); v++) {
            sum += Math.exp(logits[base + v] - max);
        }
        return logits[base + token] - max - Math.log(sum);
    }

    /** A position that may count from the end (-1 = last) -> an index, checked. */
    static int position(int position, int tokens) {
        int p = position < 0 ? tokens + position : position;
        if (p < 0 || p >= tokens) {
            throw new IllegalArgumentException("position " + position + " is outside the " + tokens + " tokens");
        }
        return p;
    }

    static void checkToken(int token, int vocab) {
        if (token < 0 || token >= vocab) {
            throw new IllegalArgumentException("token id " + token + " is outside the vocabulary of " + vocab);
        }
    }
}
