package dev.headlight.analysis;

import org.junit.jupiter.api.Test;

import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeadScoringTest {
    private static final double EPS = 1e-6; // float32 storage of the hand-written probabilities

    private static double h(double... p) {
        double s = 0;
        for (double x : p) {
            if (x > 0) {
                s -= x * Math.log(x);
            }
        }
        return s;
    }

    private static void near(double expected, OptionalDouble actual) {
        assertTrue(actual.isPresent(), "score should be present");
        assertEquals(expected, actual.getAsDouble(), EPS);
    }

    @Test
    void causalHeadOnRepeatedTokens() {
        // tokens t = [5, 7, 5, 7]
        int[] ids = {5, 7, 5, 7};
        double[][] a = {
                {1.0, 0.0, 0.0, 0.0},
                {0.5, 0.5, 0.0, 0.0},
                {0.2, 0.3, 0.5, 0.0},
                {0.1, 0.6, 0.1, 0.2}};
        HeadScores s = HeadScoring.scoreAll(TestMaps.single(a), ids, true)[0][0];
        // previous: A[1,0], A[2,1], A[3,2] = 0.5, 0.3, 0.1 -> 0.9 / 3
        near(0.3, s.previousToken());
        // first: A[1,0], A[2,0], A[3,0] = 0.5, 0.2, 0.1 -> 0.8 / 3
        near(0.8 / 3, s.firstToken());
        // self: 1, 0.5, 0.5, 0.2 -> 2.2 / 4
        near(0.55, s.self());
        // duplicate queries: i=2 (j=0, both 5) -> 0.2; i=3 (j=1, both 7) -> 0.6; mean 0.4
        near(0.4, s.duplicateToken());
        // induction queries: i=2 (j=1 since t_0 = 5 = t_2) -> A[2,1] = 0.3;
        //                    i=3 (j=2 since t_1 = 7 = t_3; j=1 has t_0 = 5) -> A[3,2] = 0.1; mean 0.2
        near(0.2, s.induction());
        // entropy over i = 1..3 of H(row i, keys 0..i) / ln(i + 1)
        double expected = (h(0.5, 0.5) / Math.log(2) + h(0.2, 0.3, 0.5) / Math.log(3)
                + h(0.1, 0.6, 0.1, 0.2) / Math.log(4)) / 3;
        near(expected, s.entropy());
    }

    @Test
    void inductionCountsEveryMatchingKey() {
        // t = [1, 2, 1, 2, 1]; query 4 (token 1): j in [1, 4) with t_{j-1} = 1 -> j = 1 and j = 3
        // query 2 (token 1): j = 1 (t_0 = 1); query 3 (token 2): j = 2 (t_1 = 2)
        int[] ids = {1, 2, 1, 2, 1};
        double[][] a = {
                {1, 0, 0, 0, 0},
                {0.4, 0.6, 0, 0, 0},
                {0.1, 0.7, 0.2, 0, 0},
                {0.25, 0.25, 0.25, 0.25, 0},
                {0.1, 0.3, 0.1, 0.4, 0.1}};
        HeadScores s = HeadScoring.scoreAll(TestMaps.single(a), ids, true)[0][0];
        // induction: (A[2,1] + A[3,2] + (A[4,1] + A[4,3])) / 3 = (0.7 + 0.25 + 0.7) / 3
        near(1.65 / 3, s.induction());
        // duplicate: query 2 -> A[2,0] = 0.1; query 3 -> A[3,1] = 0.25; query 4 -> A[4,0] + A[4,2] = 0.2
        near(0.55 / 3, s.duplicateToken());
    }

    @Test
    void emptyQuerySetsAreAbsentNotZero() {
        // all tokens distinct: no duplicate and no induction query
        double[][] a = {{1, 0, 0}, {0.5, 0.5, 0}, {0.2, 0.2, 0.6}};
        HeadScores s = HeadScoring.scoreAll(TestMaps.single(a), new int[]{1, 2, 3}, true)[0][0];
        assertFalse(s.duplicateToken().isPresent());
        assertFalse(s.induction().isPresent());
        assertTrue(s.previousToken().isPresent());

        // a single token: only self exists
        HeadScores one = HeadScoring.scoreAll(TestMaps.single(new double[][]{{1}}), new int[]{9}, true)[0][0];
        assertFalse(one.previousToken().isPresent());
        assertFalse(one.firstToken().isPresent());
        assertFalse(one.entropy().isPresent());
        assertFalse(one.duplicateToken().isPresent());
        near(1.0, one.self());
        assertEquals(1, one.present().size());

        // a token repeated only right after itself: duplicate query exists, induction needs j - 1 >= 0 and j < i
        HeadScores twice = HeadScoring.scoreAll(TestMaps.single(new double[][]{{1, 0}, {0.3, 0.7}}),
                new int[]{4, 4}, true)[0][0];
        near(0.3, twice.duplicateToken());
        assertFalse(twice.induction().isPresent());
    }

    @Test
    void bidirectionalEntropyUsesAllKeysAndAllQueries() {
        double[][] a = {{0.25, 0.75}, {0.5, 0.5}};
        HeadScores s = HeadScoring.scoreAll(TestMaps.single(a), new int[]{3, 3}, false)[0][0];
        near((h(0.25, 0.75) / Math.log(2) + 1.0) / 2, s.entropy());
        near(0.375, s.self());          // (0.25 + 0.5) / 2
        near(0.5, s.previousToken());   // A[1,0]
        near(0.5, s.duplicateToken());  // query 1, key 0
        // causal reading of the same map ignores row 0 and key 1 of... row 1 keys 0..1: H(0.5,0.5)/ln 2 = 1
        near(1.0, HeadScoring.scoreAll(TestMaps.single(a), new int[]{3, 3}, true)[0][0].entropy());
    }

    @Test
    void kindsFollowTheDocumentedRules() {
        OptionalDouble no = OptionalDouble.empty();
        HeadScores induction = new HeadScores(OptionalDouble.of(0.1), OptionalDouble.of(0.2), OptionalDouble.of(0.1),
                OptionalDouble.of(0.05), OptionalDouble.of(0.6), OptionalDouble.of(0.3));
        assertEquals(HeadKind.INDUCTION, HeadKind.classify(induction));
        HeadScores previous = new HeadScores(OptionalDouble.of(0.9), OptionalDouble.of(0.05), OptionalDouble.of(0.02),
                no, no, OptionalDouble.of(0.1));
        assertEquals(HeadKind.PREVIOUS_TOKEN, HeadKind.classify(previous));
        HeadScores sink = new HeadScores(OptionalDouble.of(0.1), OptionalDouble.of(0.8), OptionalDouble.of(0.1),
                no, no, OptionalDouble.of(0.2));
        assertEquals(HeadKind.SINK, HeadKind.classify(sink));
        HeadScores local = new HeadScores(OptionalDouble.of(0.3), OptionalDouble.of(0.1), OptionalDouble.of(0.3),
                no, no, OptionalDouble.of(0.5));
        assertEquals(HeadKind.LOCAL, HeadKind.classify(local));
        HeadScores broad = new HeadScores(OptionalDouble.of(0.1), OptionalDouble.of(0.1), OptionalDouble.of(0.1),
                no, no, OptionalDouble.of(0.9));
        assertEquals(HeadKind.BROAD, HeadKind.classify(broad));
        HeadScores mixed = new HeadScores(OptionalDouble.of(0.2), OptionalDouble.of(0.3), OptionalDouble.of(0.1),
                OptionalDouble.of(0.1), OptionalDouble.of(0.1), OptionalDouble.of(0.5));
        assertEquals(HeadKind.MIXED, HeadKind.classify(mixed));
    }
}
