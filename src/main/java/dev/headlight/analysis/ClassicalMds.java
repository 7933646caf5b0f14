package dev.headlight.analysis;

import java.util.Random;

/**
 * Classical (Torgerson) multidimensional scaling to 2D: double-centre the squared distances,
 * B = -1/2 J D² J, and place point i at (sqrt(λ1) v1[i], sqrt(λ2) v2[i]) for the two largest eigenpairs of B.
 * The eigenpairs come from Lanczos iteration with full re-orthogonalisation (at most {@value #MAX_STEPS} steps,
 * exact when there are no more points than steps), so 1024 heads take a few dozen n² matrix-vector products.
 * Negative eigenvalues (non-Euclidean distances) are clipped to 0. Each axis's sign is fixed so that its largest
 * coordinate in magnitude is positive, making the layout reproducible.
 */
public final class ClassicalMds {
    static final int MAX_STEPS = 64;

    private ClassicalMds() {
    }

    /** {@code distance // [n][n]} -> {@code // [n][2]} coordinates. */
    public static double[][] embed2d(double[][] distance) {
        int n = distance.length;
        double[][] out = new double[n][2];
        if (n <= 1) {
            return out;
        }
        double[] b = doubleCentredSquares(distance); // [n][n]
        int steps = Math.min(n, MAX_STEPS);
        double[][] basis = new double[steps][];       // Lanczos vectors q_k // [step][n]
        double[] alpha = new double[steps];
        double[] beta = new double[steps];             // beta[k] couples q_k and q_{k+1}
        Random random = new Random(42);
        double[] q = randomUnit(n, random, basis, 0);
        int m = 0;
        for (int k = 0; k < steps; k++) {
            basis[k] = q;
            m = k + 1;
            double[] w = multiply(b, q, n);
            alpha[k] = dot(w, q);
            // full re-orthogonalisation against all previous vectors (twice, for stability)
            for (int pass = 0; pass < 2; pass++) {
                for (int j = 0; j <= k; j++) {
                    double c = dot(w, basis[j]);
                    axpy(-c, basis[j], w);
                }
            }
            if (k + 1 == steps) {
                break;
            }
            double norm = Math.sqrt(dot(w, w));
            if (norm < 1e-10 * (1 + Math.abs(alpha[k]))) {
                // invariant subspace found: continue with a fresh direction orthogonal to it
                beta[k] = 0;
                q = randomUnit(n, random, basis, k + 1);
                if (q == null) {
                    break;
                }
            } else {
                beta[k] = norm;
                q = scale(w, 1 / norm);
            }
        }
        // eigen-decomposition of the m x m tridiagonal matrix
        double[][] t = new double[m][m];
        for (int k = 0; k < m; k++) {
            t[k][k] = alpha[k];
            if (k + 1 < m) {
                t[k][k + 1] = beta[k];
                t[k + 1][k] = beta[k];
            }
        }
        double[][] vectors = new double[m][m];
        double[] values = jacobiEigen(t, vectors);
        int first = -1;
        int second = -1;
        for (int i = 0; i < m; i++) {
            if (first < 0 || values[i] > values[first]) {
                second = first;
                first = i;
            } else if (second < 0 || values[i] > values[second]) {
                second = i;
            }
        }
        int[] picks = {first, second};
        for (int axis = 0; axis < 2; axis++) {
            int pick = picks[axis];
            if (pick < 0 || values[pick] <= 0) {
                continue;
            }
            double[] v = new double[n];
            for (int k = 0; k < m; k++) {
                axpy(vectors[k][pick], basis[k], v);
            }
            double norm = Math.sqrt(dot(v, v));
            double scale = Math.sqrt(values[pick]) / norm;
            int largest = 0;
            for (int i = 1; i < n; i++) {
                if (Math.abs(v[i]) > Math.abs(v[largest]) + 1e-12) {
                    largest = i;
                }
            }
            if (v[largest] < 0) {
                scale = -scale;
            }
            for (int i = 0; i < n; i++) {
                out[i][axis] = v[i] * scale;
            }
        }
        return out;
    }

    private static double[] doubleCentredSquares(double[][] d) {
        int n = d.length;
        double[] b = new double[n * n];
        double[] rowMean = new double[n];
        double grand = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double sq = d[i][j] * d[i][j];
                b[i * n + j] = sq;
                rowMean[i] += sq;
            }
            rowMean[i] /= n;
            grand += rowMean[i];
        }
        grand /= n;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                b[i * n + j] = -0.5 * (b[i * n + j] - rowMean[i] - rowMean[j] + grand);
            }
        }
        return b;
    }

    private static double[] multiply(double[] matrix, double[] v, int n) {
        double[] out = new double[n];
        java.util.stream.IntStream rows = java.util.stream.IntStream.range(0, n);
        (n >= 256 ? rows.parallel() : rows).forEach(i -> {
            double sum = 0;
            int base = i * n;
            for (int j = 0; j < n; j++) {
                sum += matrix[base + j] * v[j];
            }
            out[i] = sum;
        });
        return out;
    }

    /** A random unit vector orthogonal to basis[0 .. count), or null when they already span everything. */
    private static double[] randomUnit(int n, Random random, double[][] basis, int count) {
        for (int attempt = 0; attempt < 4; attempt++) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = random.nextGaussian();
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int j = 0; j < count; j++) {
                    axpy(-dot(v, basis[j]), basis[j], v);
                }
            }
            double norm = Math.sqrt(dot(v, v));
            if (norm > 1e-8) {
                return scale(v, 1 / norm);
            }
        }
        return null;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] += a * x[i];
        }
    }

    private static double[] scale(double[] v, double s) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * s;
        }
        return out;
    }

    /**
     * Cyclic Jacobi eigen-decomposition of a small symmetric matrix (destroyed). Fills {@code vectors} with the
     * eigenvectors as columns and returns the eigenvalues.
     */
    static double[] jacobiEigen(double[][] a, double[][] vectors) {
        int m = a.length;
        for (int i = 0; i < m; i++) {
            java.util.Arrays.fill(vectors[i], 0);
            vectors[i][i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            double diag = 0;
            for (int i = 0; i < m; i++) {
                diag += a[i][i] * a[i][i];
                for (int j = i + 1; j < m; j++) {
                    off += a[i][j] * a[i][j];
                }
            }
            if (off <= 1e-30 * Math.max(diag, 1e-300)) {
                break;
            }
            for (int p = 0; p < m; p++) {
                for (int q = p + 1; q < m; q++) {
                    if (a[p][q] == 0) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < m; k++) {
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < m; k++) {
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < m; k++) {
                        double vkp = vectors[k][p];
                        double vkq = vectors[k][q];
                        vectors[k][p] = c * vkp - s * vkq;
                        vectors[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        double[] values = new double[m];
        for (int i = 0; i < m; i++) {
            values[i] = a[i][i];
        }
        return values;
    }
}
