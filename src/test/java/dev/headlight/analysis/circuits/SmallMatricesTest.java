package dev.headlight.analysis.circuits;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The nonsymmetric eigenvalues the copying scores sum, on matrices whose eigenvalues are known exactly. */
class SmallMatricesTest {
    private static final double TOLERANCE = 1e-10;

    @Test
    void aRotationHasAConjugatePairOnTheImaginaryAxis() {
        double[][] eig = SmallMatrices.eigenvalues(new double[]{0, -1, 1, 0}, 2);
        assertArrayEquals(new double[]{0, 0}, eig[0], TOLERANCE);
        double[] imaginary = eig[1].clone();
        Arrays.sort(imaginary);
        assertArrayEquals(new double[]{-1, 1}, imaginary, TOLERANCE);
    }

    @Test
    void aCompanionMatrixHasTheRootsOfItsPolynomial() {
        // (x - 1)(x - 2)(x - 3) = x^3 - 6x^2 + 11x - 6, row-major and not symmetric
        double[] companion = {6, -11, 6, 1, 0, 0, 0, 1, 0};
        double[][] eig = SmallMatrices.eigenvalues(companion, 3);
        assertArrayEquals(new double[]{6, -11, 6, 1, 0, 0, 0, 1, 0}, companion, 0, "the input is left as it was");
        double[] real = eig[0].clone();
        Arrays.sort(real);
        assertArrayEquals(new double[]{1, 2, 3}, real, 1e-9);
        assertArrayEquals(new double[3], eig[1], 1e-9);
    }

    @Test
    void aTriangularMatrixHasItsDiagonalWhicheverSideItsEntriesAreOn() {
        // the solver reads the array column-major (the transpose): an upper and a lower triangle must agree
        double[] upper = {4, 7, -2, 0, -3, 5, 0, 0, 0.5};
        double[] lower = {4, 0, 0, 7, -3, 0, -2, 5, 0.5};
        for (double[] m : new double[][]{upper, lower}) {
            double[] real = SmallMatrices.eigenvalues(m, 3)[0].clone();
            Arrays.sort(real);
            assertArrayEquals(new double[]{-3, 0.5, 4}, real, TOLERANCE);
        }
    }

    @Test
    void solvesOfDifferentSizesOnOneThreadDoNotMix() {
        // the solver is kept per thread: a 3 x 3 solve after a 2 x 2 one must not see the 2 x 2's arrays
        SmallMatrices.eigenvalues(new double[]{0, -1, 1, 0}, 2);
        double[] real = SmallMatrices.eigenvalues(new double[]{2, 0, 0, 0, 5, 0, 0, 0, -1}, 3)[0].clone();
        Arrays.sort(real);
        assertArrayEquals(new double[]{-1, 2, 5}, real, TOLERANCE);
        double[][] again = SmallMatrices.eigenvalues(new double[]{0, -1, 1, 0}, 2);
        double[] imaginary = again[1].clone();
        Arrays.sort(imaginary);
        assertArrayEquals(new double[]{-1, 1}, imaginary, TOLERANCE);
    }

    @Test
    @Timeout(10) // without the finite check the solver's QR iteration never ends on NaN: fail, do not hang
    void nonFiniteEntriesGiveNaNEigenvaluesInsteadOfAnException() {
        double[][] eig = SmallMatrices.eigenvalues(new double[]{1, Double.NaN, 0, 1}, 2);
        for (double[] part : eig) {
            assertEquals(2, part.length);
            assertTrue(Arrays.stream(part).allMatch(Double::isNaN), Arrays.toString(part));
        }
    }
}
