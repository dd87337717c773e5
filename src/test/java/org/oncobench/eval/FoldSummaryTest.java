package org.oncobench.eval;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FoldSummaryTest {
    @Test
    void meanAndSampleSdAcrossFoldsSkipUndefinedValues() {
        // fold RMSEs 1, 2, 4: mean 7/3, sd with n - 1 = sqrt(((4/3)^2 + (1/3)^2 + (5/3)^2) / 2) = sqrt(7/3) = 1.5275252316519468
        // Pearson is undefined in the third fold: mean and sd of the two others, over 2 folds
        List<Map<String, Object>> folds = List.of(
                Map.of("n", 10, "rmse", 1.0, "pearson", 0.5),
                Map.of("n", 10, "rmse", 2.0, "pearson", 0.7),
                new java.util.HashMap<>(Map.of("n", 10, "rmse", 4.0)));
        folds.get(2).put("pearson", null);
        Map<String, Object> s = FoldSummary.summarise(folds);
        Map<?, ?> rmse = (Map<?, ?>) s.get("rmse");
        assertEquals(7.0 / 3.0, (double) rmse.get("mean"), 1e-12);
        assertEquals(1.5275252316519468, (double) rmse.get("sd"), 1e-12);
        assertEquals(3, rmse.get("folds"));
        Map<?, ?> pearson = (Map<?, ?>) s.get("pearson");
        assertEquals(0.6, (double) pearson.get("mean"), 1e-12);
        assertEquals(Math.sqrt(0.02), (double) pearson.get("sd"), 1e-12);
        assertEquals(2, pearson.get("folds"));
    }

    /**
     * k-fold regression with drugs: the metric beyond the mean effects is summarised across folds like the others (the
     * console once showed "beyond ME -" with a classification reason while metrics.json had the pooled value).
     */
    @Test
    void theMetricBeyondTheMeanEffectsIsSummarisedAcrossFolds() {
        org.oncobench.data.Cohort c = org.oncobench.model.ModelZooFixtures.cohort(false);
        java.util.Random r = new java.util.Random(3);
        List<EvaluationReport> folds = new java.util.ArrayList<>();
        for (int f = 0; f < 2; f++) {
            int[] rows = java.util.stream.IntStream.range(f * 60, f * 60 + 60).toArray();
            double[] predicted = new double[rows.length];
            double[] meanEffects = new double[rows.length];
            for (int i = 0; i < rows.length; i++) {
                meanEffects[i] = c.targets()[rows[i]] + r.nextGaussian();
                predicted[i] = c.targets()[rows[i]] + 0.5 * r.nextGaussian();
            }
            folds.add(new Evaluator().evaluate(c, rows, predicted, Map.of("drug_mean", meanEffects), false, meanEffects));
        }
        Map<?, ?> model = (Map<?, ?>) FoldSummary.of(folds).get("model");
        Map<?, ?> beyond = (Map<?, ?>) model.get("pearson" + BeyondMeanEffects.SUFFIX);
        assertEquals(2, beyond.get("folds"), model.toString());
        double mean = (((Number) folds.get(0).beyondMeanEffects().get(EvaluationReport.MODEL).toMap().get("pearson" + BeyondMeanEffects.SUFFIX))
                .doubleValue() + ((Number) folds.get(1).beyondMeanEffects().get(EvaluationReport.MODEL).toMap().get("pearson" + BeyondMeanEffects.SUFFIX))
                .doubleValue()) / 2;
        assertEquals(mean, (double) beyond.get("mean"), 1e-12);
    }
}
