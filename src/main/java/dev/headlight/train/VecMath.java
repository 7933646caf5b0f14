package dev.headlight.train;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** The two inner loops of training, dot and axpy over float rows, with the Vector API. */
final class VecMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VecMath() {
    }

    /** sum over k < n of a[ao + k] * b[bo + k]. */
    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        int k = 0;
        float sum = 0f;
        int bound = S.loopBound(n);
        if (bound > 0) {
            FloatVector acc = FloatVector.zero(S);
            for (; k < bound; k += S.length()) {
                acc = FloatVector.fromArray(S, a, ao + k).fma(FloatVector.fromArray(S, b, bo + k), acc);
            }
            sum = acc.reduceLanes(VectorOperators.ADD);
        }
        for (; k < n; k++) {
            sum += a[ao + k] * b[bo + k];
        }
        return sum;
    }

    /** y[yo + k] += alpha * x[xo + k] for k < n. */
    static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        int k = 0;
        int bound = S.loopBound(n);
        if (bound > 0) {
            FloatVector a = FloatVector.broadcast(S, alpha);
            for (; k < bound; k += S.length()) {
                FloatVector.fromArray(S, x, xo + k).fma(a, FloatVector.fromArray(S, y, yo + k))
                        .intoArray(y, yo + k);
            }
        }
        for (; k < n; k++) {
            y[yo + k] += alpha * x[xo + k];
        }
    }
}
