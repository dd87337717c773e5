package org.oncobench.eval;

import org.junit.jupiter.api.Test;
import org.oncobench.data.Cohort;

import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TreeEnsembleTest {
    static final int[] TRAIN = IntStream.range(0, 1400).toArray();
    static final int[] VALIDATION = IntStream.range(1400, 1700).toArray();
    static final int[] TEST = IntStream.range(1700, 2000).toArray();

    /**
     * 2,000 samples, 8 Gaussian features; the response is an interaction a linear model only partly sees:
     * y = 3 [x1 > 0] [x2 > 0] + noise 0.2 (classification: y > 1.5). {@code poison} replaces the test rows' targets.
     */
    static Cohort interaction(boolean classification, long poison) {
        return interaction(classification, poison, 8);
    }

    /** The same with {@code p} features, of which the first two carry the signal. */
    static Cohort interaction(boolean classification, long poison, int p) {
        Random r = new Random(11);
        int n = 2000;
        float[] x = new float[n * p];
        float[] y = new float[n];
        Random noise = new Random(poison);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                x[i * p + j] = (float) r.nextGaussian();
            }
            double v = 3 * (x[i * p] > 0 ? 1 : 0) * (x[i * p + 1] > 0 ? 1 : 0) + 0.2 * r.nextGaussian();
            y[i] = classification ? (v > 1.5 ? 1 : 0) : (float) v;
            if (poison != 0 && i >= 1700) {
                y[i] = classification ? (noise.nextBoolean() ? 1 : 0) : (float) (10 * noise.nextGaussian());
            }
        }
        return LinearBaselinesTest.perSample(x, y, p);
    }

    static double[] observed(Cohort c, int[] rows) {
        return IntStream.of(rows).mapToDouble(i -> c.targets()[i]).toArray();
    }

    @Test
    void treesRecoverAnInteractionRidgeCannot() {
        Cohort c = interaction(false, 0);
        double ridge = RegressionMetrics.of(observed(c, TEST), RidgeRegression.fit(c, TRAIN, VALIDATION).predict(c, TEST)).rmse();
        double gbm = RegressionMetrics.of(observed(c, TEST), TreeEnsemble.fit(TreeEnsemble.Kind.GBM, c, TRAIN, VALIDATION, false, 1, 1)
                .predict(c, TEST)).rmse();
        double rf = RegressionMetrics.of(observed(c, TEST), TreeEnsemble.fit(TreeEnsemble.Kind.RF, c, TRAIN, VALIDATION, false, 1, 1)
                .predict(c, TEST)).rmse();
        System.out.printf("interaction: ridge %.3f, gbm %.3f, rf %.3f (noise 0.2)%n", ridge, gbm, rf);
        // y has sd 1.3: a plane through the quadrant's step leaves most of it; the trees find the quadrant (noise 0.2)
        assertTrue(ridge > 0.8, "ridge " + ridge);
        assertTrue(gbm < 0.35, "gbm " + gbm);
        assertTrue(rf < 0.45, "rf " + rf);
    }

    @Test
    void classificationGivesCalibratedProbabilitiesOfTheInteraction() {
        Cohort c = interaction(true, 0);
        TreeEnsemble gbm = TreeEnsemble.fit(TreeEnsemble.Kind.GBM, c, TRAIN, VALIDATION, true, 1, 1);
        double[] p = gbm.predict(c, TEST);
        ClassificationMetrics m = ClassificationMetrics.of(observed(c, TEST), p);
        assertTrue(m.auc() > 0.95, m.toString());
        assertTrue(IntStream.range(0, p.length).allMatch(i -> p[i] > 0 && p[i] < 1), "probabilities");
        assertTrue(gbm.settings().containsKey("validation_auc"), gbm.settings().toString());
    }

    @Test
    void smallCohortsStillGrowTrees() {
        // a per-sample cohort of 38 training rows and 100 features without validation rows (bladderbatch's folds)
        Cohort c = interaction(true, 0, 100);
        int[] train = IntStream.range(0, 38).toArray();
        for (TreeEnsemble.Kind kind : TreeEnsemble.Kind.values()) {
            TreeEnsemble t = TreeEnsemble.fit(kind, c, train, new int[0], true, 1, 1);
            ClassificationMetrics m = ClassificationMetrics.of(observed(c, TEST), t.predict(c, TEST));
            System.out.println("38 rows, " + kind + ": AUC " + m.auc() + " " + t.settings());
            assertTrue(m.auc() > 0.75, kind + ": " + m);
            assertEquals(3, t.settings().get("min_data_in_leaf"));
        }
    }

    @Test
    void tuningNeverSeesTestRows() {
        // the same cohort with the test rows' targets replaced by noise: the same chosen settings and validation scores
        for (TreeEnsemble.Kind kind : TreeEnsemble.Kind.values()) {
            TreeEnsemble clean = TreeEnsemble.fit(kind, interaction(false, 0), TRAIN, VALIDATION, false, 1, 1);
            TreeEnsemble poisoned = TreeEnsemble.fit(kind, interaction(false, 99), TRAIN, VALIDATION, false, 1, 1);
            assertEquals(clean.settings(), poisoned.settings(), kind.name());
        }
    }

    @Test
    void seededAndDeterministic() {
        Cohort c = interaction(false, 0);
        double[] a = TreeEnsemble.fit(TreeEnsemble.Kind.RF, c, TRAIN, VALIDATION, false, 5, 1).predict(c, TEST);
        double[] b = TreeEnsemble.fit(TreeEnsemble.Kind.RF, c, TRAIN, VALIDATION, false, 5, 1).predict(c, TEST);
        assertArrayEquals(a, b, 0.0);
    }
}
