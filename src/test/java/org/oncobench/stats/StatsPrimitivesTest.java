package org.oncobench.stats;

import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatsPrimitivesTest {
    /** Type 7 by hand: (n - 1) q = 2.25 for n = 10, q = 0.25 -> x(3) + 0.25 (x(4) - x(3)) = 3.25 on 1..10. */
    @Test
    void quantilesAreType7AsCommonsMathComputesThem() {
        double[] oneToTen = {10, 1, 9, 2, 8, 3, 7, 4, 6, 5};
        assertEquals(3.25, Quantiles.of(oneToTen, 0.25), 0.0);
        assertEquals(5.5, Quantiles.of(oneToTen, 0.5), 0.0);
        Random r = new Random(1);
        for (int t = 0; t < 500; t++) {
            double[] v = new double[1 + r.nextInt(500)];
            for (int i = 0; i < v.length; i++) {
                v[i] = r.nextGaussian();
            }
            for (double q : new double[]{0.025, 0.25, 0.5, 0.975}) {
                double expected = new Percentile().withEstimationType(Percentile.EstimationType.R_7).evaluate(v, q * 100);
                assertEquals(expected, Quantiles.of(v, q), 1e-12 * Math.max(1, Math.abs(expected)));
            }
        }
        assertArrayEquals(new double[]{1.225, 9.775}, Quantiles.centralInterval(new double[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.95), 1e-12);
    }

    /** Conformal: the ceil((n + 1) L)-th smallest; 9 scores at 0.8 take the 8th, at 0.95 none is enough. */
    @Test
    void theConformalOrderStatistic() {
        double[] scores = {9, 1, 8, 2, 7, 3, 6, 4, 5};
        assertEquals(8, Quantiles.conformal(scores, 0.8));
        assertEquals(Double.POSITIVE_INFINITY, Quantiles.conformal(scores, 0.95));
    }

    @Test
    void ranksAverageTiesAndRankTheBestFirst() {
        assertArrayEquals(new double[]{2.5, 1, 2.5, 4}, Ranks.average(new double[]{5, 1, 5, 9}), 0.0);
        assertArrayEquals(new double[]{2.5, 4, 2.5, 1}, Ranks.best(new double[]{5, 1, 5, 9}, false), 0.0);
        assertArrayEquals(new double[]{2.5, 1, 2.5, 4}, Ranks.best(new double[]{5, 1, 5, 9}, true), 0.0);
    }

    /** The one Fisher-Yates gives the permutation written out inline with the same generator, for both generator types. */
    @Test
    void shufflesMatchTheInlineAlgorithmForEitherGenerator() {
        int[] expected = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        Random inline = new Random(3);
        for (int i = expected.length - 1; i > 0; i--) {
            int j = inline.nextInt(i + 1);
            int t = expected[i];
            expected[i] = expected[j];
            expected[j] = t;
        }
        assertArrayEquals(expected, Shuffles.permutation(10, new Random(3)::nextInt));
        List<Integer> list = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
        Shuffles.shuffle(list, new SplittableRandom(5)::nextInt);
        assertEquals(Shuffles.permutation(10, new SplittableRandom(5)::nextInt)[4], list.get(4));
        assertEquals(45, list.stream().mapToInt(Integer::intValue).sum());
    }

    /** Pearson against commons-math, RMSE and R² by hand, on all rows and on a subset; constants have no correlation. */
    @Test
    void pairMoments() {
        double[] y = {1, 2, 3, 4, 6};
        double[] p = {1.5, 1.5, 3.5, 3.5, 5};
        PairMoments all = PairMoments.of(y, p, null);
        assertEquals(new PearsonsCorrelation().correlation(y, p), all.pearson(), 1e-14);
        assertEquals(Math.sqrt((0.25 + 0.25 + 0.25 + 0.25 + 1) / 5), all.rmse(), 1e-14);
        assertEquals(1 - 2.0 / 14.8, all.r2(), 1e-14); // mean 3.2; squares 4.84 + 1.44 + 0.04 + 0.64 + 7.84 = 14.8
        PairMoments some = PairMoments.of(y, p, new int[]{0, 2, 4});
        assertEquals(new PearsonsCorrelation().correlation(new double[]{1, 3, 6}, new double[]{1.5, 3.5, 5}), some.pearson(), 1e-14);
        assertTrue(Double.isNaN(PairMoments.pearson(y, new double[]{2, 2, 2, 2, 2})));
        // 0.1 three times: its mean rounds, so the deviations are not exactly 0, but the correlation is still undefined
        assertTrue(Double.isNaN(PairMoments.pearson(new double[]{0.1, 0.1, 0.1}, new double[]{1, 2, 3})));
    }
}
