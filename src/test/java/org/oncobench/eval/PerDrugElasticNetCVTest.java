package org.oncobench.eval;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link PerDrugElasticNetCV} (the benchmark's single_drug_elastic_net) against {@link ElasticNetCV} fitted drug by drug. */
class PerDrugElasticNetCVTest {
    private static final int TRAIN = 60; // cell lines 0..59 have responses (some missing per drug)
    private static final int CELLS = 72; // 60..71 have none: rows outside every drug's training rows
    private static final int P = 12;
    private static final int DRUGS = 3;

    /** cells x P Gaussian features; per drug a sparse linear response in its own genes plus noise; NaN where not measured. */
    private static float[][] problem() {
        Random r = new Random(7);
        float[] x = new float[CELLS * P];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        float[] y = new float[CELLS * DRUGS];
        Arrays.fill(y, Float.NaN);
        double[][] beta = {{2, -1, 0, 0.5}, {0, 0, 1.5, 0}, {0.3, 0.3, 0.3, 0.3}};
        double[] noise = {0.5, 1.0, 2.0};
        for (int c = 0; c < TRAIN; c++) {
            for (int d = 0; d < DRUGS; d++) {
                if ((c + d) % 7 == 0) { // each drug misses its own cell lines
                    continue;
                }
                double v = 3 * d + noise[d] * r.nextGaussian();
                for (int j = 0; j < beta[d].length; j++) {
                    v += beta[d][j] * x[c * P + j + d];
                }
                y[c * DRUGS + d] = (float) v;
            }
        }
        return new float[][]{x, y};
    }

    private static int[] folds() {
        int[] cell = new int[CELLS];
        for (int c = 0; c < CELLS; c++) {
            cell[c] = c;
        }
        return ElasticNetCV.folds(cell, ElasticNetCV.Grid.DEFAULT.folds(), 11);
    }

    /** ElasticNetCV on drug d's measured cell lines alone, in cell order, with those cell lines' folds. */
    private static ElasticNetCV.Fit byHand(float[] x, float[] y, int[] fold, int d) {
        int n = 0;
        for (int c = 0; c < CELLS; c++) {
            n += Float.isNaN(y[c * DRUGS + d]) ? 0 : 1;
        }
        float[] rows = new float[n * P];
        double[] target = new double[n];
        int[] folds = new int[n];
        int i = 0;
        for (int c = 0; c < CELLS; c++) {
            if (!Float.isNaN(y[c * DRUGS + d])) {
                System.arraycopy(x, c * P, rows, i * P, P);
                target[i] = y[c * DRUGS + d];
                folds[i] = fold[c];
                i++;
            }
        }
        return ElasticNetCV.fit(rows, P, target, folds, ElasticNetCV.Grid.DEFAULT, null);
    }

    @Test
    void eachDrugsChoiceAndPredictionsAreThoseOfElasticNetCvOnThatDrugsRows() {
        float[][] xy = problem();
        int[] fold = folds();
        List<PerDrugElasticNetCV.DrugFit> fits = PerDrugElasticNetCV.fit(xy[0], CELLS, P, xy[1], DRUGS, fold, null);
        assertEquals(DRUGS, fits.size());
        for (int d = 0; d < DRUGS; d++) {
            PerDrugElasticNetCV.DrugFit f = fits.get(d);
            ElasticNetCV.Fit expected = byHand(xy[0], xy[1], fold, d);
            assertEquals(d, f.drug());
            assertEquals(new int[]{51, 52, 52}[d], f.rows(), "drug " + d + " rows: its measured cell lines only");
            assertEquals(expected.l1Ratio(), f.l1Ratio(), 0, "drug " + d + " l1 ratio");
            assertEquals(expected.lambda(), f.lambda(), 0, "drug " + d + " lambda");
            assertEquals(expected.cvMse(), f.cvMse(), 0, "drug " + d + " inner-CV MSE");
            assertEquals(expected.nonzero(), f.nonzero(), "drug " + d + " nonzero");
            for (int c = 0; c < CELLS; c++) {
                assertEquals(expected.predictRow(xy[0], c * P), f.predict(xy[0], c), 0, "drug " + d + " cell " + c);
            }
        }
        // the problem is not degenerate: drug 0's strong genes are kept, and the drugs do not all land on the same choice
        assertTrue(fits.get(0).coefficients()[0] > 1 && fits.get(0).coefficients()[1] < -0.5, Arrays.toString(fits.get(0).coefficients()));
        assertTrue(fits.stream().map(f -> f.l1Ratio() + "/" + f.lambda()).distinct().count() > 1, "the drugs' choices differ");
        assertEquals(3, fits.get(0).predict(xy[0], 0) - fits.get(1).predict(xy[0], 0), 6, "predictions are on the responses' scale");
    }

    @Test
    void theDrugsOnAPoolFitAsOnOneThread() {
        float[][] xy = problem();
        int[] fold = folds();
        List<PerDrugElasticNetCV.DrugFit> alone = PerDrugElasticNetCV.fit(xy[0], CELLS, P, xy[1], DRUGS, fold, null);
        ForkJoinPool pool = new ForkJoinPool(3);
        try {
            List<PerDrugElasticNetCV.DrugFit> pooled = PerDrugElasticNetCV.fit(xy[0], CELLS, P, xy[1], DRUGS, fold, pool);
            for (int d = 0; d < DRUGS; d++) {
                assertSame(alone.get(d), pooled.get(d));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void poisoningRowsOutsideADrugsTrainingRowsChangesNothingForThatDrug() {
        float[][] xy = problem();
        int[] fold = folds();
        List<PerDrugElasticNetCV.DrugFit> clean = PerDrugElasticNetCV.fit(xy[0], CELLS, P, xy[1], DRUGS, fold, null);

        // cell lines 60..71 have no response: wild features and other folds there change no drug's fit
        float[] x = xy[0].clone();
        int[] poisonedFold = fold.clone();
        for (int c = TRAIN; c < CELLS; c++) {
            Arrays.fill(x, c * P, (c + 1) * P, 1e6f);
            poisonedFold[c] = (fold[c] + 1) % ElasticNetCV.Grid.DEFAULT.folds();
        }
        List<PerDrugElasticNetCV.DrugFit> outside = PerDrugElasticNetCV.fit(x, CELLS, P, xy[1], DRUGS, poisonedFold, null);
        for (int d = 0; d < DRUGS; d++) {
            assertSame(clean.get(d), outside.get(d));
        }

        // cell line 0 is measured for drugs 1 and 2 but not for drug 0 ((0 + 0) % 7 == 0): poisoning it moves drug 1, not drug 0
        assertTrue(Float.isNaN(xy[1][0]) && !Float.isNaN(xy[1][1]));
        float[] y = xy[1].clone();
        float[] x0 = xy[0].clone();
        Arrays.fill(x0, 0, P, 50f);
        y[1] = 1e4f;
        List<PerDrugElasticNetCV.DrugFit> cellZero = PerDrugElasticNetCV.fit(x0, CELLS, P, y, DRUGS, fold, null);
        assertSame(clean.get(0), cellZero.get(0));
        assertNotEquals(clean.get(1).cvMse(), cellZero.get(1).cvMse(), "the poison reaches the drug that trains on it");
    }

    private static void assertSame(PerDrugElasticNetCV.DrugFit a, PerDrugElasticNetCV.DrugFit b) {
        assertEquals(a.rows(), b.rows());
        assertEquals(a.l1Ratio(), b.l1Ratio(), 0);
        assertEquals(a.lambda(), b.lambda(), 0);
        assertEquals(a.cvMse(), b.cvMse(), 0);
        assertEquals(a.intercept(), b.intercept(), 0);
        assertArrayEquals(a.coefficients(), b.coefficients(), 0);
        assertArrayEquals(a.featureMeans(), b.featureMeans(), 0);
    }
}
