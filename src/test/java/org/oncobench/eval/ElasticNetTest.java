package org.oncobench.eval;

import org.junit.jupiter.api.Test;
import org.oncobench.data.Cohort;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ElasticNetTest {

    /** A centred column-major design of n rows and p Gaussian columns, and a sparse linear response with noise. */
    private static double[][] problem(int n, int p, long seed) {
        Random r = new Random(seed);
        double[] x = new double[n * p];
        for (int j = 0; j < p; j++) {
            double m = 0;
            for (int i = 0; i < n; i++) {
                x[j * n + i] = r.nextGaussian();
                m += x[j * n + i];
            }
            for (int i = 0; i < n; i++) {
                x[j * n + i] -= m / n;
            }
        }
        double[] y = new double[n];
        double my = 0;
        for (int i = 0; i < n; i++) {
            y[i] = 2 * x[i] - 1.5 * x[n + i] + x[2 * n + i] + 0.5 * r.nextGaussian();
            my += y[i];
        }
        for (int i = 0; i < n; i++) {
            y[i] -= my / n;
        }
        return new double[][]{x, y};
    }

    @Test
    void everySolutionOfThePathSatisfiesItsOptimalityConditions() {
        for (int[] shape : new int[][]{{120, 40}, {40, 150}}) { // more rows than features, and fewer
            int n = shape[0];
            int p = shape[1];
            double[][] xy = problem(n, p, 3);
            // run to a tight tolerance the conditions hold to 1e-6 of lambda; at the default (glmnet's) to 1e-3 absolute (sd(y) ~2.5)
            for (double[] tolerance : new double[][]{{1e-20, 1e-6, 0}, {ElasticNetPath.TOLERANCE, 0, 1e-3}}) {
            ElasticNetPath path = new ElasticNetPath(xy[0], n, p, tolerance[0]);
            for (double alpha : new double[]{1.0, 0.5, 0.2}) {
                double[] lambdas = ElasticNetPath.grid(path.lambdaMax(xy[1], alpha), 30, 1e-3);
                List<double[]> solutions = new ArrayList<>();
                path.path(xy[1], alpha, lambdas, (k, b) -> solutions.add(b.clone()));
                assertEquals(30, solutions.size());
                // at lambdaMax every coefficient is 0; the smallest lambda leaves the three true features in
                assertTrue(IntStream.range(0, p).allMatch(j -> solutions.get(0)[j] == 0));
                double[] last = solutions.get(29);
                assertTrue(last[0] > 0.8 && last[1] < -0.5 && last[2] > 0.3, "the true coefficients are recovered: " + last[0] + " " + last[1]);
                for (int k = 0; k < 30; k++) {
                    double v = path.kktViolation(xy[1], solutions.get(k), lambdas[k], alpha);
                    assertTrue(v < tolerance[1] * lambdas[k] + tolerance[2], "KKT violated by " + v + " at lambda " + lambdas[k] + " alpha " + alpha + " n " + n);
                }
            }
            }
        }
    }

    @Test
    void onAnOrthonormalDesignTheLassoIsSoftThresholding() {
        int n = 64;
        int p = 8;
        double[][] xy = problem(n, p, 9);
        double[] x = xy[0];
        for (int j = 0; j < p; j++) { // Gram-Schmidt of centred columns, scaled so that x_j'x_j = n
            for (int k = 0; k < j; k++) {
                double d = 0;
                for (int i = 0; i < n; i++) {
                    d += x[j * n + i] * x[k * n + i];
                }
                for (int i = 0; i < n; i++) {
                    x[j * n + i] -= d / n * x[k * n + i];
                }
            }
            double norm = 0;
            for (int i = 0; i < n; i++) {
                norm += x[j * n + i] * x[j * n + i];
            }
            for (int i = 0; i < n; i++) {
                x[j * n + i] *= Math.sqrt(n / norm);
            }
        }
        ElasticNetPath path = new ElasticNetPath(x, n, p);
        for (double alpha : new double[]{1.0, 0.5}) {
            double[] lambdas = ElasticNetPath.grid(path.lambdaMax(xy[1], alpha), 10, 1e-2);
            path.path(xy[1], alpha, lambdas, (k, beta) -> {
                for (int j = 0; j < p; j++) {
                    double z = 0;
                    for (int i = 0; i < n; i++) {
                        z += x[j * n + i] * xy[1][i];
                    }
                    double expected = ElasticNetPath.soft(z / n, lambdas[k] * alpha) / (1 + lambdas[k] * (1 - alpha));
                    assertEquals(expected, beta[j], 1e-6, "coefficient " + j + " at lambda " + lambdas[k]);
                }
            });
        }
    }

    /** 300 cell lines x 3 drugs, 30 genes; two genes carry the signal. The last 60 cell lines are the test rows. */
    static Cohort pairs(double poison) {
        return SingleDrugModelsTest.cohort(300, 3, 30, poison, 240);
    }

    @Test
    void innerCrossValidationNeverSeesTestRows() {
        Cohort clean = pairs(0);
        Cohort poisoned = pairs(1e4);
        int[] train = IntStream.range(0, clean.size()).filter(r -> clean.rowSample()[r] < 240).toArray();
        int[] test = IntStream.range(0, clean.size()).filter(r -> clean.rowSample()[r] >= 240).toArray();
        assertNotEquals(clean.targets()[test[0]], poisoned.targets()[test[0]]);
        ElasticNet a = ElasticNet.fit(clean, train, 5, null);
        ElasticNet b = ElasticNet.fit(poisoned, train, 5, null);
        assertEquals(a.settings(), b.settings(), "the chosen l1 ratio, lambda and inner-CV error");
        assertArrayEquals(a.predict(clean, test), b.predict(poisoned, test));
        assertTrue(org.oncobench.stats.PairMoments.pearson(TreeEnsembleTest.observed(clean, test), a.predict(clean, test)) > 0.8, "it learns the signal");
    }

    @Test
    void theSameSeedGivesTheSameModelAndAnotherSeedOtherFolds() {
        Cohort c = pairs(0);
        int[] train = IntStream.range(0, c.size()).filter(r -> c.rowSample()[r] < 240).toArray();
        int[] test = IntStream.range(0, c.size()).filter(r -> c.rowSample()[r] >= 240).toArray();
        for (long seed : new long[]{1, 2, 42}) {
            ElasticNet a = ElasticNet.fit(c, train, seed, null);
            java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(2);
            ElasticNet b = ElasticNet.fit(c, train, seed, pool); // the pool changes the order of the paths, not the answer
            pool.shutdown();
            assertEquals(a.settings(), b.settings());
            assertArrayEquals(a.predict(c, test), b.predict(c, test));
        }
        assertNotEquals(ElasticNet.fit(c, train, 1, null).settings().get("inner_cv_mse"), ElasticNet.fit(c, train, 2, null).settings().get("inner_cv_mse"));
    }

    @Test
    void foldsKeepACellLinesRowsTogether() {
        int[] units = {5, 5, 7, 9, 7, 5, 11, 12, 13};
        int[] fold = ElasticNetCV.folds(units, 3, 1);
        Map<Integer, Integer> seen = new java.util.HashMap<>();
        for (int i = 0; i < units.length; i++) {
            Integer before = seen.put(units[i], fold[i]);
            assertTrue(before == null || before == fold[i]);
        }
        assertEquals(3, IntStream.of(fold).distinct().count());
    }
}
