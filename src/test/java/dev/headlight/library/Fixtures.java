package dev.headlight.library;

/** The reference fixtures, as the analysis tests read them. */
final class Fixtures extends dev.headlight.analysis.Fixtures {
    private Fixtures() {
    }
}
