package dev.headlight.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** The Vector API bodies of {@link RowScans}; loaded only when the vector kernels are in use. */
final class VectorRowScans {
    private static final VectorSpecies<Float> SPECIES = VectorKernels.SPECIES;
    private static final int LANES = SPECIES.length();

    private VectorRowScans() {
    }

    static float max(float[] x, int from, int to) {
        int i = from;
        FloatVector m = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        for (; i + LANES <= to; i += LANES) {
            m = m.max(FloatVector.fromArray(SPECIES, x, i));
        }
        float max = m.reduceLanes(VectorOperators.MAX);
        for (; i < to; i++) {
            max = Math.max(max, x[i]);
        }
        return max;
    }

    static double sumExp(float[] x, int from, int to, float shift) {
        double sum = 0;
        int i = from;
        FloatVector acc = FloatVector.zero(SPECIES);
        int n = 0;
        for (; i + LANES <= to; i += LANES) {
            acc = acc.add(VectorMath.exp(FloatVector.fromArray(SPECIES, x, i).sub(shift)));
            // each term is at most 1: flush to double often enough that the float sums keep 7 digits
            if (++n == 64) {
                sum += VectorMath.sumLanes(acc);
                acc = FloatVector.zero(SPECIES);
                n = 0;
            }
        }
        sum += VectorMath.sumLanes(acc);
        for (; i < to; i++) {
            sum += Math.exp(x[i] - shift);
        }
        return sum;
    }

    static int firstAbove(float[] x, int from, int to, float threshold) {
        int i = from;
        for (; i + LANES <= to; i += LANES) {
            VectorMask<Float> above = FloatVector.fromArray(SPECIES, x, i).compare(VectorOperators.GT, threshold);
            if (above.anyTrue()) {
                return i + above.firstTrue();
            }
        }
        for (; i < to; i++) {
            if (x[i] > threshold) {
                return i;
            }
        }
        return to;
    }

    static int countAbove(float[] x, int from, int to, float threshold) {
        int count = 0;
        int i = from;
        for (; i + LANES <= to; i += LANES) {
            count += FloatVector.fromArray(SPECIES, x, i).compare(VectorOperators.GT, threshold).trueCount();
        }
        for (; i < to; i++) {
            if (x[i] > threshold) {
                count++;
            }
        }
        return count;
    }
}
