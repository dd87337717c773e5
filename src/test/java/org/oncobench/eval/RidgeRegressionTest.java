package org.oncobench.eval;

import org.junit.jupiter.api.Test;
import org.oncobench.data.Cohort;
import org.oncobench.data.FeatureTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RidgeRegressionTest {

    /** One sample per row, features x1, x2, target y = 1 + 2 x1 - 3 x2 (+ noise if asked). */
    static Cohort linear(int n, double noise, long seed) {
        Random r = new Random(seed);
        List<String> ids = new ArrayList<>();
        float[] x = new float[n * 2];
        float[] y = new float[n];
        int[] rs = new int[n];
        int[] rd = new int[n];
        for (int i = 0; i < n; i++) {
            ids.add("s" + i);
            x[2 * i] = (float) r.nextGaussian();
            x[2 * i + 1] = (float) r.nextGaussian();
            y[i] = (float) (1 + 2 * x[2 * i] - 3 * x[2 * i + 1] + noise * r.nextGaussian());
            rs[i] = i;
            rd[i] = -1;
        }
        return new Cohort("y", ids, ids, List.of(), rs, rd, y, List.of(new FeatureTable("x", ids, List.of("x1", "x2"), x)), List.of(),
                Map.of(), new Cohort.JoinReport(n, n, 0, List.of(), 0, List.of()));
    }

    @Test
    void ridgeRecoversANoiselessLinearModel() {
        Cohort c = RidgeRegressionTest.linear(200, 0, 1);
        int[] train = java.util.stream.IntStream.range(0, 150).toArray();
        int[] test = java.util.stream.IntStream.range(150, 200).toArray();
        // no validation rows: lambda = n / 100 = 1.5, a slight shrinkage on 150 rows
        RidgeRegression ridge = RidgeRegression.fit(c, train, new int[0]);
        double[] predicted = ridge.predict(c, test);
        assertEquals(1.5, ridge.lambda(), 1e-12); // n / 100
        for (int i = 0; i < test.length; i++) {
            assertEquals(c.targets()[test[i]], predicted[i], 0.1);
        }
    }

    @Test
    void ridgeMatchesTheClosedFormOnTwoFeatures() {
        Cohort c = RidgeRegressionTest.linear(60, 0.5, 2);
        int[] train = java.util.stream.IntStream.range(0, 50).toArray();
        int[] test = java.util.stream.IntStream.range(50, 60).toArray();
        RidgeRegression ridge = RidgeRegression.fit(c, train, new int[0]);
        double[] predicted = ridge.predict(c, test);
        // closed form by hand: centre, then (X'X + lambda I)^-1 X'y for 2 x 2
        double lambda = 0.5;
        double m1 = 0, m2 = 0, my = 0;
        for (int r : train) {
            m1 += c.sampleTables().get(0).get(r, 0);
            m2 += c.sampleTables().get(0).get(r, 1);
            my += c.targets()[r];
        }
        m1 /= train.length;
        m2 /= train.length;
        my /= train.length;
        double a = lambda, b = 0, d = lambda, e1 = 0, e2 = 0;
        for (int r : train) {
            double x1 = c.sampleTables().get(0).get(r, 0) - m1;
            double x2 = c.sampleTables().get(0).get(r, 1) - m2;
            double y = c.targets()[r] - my;
            a += x1 * x1;
            b += x1 * x2;
            d += x2 * x2;
            e1 += x1 * y;
            e2 += x2 * y;
        }
        double det = a * d - b * b;
        double b1 = (d * e1 - b * e2) / det;
        double b2 = (a * e2 - b * e1) / det;
        for (int i = 0; i < test.length; i++) {
            double x1 = c.sampleTables().get(0).get(test[i], 0);
            double x2 = c.sampleTables().get(0).get(test[i], 1);
            assertEquals(my + b1 * (x1 - m1) + b2 * (x2 - m2), predicted[i], 1e-6);
        }
    }

    @Test
    void ridgePicksThePenaltyOnValidationRows() {
        Cohort c = RidgeRegressionTest.linear(300, 0.3, 3);
        int[] train = java.util.stream.IntStream.range(0, 200).toArray();
        int[] val = java.util.stream.IntStream.range(200, 250).toArray();
        int[] test = java.util.stream.IntStream.range(250, 300).toArray();
        RidgeRegression ridge = RidgeRegression.fit(c, train, val);
        double[] predicted = ridge.predict(c, test);
        // a true linear signal wants little shrinkage: the smallest grid values
        assertTrue(ridge.lambda() <= 0.01 * 200, "lambda " + ridge.lambda());
        double[] obs = new double[test.length];
        for (int i = 0; i < test.length; i++) {
            obs[i] = c.targets()[test[i]];
        }
        assertEquals(0.3, RegressionMetrics.of(obs, predicted).rmse(), 0.1);
    }

    @Test
    void dualAndPrimalFormsGiveTheSameModel() {
        Cohort c = LinearBaselinesTest.wide(40, 30, 4);
        int[] train = java.util.stream.IntStream.range(0, 32).toArray();
        int[] val = java.util.stream.IntStream.range(32, 36).toArray();
        int[] test = java.util.stream.IntStream.range(36, 40).toArray();
        RidgeRegression primal = RidgeRegression.fit(c, train, val, "primal");
        RidgeRegression dual = RidgeRegression.fit(c, train, val, "dual");
        assertEquals(primal.lambda(), dual.lambda(), 0);
        double[] a = primal.predict(c, test);
        double[] b = dual.predict(c, test);
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-8);
        }
        assertEquals("dual", RidgeRegression.fit(LinearBaselinesTest.wide(20, 50, 5), java.util.stream.IntStream.range(0, 15).toArray(),
                new int[0]).form(), "more features than rows: the n x n system");
    }
}
