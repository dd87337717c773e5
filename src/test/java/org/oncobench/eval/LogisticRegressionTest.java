package org.oncobench.eval;

import org.junit.jupiter.api.Test;
import org.oncobench.data.Cohort;
import org.oncobench.data.FittedTransforms;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The logistic baseline: its penalty chosen on validation, L-BFGS run to convergence, probabilities at the training prevalence. */
class LogisticRegressionTest {

    /** 1,000 rows, 5 informative of 40 features, about a fifth positive (y = 1 when 1 + x1 - x2 + 0.5 x3 > 2). */
    private static Cohort imbalanced() {
        Cohort c = LinearBaselinesTest.wide(1000, 40, 11);
        float[] y = c.targets();
        for (int i = 0; i < y.length; i++) {
            y[i] = y[i] > 2 ? 1 : 0;
        }
        return c;
    }

    @Test
    void penaltyTunedOnValidationAndProbabilitiesAtTheTrainingPrevalence() {
        Cohort c = imbalanced();
        int[] train = IntStream.range(0, 700).toArray();
        int[] validation = IntStream.range(700, 850).toArray();
        int[] test = IntStream.range(850, 1000).toArray();
        double positives = Arrays.stream(train).filter(i -> c.targets()[i] > 0.5).count() / (double) train.length;
        assertTrue(positives > 0.1 && positives < 0.35, "an imbalanced cohort: " + positives);
        FittedTransforms t = new FittedTransforms(List.of(), 0f, 1f, true, positives);

        LogisticRegression fit = LogisticRegression.fit(c, train, validation, t);
        Map<String, Object> s = fit.settings();
        System.out.println("logistic: " + s);
        assertTrue(Arrays.stream(LogisticRegression.GRID).anyMatch(l2 -> l2 == (double) s.get("l2")), s.toString());
        assertEquals(Boolean.TRUE, s.get("converged"), s.toString());
        assertTrue((int) s.get("iterations") < LogisticRegression.MAX_ITERATIONS, s.toString());

        double[] observed = Arrays.stream(test).mapToDouble(i -> c.targets()[i]).toArray();
        double[] p = fit.predict(c, test);
        assertTrue(ClassificationMetrics.auc(observed, p) > 0.95, "a linear signal is found: AUC " + ClassificationMetrics.auc(observed, p));
        // balanced weights alone would centre the mean probability near 0.5; corrected it sits near the prevalence
        double meanTrain = Arrays.stream(fit.predict(c, train)).average().orElseThrow();
        assertEquals(positives, meanTrain, 0.06, "mean probability on training rows vs the training prevalence");
    }

    @Test
    void withoutValidationRowsTheDefaultPenalty() {
        Cohort c = imbalanced();
        int[] train = IntStream.range(0, 700).toArray();
        FittedTransforms t = new FittedTransforms(List.of(), 0f, 1f, true, 0.2);
        LogisticRegression fit = LogisticRegression.fit(c, train, new int[0], t);
        assertEquals(LogisticRegression.DEFAULT_L2, (double) fit.settings().get("l2"));
    }
}
