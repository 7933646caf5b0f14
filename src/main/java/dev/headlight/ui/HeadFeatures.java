package dev.headlight.ui;

/**
 * Per-head features (the analysis package's head scores, see {@link ScoredHeads}), a 2D layout of the heads by
 * PCA of those features, and each head's kind: what the head map draws.
 *
 * @param featureNames what each feature column is                         // [feature]
 * @param features  per head, e.g. mean attention to the previous token, to the first token, to itself, and the
 *                  mean normalised row entropy                              // [layer * heads + head][feature]
 * @param positions the heads projected on the first two principal components of the features
 *                  // [layer * heads + head][2]
 * @param kindNames the kinds in legend order                                // [kind]
 * @param kinds     each head's kind, an index into kindNames                // [layer * heads + head]
 */
public record HeadFeatures(int layers, int heads, String[] featureNames, double[][] features, double[][] positions,
                           String[] kindNames, int[] kinds) {

    public int index(int layer, int head) {
        return layer * heads + head;
    }

    /** The kind of a head, as its name. */
    public String kind(int layer, int head) {
        return kindNames[kinds[index(layer, head)]];
    }

    /** Any features (e.g. head scores) with kinds: positions by PCA of the features. */
    public static HeadFeatures of(int layers, int heads, String[] featureNames, double[][] features,
                                  String[] kindNames, int[] kinds) {
        return new HeadFeatures(layers, heads, featureNames, features, project2d(features), kindNames, kinds);
    }

    /** Rows projected onto the two leading principal axes of their covariance (centred, unscaled). */
    static double[][] project2d(double[][] rows) {
        int n = rows.length;
        int d = n == 0 ? 0 : rows[0].length;
        double[] mean = new double[d];
        for (double[] r : rows) {
            for (int j = 0; j < d; j++) {
                mean[j] += r[j] / n;
            }
        }
        double[][] cov = new double[d][d];
        for (double[] r : rows) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    cov[i][j] += (r[i] - mean[i]) * (r[j] - mean[j]) / Math.max(1, n - 1);
                }
            }
        }
        double[][] axes = leadingEigenvectors(cov, 2);
        double[][] out = new double[n][2];
        for (int p = 0; p < n; p++) {
            for (int a = 0; a < 2; a++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += (rows[p][j] - mean[j]) * axes[a][j];
                }
                out[p][a] = s;
            }
        }
        return out;
    }

    /**
     * The {@code count} eigenvectors of a symmetric matrix with the largest eigenvalues (Jacobi rotations),
     * each with its largest-magnitude component made positive so that layouts do not flip between passes.
     */
    static double[][] leadingEigenvectors(double[][] symmetric, int count) {
        int d = symmetric.length;
        double[][] a = new double[d][];
        for (int i = 0; i < d; i++) {
            a[i] = symmetric[i].clone();
        }
        double[][] v = new double[d][d];
        for (int i = 0; i < d; i++) {
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < 50; sweep++) {
            double off = 0;
            for (int i = 0; i < d; i++) {
                for (int j = i + 1; j < d; j++) {
                    off += a[i][j] * a[i][j];
                }
            }
            if (off < 1e-24) {
                break;
            }
            for (int p = 0; p < d; p++) {
                for (int q = p + 1; q < d; q++) {
                    if (Math.abs(a[p][q]) < 1e-300) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < d; k++) {
                        double akp = a[k][p], akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < d; k++) {
                        double apk = a[p][k], aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < d; k++) {
                        double vkp = v[k][p], vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        Integer[] order = new Integer[d];
        for (int i = 0; i < d; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(a[y][y], a[x][x]));
        double[][] out = new double[count][d];
        for (int c = 0; c < count && c < d; c++) {
            int col = order[c];
            int largest = 0;
            for (int k = 0; k < d; k++) {
                out[c][k] = v[k][col];
                if (Math.abs(out[c][k]) > Math.abs(out[c][largest])) {
                    largest = k;
                }
            }
            if (out[c][largest] < 0) {
                for (int k = 0; k < d; k++) {
                    out[c][k] = -out[c][k];
                }
            }
        }
        return out;
    }
}
