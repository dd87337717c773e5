package org.oncobench.eval;

import org.oncobench.stats.PairMoments;
import org.oncobench.stats.Quantiles;
import org.oncobench.stats.Shuffles;
import org.oncobench.data.Cohort;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * For whom the model works worse: for every {@code data.groups} column (tissue, sex, age band, primary vs metastatic),
 * each group's test metric with its number of rows and samples, and a disparity summary — the worst and best group,
 * the gap (worst group's metric minus best group's: positive for RMSE, negative for AUC) and the ratio between them, a
 * 95% bootstrap interval of that signed gap (samples resampled within each of the two groups, which stay the ones the
 * point estimate named, so the interval can straddle 0; draws that cannot be scored, a resample with one class for
 * AUC, are dropped and counted, and the interval is the type 7 quantiles of the rest, {@link #quantile}), and a
 * permutation test of whether the largest gap is larger than chance: group labels shuffled across the test samples
 * (each sample keeps its rows), the largest |gap| recomputed, 1,000 times. Groups too small to score (fewer than
 * {@link #MIN_ROWS} rows or {@link #MIN_SAMPLES} samples, or one class for AUC) are listed as such, never dropped.
 */
public final class Fairness {
    static final int MIN_ROWS = 20;
    static final int MIN_SAMPLES = 3;
    /** Test samples the worst group needs before the report and the run page mark it (besides a gap larger than chance). */
    public static final int MIN_SAMPLES_TO_FLAG = 10;
    private static final int RESAMPLES = 1000;

    private Fairness() {
    }

    public static Map<String, Object> of(Cohort cohort, int[] testRows, double[] predicted, boolean classification, long seed) {
        Map<String, Object> out = new LinkedHashMap<>();
        double[] observed = Arrays.stream(testRows).mapToDouble(r -> cohort.targets()[r]).toArray();
        int[] sampleOfRow = Arrays.stream(testRows).map(r -> cohort.rowSample()[r]).toArray();
        for (Map.Entry<String, String[]> g : cohort.groups().entrySet()) {
            out.put(g.getKey(), column(g.getValue(), sampleOfRow, observed, predicted, classification, seed));
        }
        return out;
    }

    private static Map<String, Object> column(String[] groupOfSample, int[] sampleOfRow, double[] observed, double[] predicted, boolean classification,
                                              long seed) {
        String metric = classification ? "auc" : "rmse";
        // test samples and their rows, in a stable order
        TreeMap<Integer, List<Integer>> rowsOfSample = new TreeMap<>();
        for (int i = 0; i < sampleOfRow.length; i++) {
            rowsOfSample.computeIfAbsent(sampleOfRow[i], k -> new ArrayList<>()).add(i);
        }
        int[] samples = rowsOfSample.keySet().stream().mapToInt(Integer::intValue).toArray();
        String[] labels = Arrays.stream(samples).mapToObj(s -> groupOfSample[s] == null ? "(missing)" : groupOfSample[s]).toArray(String[]::new);
        TestRows test = new TestRows(samples, rowsOfSample, observed, predicted, classification);
        Map<String, Double> scores = test.scores(labels);
        List<String> tooSmall = new ArrayList<>();
        Map<String, Object> col = new LinkedHashMap<>();
        col.put("metric", metric);
        col.put("groups", groupRows(labels, test, scores, metric, tooSmall));
        col.put("too_small_to_score", tooSmall);
        col.put("minimum", "at least " + MIN_ROWS + " test rows and " + MIN_SAMPLES + " samples" + (classification ? ", both classes" : ""));
        if (scores.size() < 2) {
            col.put("disparity", null);
            col.put("note", scores.size() + " group(s) large enough to score: no disparity to measure");
            return col;
        }
        col.put("disparity", disparity(labels, test, scores, metric, seed));
        return col;
    }

    /** One row per group (sorted by label): its rows, samples and metric, or "scored": false when it is too small to score. */
    private static List<Map<String, Object>> groupRows(String[] labels, TestRows test, Map<String, Double> scores, String metric, List<String> tooSmall) {
        Map<String, int[]> counts = new TreeMap<>();
        for (int k = 0; k < test.samples().length; k++) {
            int[] c = counts.computeIfAbsent(labels[k], x -> new int[2]);
            c[0] += test.rowsOfSample().get(test.samples()[k]).size();
            c[1]++;
        }
        List<Map<String, Object>> groups = new ArrayList<>();
        counts.forEach((label, c) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("group", label);
            row.put("rows", c[0]);
            row.put("samples", c[1]);
            Double s = scores.get(label);
            row.put(metric, s);
            if (s == null) {
                row.put("scored", false);
                tooSmall.add(label);
            }
            groups.add(row);
        });
        return groups;
    }

    /** The worst and best scored groups, their signed gap with its bootstrap interval, and the permutation test. */
    private static Map<String, Object> disparity(String[] labels, TestRows test, Map<String, Double> scores, String metric, long seed) {
        boolean lowerIsBetter = !test.classification();
        String worst = null;
        String best = null;
        for (Map.Entry<String, Double> e : scores.entrySet()) {
            if (worst == null || (lowerIsBetter ? e.getValue() > scores.get(worst) : e.getValue() < scores.get(worst))) {
                worst = e.getKey();
            }
            if (best == null || (lowerIsBetter ? e.getValue() < scores.get(best) : e.getValue() > scores.get(best))) {
                best = e.getKey();
            }
        }
        double gap = scores.get(worst) - scores.get(best);
        SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + 11);
        // bootstrap interval of the signed worst - best gap: resample samples within each of the two groups; draws where
        // either group cannot be scored are dropped
        double[] boot = new double[RESAMPLES];
        for (int k = 0; k < RESAMPLES; k++) {
            boot[k] = test.resampledScore(worst, labels, rng) - test.resampledScore(best, labels, rng);
        }
        double[] finite = Arrays.stream(boot).filter(Double::isFinite).toArray();
        // as for the other bootstrap intervals (Significance): no interval when fewer than half the draws can be scored
        boolean enough = finite.length >= Math.max(2, RESAMPLES / 2);
        double p = permutationP(labels, test, Math.abs(gap), rng);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("worst", worst);
        d.put("best", best);
        d.put("worst_" + metric, scores.get(worst));
        d.put("best_" + metric, scores.get(best));
        d.put("gap", gap);
        d.put("ratio", scores.get(worst) / scores.get(best));
        d.put("gap_interval", enough ? List.of(quantile(finite, 0.025), quantile(finite, 0.975)) : Arrays.asList(null, null));
        d.put("gap_interval_draws_dropped", RESAMPLES - finite.length);
        d.put("permutation_p", p);
        d.put("larger_than_chance", p < 0.05);
        d.put("gap_definition", "worst group's " + metric + " minus best group's (the groups of the point estimate, also in every resample)");
        d.put("test", "group labels shuffled across test samples " + RESAMPLES + " times; p = share of shuffles whose largest gap is at least this one");
        return d;
    }

    /** Group labels shuffled across samples {@link #RESAMPLES} times: the share whose largest gap among scorable groups reaches {@code gap}. */
    private static double permutationP(String[] labels, TestRows test, double gap, SplittableRandom rng) {
        int atLeast = 0;
        String[] shuffled = labels.clone();
        for (int k = 0; k < RESAMPLES; k++) {
            Shuffles.shuffle(Arrays.asList(shuffled), rng::nextInt);
            Map<String, Double> s = test.scores(shuffled);
            if (s.size() >= 2) {
                double max = s.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
                double min = s.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
                if (max - min >= gap) {
                    atLeast++;
                }
            }
        }
        return (1.0 + atLeast) / (1.0 + RESAMPLES);
    }

    /**
     * Whether the report and the run page mark a group as the one the model serves worse: it is the worst group, the
     * permutation test found the gap larger than chance (p < 0.05), and it has at least {@value #MIN_SAMPLES_TO_FLAG}
     * test samples. A 3-sample group at p = 0.5 is listed, never highlighted.
     */
    public static boolean flagsWorst(Map<String, Object> disparity, Map<String, Object> group) {
        return disparity != null && Boolean.TRUE.equals(disparity.get("larger_than_chance")) && String.valueOf(disparity.get("worst")).equals(group.get("group"))
                && group.get("samples") instanceof Number n && n.intValue() >= MIN_SAMPLES_TO_FLAG;
    }

    /**
     * The q-quantile of the values by linear interpolation between order statistics (type 7: R's default, numpy's
     * linear; commons-math's {@code Percentile} with {@code EstimationType.R_7}).
     */
    static double quantile(double[] values, double q) {
        return Quantiles.of(values, q);
    }

    /** The test samples in a stable order, each sample's test rows, and the rows' observed and predicted values. */
    private record TestRows(int[] samples, Map<Integer, List<Integer>> rowsOfSample, double[] observed, double[] predicted, boolean classification) {
        /** Each group's metric, for groups large enough to score (and, for AUC, with both classes). */
        Map<String, Double> scores(String[] labels) {
            Map<String, List<Integer>> rows = new TreeMap<>();
            Map<String, Integer> sampleCount = new TreeMap<>();
            for (int k = 0; k < samples.length; k++) {
                rows.computeIfAbsent(labels[k], x -> new ArrayList<>()).addAll(rowsOfSample.get(samples[k]));
                sampleCount.merge(labels[k], 1, Integer::sum);
            }
            Map<String, Double> out = new TreeMap<>();
            rows.forEach((label, r) -> {
                if (r.size() < MIN_ROWS || sampleCount.get(label) < MIN_SAMPLES) {
                    return;
                }
                double s = score(r.stream().mapToInt(Integer::intValue).toArray());
                if (Double.isFinite(s)) {
                    out.put(label, s);
                }
            });
            return out;
        }

        /** The group's metric over its samples drawn with replacement; NaN when the draw cannot be scored. */
        double resampledScore(String label, String[] labels, SplittableRandom rng) {
            List<Integer> members = new ArrayList<>();
            for (int k = 0; k < samples.length; k++) {
                if (labels[k].equals(label)) {
                    members.add(samples[k]);
                }
            }
            List<Integer> rows = new ArrayList<>();
            for (int k = 0; k < members.size(); k++) {
                rows.addAll(rowsOfSample.get(members.get(rng.nextInt(members.size()))));
            }
            double s = score(rows.stream().mapToInt(Integer::intValue).toArray());
            return Double.isFinite(s) ? s : Double.NaN;
        }

        private double score(int[] rows) {
            double[] o = Arrays.stream(rows).mapToDouble(i -> observed[i]).toArray();
            double[] p = Arrays.stream(rows).mapToDouble(i -> predicted[i]).toArray();
            if (classification) {
                boolean both = Arrays.stream(o).anyMatch(v -> v > 0.5) && Arrays.stream(o).anyMatch(v -> v <= 0.5);
                return both ? ClassificationMetrics.of(o, p).auc() : Double.NaN;
            }
            return PairMoments.of(o, p, null).rmse();
        }
    }
}
