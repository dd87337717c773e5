package org.oncobench.eval;

import org.junit.jupiter.api.Test;
import org.oncobench.data.Cohort;
import org.oncobench.data.FittedTransforms;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The liblinear baselines ({@code svr}, {@code logistic_l1}): inner CV on training rows only, determinism, and that they find the signal. */
class LiblinearBaselinesTest {

    private static int[] rows(Cohort c, boolean test) {
        return IntStream.range(0, c.size()).filter(r -> (c.rowSample()[r] >= 160) == test).toArray();
    }

    private static double rmse(double[] p, Cohort c, int[] rows) {
        double s = 0;
        for (int i = 0; i < rows.length; i++) {
            double e = p[i] - c.targets()[rows[i]];
            s += e * e;
        }
        return Math.sqrt(s / rows.length);
    }

    @Test
    void svrChoosesTheSameSettingsWhateverTheTestLabelsAndBeatsTheDrugMeans() {
        Cohort clean = SingleDrugModelsTest.cohort(200, 4, 40, 0, 160);
        Cohort poisoned = SingleDrugModelsTest.cohort(200, 4, 40, 1e4, 160);
        SupportVectorRegression a = SupportVectorRegression.fit(clean, rows(clean, false), 3, null);
        SupportVectorRegression b = SupportVectorRegression.fit(poisoned, rows(poisoned, false), 3, null);
        System.out.println("svr: " + a.settings());
        assertEquals(a.settings(), b.settings(), "no chosen value and no inner-CV score depends on the test labels");
        assertArrayEquals(a.weights(), b.weights());
        int[] test = rows(clean, true);
        double svr = rmse(a.predict(clean, test), clean, test);
        Baselines means = Baselines.fit(clean, rows(clean, false));
        double drugMean = rmse(means.predict("drug_mean", clean, test), clean, test);
        // the shared gene (last column, weight 1) is linear in the pair features; the drug-specific genes average out
        assertTrue(svr < drugMean - 0.3, "svr " + svr + " vs drug mean " + drugMean);
        assertTrue(Arrays.stream(SupportVectorRegression.C_TIMES_N).anyMatch(c -> c == (double) a.settings().get("C_times_n")));
    }

    @Test
    void svrIsTheSameAtASeedOnAnyThreadCountAndDiffersAcrossSeeds() {
        Cohort c = SingleDrugModelsTest.cohort(200, 4, 40, 0, 160);
        int[] train = rows(c, false);
        ForkJoinPool pool = new ForkJoinPool(2);
        try {
            SupportVectorRegression one = SupportVectorRegression.fit(c, train, 5, null);
            SupportVectorRegression two = SupportVectorRegression.fit(c, train, 5, pool);
            assertArrayEquals(one.weights(), two.weights());
            assertEquals(one.settings(), two.settings());
            SupportVectorRegression other = SupportVectorRegression.fit(c, train, 6, pool);
            // another seed deals the cell lines into other inner folds: another inner-CV score
            assertNotEquals(one.settings().get("inner_cv_mse"), other.settings().get("inner_cv_mse"));
        } finally {
            pool.shutdownNow();
        }
    }

    /** 600 samples, 60 features, y = 1 when x0 - x1 + 0.3 noise > 0.8 (about a fifth positive); samples from 480 on are the test. */
    private static Cohort sparseClasses(boolean poison) {
        Cohort c = LinearBaselinesTest.wide(600, 60, 21);
        float[] y = c.targets();
        java.util.Random r = new java.util.Random(4);
        for (int i = 0; i < y.length; i++) {
            y[i] = y[i] - 1 > 0.8 ? 1 : 0; // wide's target is 1 + x0 - x1 + 0.5 x2 + noise
            if (poison && i >= 480) {
                y[i] = r.nextBoolean() ? 1 : 0;
            }
        }
        return c;
    }

    @Test
    void logisticL1IsSparseFindsTheSignalAndNeverSeesTestLabels() {
        Cohort clean = sparseClasses(false);
        Cohort poisoned = sparseClasses(true);
        int[] train = IntStream.range(0, 480).toArray();
        int[] test = IntStream.range(480, 600).toArray();
        double positives = Arrays.stream(train).filter(i -> clean.targets()[i] > 0.5).count() / (double) train.length;
        FittedTransforms t = new FittedTransforms(List.of(), 0f, 1f, true, positives);
        SparseLogisticRegression a = SparseLogisticRegression.fit(clean, train, t, 9, null);
        SparseLogisticRegression b = SparseLogisticRegression.fit(poisoned, train, t, 9, null);
        System.out.println("logistic_l1: " + a.settings());
        assertEquals(a.settings(), b.settings(), "no chosen value and no inner-CV score depends on the test labels");
        assertArrayEquals(a.weights(), b.weights());
        double[] w = a.weights();
        // the three informative features carry the largest weights (x0 positive, x1 negative); most of the 57 others are exactly 0
        assertTrue(w[0] > 0 && w[1] < 0, Arrays.toString(w));
        int zeros = 0;
        for (int j = 3; j < 60; j++) {
            zeros += w[j] == 0 ? 1 : 0;
            assertTrue(Math.abs(w[j]) < Math.abs(w[1]), "noise feature " + j + " below the informative ones");
        }
        assertTrue(zeros > 30, "sparse: " + zeros + " of 57 noise weights are 0");
        double[] observed = Arrays.stream(test).mapToDouble(i -> clean.targets()[i]).toArray();
        double auc = ClassificationMetrics.auc(observed, a.predict(clean, test));
        assertTrue(auc > 0.95, "AUC " + auc);
        double meanTrain = Arrays.stream(a.predict(clean, train)).average().orElseThrow();
        assertEquals(positives, meanTrain, 0.06, "probabilities at the training prevalence");
        ForkJoinPool pool = new ForkJoinPool(2);
        try {
            SparseLogisticRegression c = SparseLogisticRegression.fit(clean, train, t, 9, pool);
            assertArrayEquals(a.weights(), c.weights(), "the same at the seed on two threads");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void settingsAreRecordedPerBaselineThroughTheBaselineSet() {
        Cohort c = SingleDrugModelsTest.cohort(200, 4, 40, 0, 160);
        BaselineSet set = BaselineSet.fit(List.of("drug_mean", "svr"), null, c, rows(c, false), new int[0], null, 3, 2, s -> { });
        Map<String, Object> svr = set.settings().get("svr");
        assertEquals("liblinear L2R_L2LOSS_SVR", svr.get("solver"));
        assertTrue(svr.containsKey("C") && svr.containsKey("epsilon") && svr.containsKey("inner_cv_mse"), svr.toString());
        assertTrue(set.skipped().isEmpty(), set.skipped().toString());
    }
}
