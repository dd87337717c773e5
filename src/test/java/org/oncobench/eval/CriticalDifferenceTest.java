package org.oncobench.eval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CriticalDifferenceTest {

    /**
     * Four drugs, three predictors, RMSE (lower is better), worked by hand:
     * ranks (1,2,3), (1,3,2), (2,1,3), (1,2.5,2.5): mean ranks 1.25, 2.125, 2.625;
     * chi2 = 12*4/(3*4) * (1.25^2 + 2.125^2 + 2.625^2 - 3*4^2/4) = 4 * 0.96875 = 3.875, p = exp(-3.875/2) = 0.14406 (2 df);
     * Iman-Davenport F = 3 * 3.875 / (4*2 - 3.875) = 2.8182; CD = 2.343 * sqrt(3*4 / (6*4)) = 1.6568.
     */
    @Test
    void friedmanAndNemenyiMatchTheHandComputation() {
        double[][] rmse = {{1, 2, 3}, {1, 3, 2}, {2, 1, 3}, {1, 2, 2}, {Double.NaN, 1, 2}};
        CriticalDifference.Result r = CriticalDifference.of(List.of("A", "B", "C"), rmse, true, 0.05);
        assertEquals(4, r.blocks(), "the block with a missing value is left out");
        assertArrayEquals(new double[]{1.25, 2.125, 2.625}, r.meanRanks(), 1e-12);
        assertEquals(3.875, r.chiSquare(), 1e-12);
        assertEquals(Math.exp(-3.875 / 2), r.friedmanP(), 1e-9);
        assertEquals(11.625 / 4.125, r.imanDavenportF(), 1e-12);
        assertEquals(2.343, r.qAlpha(), 1e-3);
        assertEquals(2.343 * Math.sqrt(0.5), r.cd(), 1e-3);
        assertEquals(1, r.cliques().size());
        assertArrayEquals(new int[]{0, 1, 2}, r.cliques().get(0));
    }

    @Test
    void higherIsBetterRanksTheLargestFirst() {
        CriticalDifference.Result r = CriticalDifference.of(List.of("A", "B"), new double[][]{{0.9, 0.5}, {0.8, 0.7}, {0.6, 0.7}}, false, 0.05);
        assertArrayEquals(new double[]{4 / 3.0, 5 / 3.0}, r.meanRanks(), 1e-12);
    }

    /** Demšar (2006), table 5(a): Nemenyi critical values q_0.05 for 2..10 classifiers. */
    @Test
    void nemenyiCriticalValuesMatchDemsarsTable() {
        double[] table = {1.960, 2.343, 2.569, 2.728, 2.850, 2.949, 3.031, 3.102, 3.164};
        for (int k = 2; k <= 10; k++) {
            assertEquals(table[k - 2], CriticalDifference.nemenyiQ(k, 0.05), 1.5e-3, "k = " + k);
        }
        assertEquals(1.645, CriticalDifference.nemenyiQ(2, 0.10), 1.5e-3);
    }

    @Test
    void cliquesJoinPredictorsWithinTheCriticalDifference() {
        List<int[]> c = CriticalDifference.cliques(new double[]{3.9, 1.0, 4.2, 1.5}, 1.0);
        assertEquals(2, c.size());
        assertArrayEquals(new int[]{1, 3}, c.get(0));
        assertArrayEquals(new int[]{0, 2}, c.get(1));
        assertTrue(CriticalDifference.cliques(new double[]{1, 3, 5}, 1.0).isEmpty(), "every predictor apart from the others");
    }

    @Test
    void tiesShareTheirMeanRank() {
        assertArrayEquals(new double[]{2.5, 1, 2.5, 4}, CriticalDifference.ranks(new double[]{2, 1, 2, 3}, true), 1e-12);
    }

    @Test
    void theDiagramDrawsEveryPredictorAtItsRankAndEachClique() {
        CriticalDifference.Result r = CriticalDifference.of(List.of("mlp", "twin", "gbm"), new double[][]{{1, 2, 3}, {1, 3, 2}, {2, 1, 3}, {1, 2, 2}}, true, 0.05);
        String svg = CriticalDifferenceChart.svg(r);
        assertTrue(svg.contains("data-name=\"mlp\" data-rank=\"1.2500\""), svg);
        assertTrue(svg.contains("data-name=\"gbm\" data-rank=\"2.6250\""), svg);
        assertEquals(1, svg.split("class=\"cd-clique\"", -1).length - 1);
        assertTrue(svg.contains("CD = 1.66"), svg);
    }
}
