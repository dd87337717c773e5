package org.oncobench.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The test predictions of the first repeat, fold after fold: with k-fold every row is predicted once, by the fold that
 * held it out; a single split is its one fold. The model's, every baseline's and the mean-effects predictor's.
 */
public record PooledTest(int[] rows, double[] predicted, Map<String, double[]> baselines, double[] meanEffects) {
    static PooledTest firstRepeat(List<FoldOutcome> outcomes) {
        List<FoldOutcome> first = outcomes.stream().filter(o -> o.fold().repeat() == 0).toList();
        int n = first.stream().mapToInt(o -> o.testRows().length).sum();
        int[] rows = new int[n];
        double[] predicted = new double[n];
        double[] meanEffects = first.stream().allMatch(o -> o.meanEffects() != null) ? new double[n] : null;
        Map<String, double[]> baselines = new LinkedHashMap<>();
        int offset = 0;
        for (FoldOutcome o : first) {
            System.arraycopy(o.testRows(), 0, rows, offset, o.testRows().length);
            System.arraycopy(o.predicted(), 0, predicted, offset, o.predicted().length);
            if (meanEffects != null) {
                System.arraycopy(o.meanEffects(), 0, meanEffects, offset, o.meanEffects().length);
            }
            for (Map.Entry<String, double[]> e : o.baselinePredictions().entrySet()) {
                double[] target = baselines.computeIfAbsent(e.getKey(), k -> new double[n]);
                System.arraycopy(e.getValue(), 0, target, offset, e.getValue().length);
            }
            offset += o.testRows().length;
        }
        return new PooledTest(rows, predicted, baselines, meanEffects);
    }
}
