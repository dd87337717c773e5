package org.oncobench.data;

import org.oncobench.stats.Quantiles;
import org.oncobench.config.ExperimentConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads and joins an experiment's data and plans its split, without training, for {@code data inspect}. */
public final class CohortInspector {

    public CohortInspection inspect(ExperimentConfig config) {
        Cohort cohort = new CohortBuilder().build(config.data(), config.task());
        List<CohortInspection.TableShape> tables = new ArrayList<>();
        for (FeatureTable t : cohort.sampleTables()) {
            tables.add(shape(t, "sample"));
        }
        for (FeatureTable t : cohort.drugTables()) {
            tables.add(shape(t, "drug"));
        }
        float[] y = cohort.targets();
        double[] sorted = new double[y.length];
        double sum = 0;
        int positives = 0;
        for (int i = 0; i < y.length; i++) {
            sorted[i] = y[i];
            sum += y[i];
            positives += y[i] > 0.5 ? 1 : 0;
        }
        Arrays.sort(sorted);
        double mean = sum / y.length;
        double ss = 0;
        for (float v : y) {
            ss += (v - mean) * (v - mean);
        }
        CohortInspection.TargetSummary target = new CohortInspection.TargetSummary(cohort.targetName(), y.length, mean,
                Math.sqrt(ss / Math.max(1, y.length - 1)), sorted[0], quantile(sorted, 0.25), quantile(sorted, 0.5), quantile(sorted, 0.75),
                sorted[sorted.length - 1], config.task().isClassification() ? positives : -1);
        Map<String, Map<String, Integer>> groups = new LinkedHashMap<>();
        for (Map.Entry<String, String[]> g : cohort.groups().entrySet()) {
            Map<String, Integer> counts = new TreeMap<>();
            for (String label : g.getValue()) {
                counts.merge(label, 1, Integer::sum);
            }
            groups.put(g.getKey(), counts);
        }
        List<CohortInspection.FoldSizes> folds = new ArrayList<>();
        for (Fold f : new SplitPlanner().plan(cohort, config.split(), config.seed(), config.task().isClassification())) {
            int[] train = f.assignment().rows(SplitAssignment.TRAIN);
            int[] test = f.assignment().rows(SplitAssignment.TEST);
            folds.add(new CohortInspection.FoldSizes(f.repeat(), f.fold(), train.length, f.assignment().rows(SplitAssignment.VALIDATION).length,
                    test.length, distinctSamples(cohort, train), distinctSamples(cohort, test)));
        }
        return new CohortInspection(cohort.joinReport(), tables, target, groups, folds);
    }

    private static CohortInspection.TableShape shape(FeatureTable t, String entity) {
        long missing = 0;
        for (int r = 0; r < t.rows(); r++) {
            for (int c = 0; c < t.width(); c++) {
                if (Float.isNaN(t.get(r, c))) {
                    missing++;
                }
            }
        }
        return new CohortInspection.TableShape(t.name(), entity, t.rows(), t.width(), missing, t.rows());
    }

    private static int distinctSamples(Cohort cohort, int[] rows) {
        return (int) Arrays.stream(rows).map(r -> cohort.rowSample()[r]).distinct().count();
    }

    static double quantile(double[] sorted, double q) {
        return Quantiles.ofSorted(sorted, q);
    }
}
