package dev.headlight.analysis.circuits;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.ojalgo.matrix.decomposition.Eigenvalue;
import org.ojalgo.matrix.store.R064Store;

/**
 * The d_head x d_head decompositions the circuit scores need, float64: symmetric eigenpairs and SVDs on EJML, the
 * nonsymmetric eigenvalues on ojAlgo. The copying scores solve one nonsymmetric 64 x 64 eigenproblem per head (704
 * for a 1B model) and ojAlgo's solver took 0.7 ms per solve where EJML's took 2.0 ms (most of it in EJML's
 * Hessenberg reduction, whose row-major updates walk columns), the largest part of the copying scores after the
 * vocabulary product.
 */
final class SmallMatrices {
    /**
     * One nonsymmetric solver per thread, reused from solve to solve (it keeps its work arrays: 0.77 ms a 64 x 64
     * solve against 0.99 ms with a fresh solver each time).
     */
    private static final ThreadLocal<Eigenvalue<Double>> NONSYMMETRIC =
            ThreadLocal.withInitial(() -> Eigenvalue.R064.make(false));

    private SmallMatrices() {
    }

    /** Eigenvalues of a square row-major matrix {@code m // [n][n]}: real parts and imaginary parts. */
    static double[][] eigenvalues(double[] m, int n) {
        double[] re = new double[n];
        double[] im = new double[n];
        for (double x : m) {
            if (!Double.isFinite(x)) {
                // weights holding NaN or infinities: NaN eigenvalues carry the NaN on (a null score). The check must
                // stay: ojAlgo's QR iteration has no iteration cap and would loop on NaN forever
                java.util.Arrays.fill(re, Double.NaN);
                java.util.Arrays.fill(im, Double.NaN);
                return new double[][]{re, im};
            }
        }
        Eigenvalue<Double> eig = NONSYMMETRIC.get();
        // column-major storage holds m transposed: the same eigenvalues (the solver copies; m is not changed). It
        // reports success on every finite input (it runs its QR iteration to convergence), so its result is not
        // checked.
        eig.computeValuesOnly(R064Store.wrap(m, n));
        eig.getEigenvalues(re, java.util.Optional.of(im));
        return new double[][]{re, im};
    }

    /** A symmetric positive semi-definite matrix's eigenpairs: values descending, vectors as rows. */
    record SymmetricEigen(double[] values, double[][] vectors) {
    }

    static SymmetricEigen symmetricEigen(double[] gram, int n) {
        for (double g : gram) {
            if (!Double.isFinite(g)) {
                // weights holding NaN or infinities: the solver cannot converge; NaN eigenpairs carry the NaN on
                double[] values = new double[n];
                double[][] vectors = new double[n][n];
                java.util.Arrays.fill(values, Double.NaN);
                for (double[] v : vectors) {
                    java.util.Arrays.fill(v, Double.NaN);
                }
                return new SymmetricEigen(values, vectors);
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
        if (!eig.decompose(DMatrixRMaj.wrap(n, n, gram.clone()))) {
            throw new ArithmeticException("the symmetric eigen solver did not converge on a " + n + " x " + n
                    + " matrix");
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(eig.getEigenvalue(b).real, eig.getEigenvalue(a).real));
        double[] values = new double[n];
        double[][] vectors = new double[n][];
        for (int r = 0; r < n; r++) {
            values[r] = Math.max(0, eig.getEigenvalue(order[r]).real); // a Gram matrix has no negative eigenvalue
            vectors[r] = eig.getEigenVector(order[r]).getData().clone();
        }
        return new SymmetricEigen(values, vectors);
    }

    /**
     * A square root R of a Gram matrix G (R^T R = G) as {@code // [n][n]}: R = diag(sqrt(lambda)) U^T from G's
     * eigendecomposition, so that ||X R^T||_F = ||X F^T||_F for the factor F whose Gram G = F^T F is; rank
     * deficient factors are fine (no Cholesky).
     */
    static double[] gramRoot(double[] gram, int n) {
        SymmetricEigen e = symmetricEigen(gram, n);
        double[] r = new double[n * n];
        for (int i = 0; i < n; i++) {
            double s = Math.sqrt(e.values()[i]);
            for (int j = 0; j < n; j++) {
                r[i * n + j] = s * e.vectors()[i][j];
            }
        }
        return r;
    }

    /** Singular value decomposition of {@code m // [n][n]}: m = U diag(s) V^T, s descending; U, V as columns. */
    record Svd(double[] values, double[] u, double[] v) {
    }

    static Svd svd(double[] m, int n) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(n, n, true, true, false);
        if (!svd.decompose(DMatrixRMaj.wrap(n, n, m.clone()))) {
            throw new ArithmeticException("the SVD did not converge on a " + n + " x " + n + " matrix");
        }
        double[] s = svd.getSingularValues();
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj v = svd.getV(null, false);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(s[b], s[a]));
        double[] values = new double[n];
        double[] uu = new double[n * n];
        double[] vv = new double[n * n];
        for (int c = 0; c < n; c++) {
            int from = order[c];
            values[c] = s[from];
            for (int r = 0; r < n; r++) {
                uu[r * n + c] = u.get(r, from);
                vv[r * n + c] = v.get(r, from);
            }
        }
        return new Svd(values, uu, vv);
    }

    /** tr(A B) of two symmetric [n][n] matrices = sum_ij A_ij B_ij. */
    static double traceOfProduct(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    static double trace(double[] m, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += m[i * n + i];
        }
        return sum;
    }

    static float[] toFloats(double[] m) {
        float[] out = new float[m.length];
        for (int i = 0; i < m.length; i++) {
            out[i] = (float) m[i];
        }
        return out;
    }

    static double[] toDoubles(float[] m) {
        double[] out = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i];
        }
        return out;
    }
}
