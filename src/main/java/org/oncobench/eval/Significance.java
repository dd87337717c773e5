package org.oncobench.eval;

import org.oncobench.stats.Quantiles;
import org.oncobench.stats.PairMoments;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * How sure a comparison is. Bootstrap 95% percentile intervals for every predictor's headline metrics and for the
 * model-minus-baseline difference, resampling the split's unit (the test cell lines of a cell-blind split, drugs of a
 * drug-blind one, rows of a mixed one) with replacement, seeded; each resample scores every predictor on the same rows,
 * so the differences are paired. Then a paired test over drugs: Wilcoxon signed-rank on the per-drug metric (Pearson;
 * AUC for classification) of the model against each baseline ({@link WilcoxonSignedRank}: zero differences dropped,
 * exact without ties or zeros up to 50 drugs, else the normal approximation with the tie correction), two-sided, with
 * Holm's step-down correction across the baselines tested. Only drugs with at least {@code min_rows_per_drug} test rows
 * ({@code evaluation.significance}, {@value #MIN_ROWS_PER_DRUG} by default) enter: a Pearson over 2 rows is +-1
 * whatever the predictions, and one over a handful is mostly noise.
 * <p>
 * Bootstrapped metrics: RMSE, Pearson and R² (regression); AUC and Brier (classification). Spearman is left out: its
 * ranks would be recomputed per resample and predictor (at GDSC scale 45,000 test rows x 1,000 resamples x 10
 * predictors).
 */
public record Significance(int resamples, String unit, int units, Map<String, Map<String, Interval>> intervals,
                           Map<String, Map<String, Interval>> differences, Map<String, PairedTest> perDrug, DrugRows drugRows, String skipped,
                           String caveat) {
    public static final double LEVEL = 0.95;
    public static final String MODEL = EvaluationReport.MODEL;
    /** The default of {@code evaluation.significance.min_rows_per_drug}. */
    public static final int MIN_ROWS_PER_DRUG = 10;
    /** Below 5 drugs the paired test is not run: no two-sided exact p-value can fall under 0.05. */
    static final int MIN_DRUGS = 5;
    static final List<String> REGRESSION = List.of("rmse", "pearson", "r2");
    static final List<String> CLASSIFICATION = List.of("auc", "brier");

    /** A point estimate and its percentile interval. */
    public record Interval(double estimate, double low, double high) {
        public boolean excludesZero() {
            return low > 0 || high < 0;
        }

        public String format() {
            return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", estimate, low, high);
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("estimate", RegressionMetrics.finite(estimate));
            m.put("low", RegressionMetrics.finite(low));
            m.put("high", RegressionMetrics.finite(high));
            return m;
        }
    }

    /**
     * Model vs one baseline over drugs: the drugs that entered (enough test rows, the metric defined for both), those
     * of them with no difference (dropped by the test), the drugs with enough rows but an undefined metric for the model
     * or the baseline (e.g. Pearson of a constant prediction), the median difference, the test and the raw and
     * Holm-adjusted p-values.
     */
    public record PairedTest(int drugs, int zeroDifferences, int undefined, double medianDifference, WilcoxonSignedRank test, double p,
                             double holmP) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("test", "wilcoxon signed-rank, two-sided");
            m.put("drugs", drugs);
            m.put("zero_differences_dropped", zeroDifferences);
            m.put("drugs_metric_undefined", undefined);
            m.put("median_difference", RegressionMetrics.finite(medianDifference));
            m.put("statistic", test.statistic());
            m.put("method", test.method());
            m.put("p", RegressionMetrics.finite(p));
            m.put("p_holm", RegressionMetrics.finite(holmP));
            return m;
        }
    }

    /** The drugs of the test set, how many rows one needs to enter the paired test, and how many were left out for fewer. */
    public record DrugRows(int minRowsPerDrug, int drugs, int tooFewRows) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("min_rows_per_drug", minRowsPerDrug);
            m.put("drugs", drugs);
            m.put("drugs_with_enough_rows", drugs - tooFewRows);
            m.put("drugs_left_out_too_few_rows", tooFewRows);
            return m;
        }
    }

    /** As below, with the default minimum of {@value #MIN_ROWS_PER_DRUG} test rows for a drug to enter the paired test. */
    public static Significance of(double[] observed, double[] predicted, Map<String, double[]> baselines, String[] unitOfRow, String unit,
                                  boolean classification, GroupedMetrics perDrug, Map<String, GroupedMetrics> perDrugOfBaselines,
                                  int resamples, long seed) {
        return of(observed, predicted, baselines, unitOfRow, unit, classification, perDrug, perDrugOfBaselines, resamples, seed, MIN_ROWS_PER_DRUG);
    }

    /**
     * @param unitOfRow  each test row's resampling unit (any ids; equal ids are resampled together)
     * @param perDrug    per-drug scores of the model (null without drugs)
     * @param perDrugOfBaselines per-drug scores of each baseline
     * @param minRowsPerDrug test rows a drug needs to enter the paired test over drugs
     */
    public static Significance of(double[] observed, double[] predicted, Map<String, double[]> baselines, String[] unitOfRow, String unit,
                                  boolean classification, GroupedMetrics perDrug, Map<String, GroupedMetrics> perDrugOfBaselines,
                                  int resamples, long seed, int minRowsPerDrug) {
        Map<String, double[]> predictors = new LinkedHashMap<>();
        predictors.put(MODEL, predicted);
        predictors.putAll(baselines);
        List<String> metrics = classification ? CLASSIFICATION : REGRESSION;
        int[][] unitRows = unitRows(unitOfRow);
        Map<String, double[]> point = new LinkedHashMap<>();
        predictors.forEach((name, p) -> point.put(name, score(metrics, classification, observed, p, null)));
        Map<String, double[][]> draws = bootstrapDraws(observed, predictors, unitRows, metrics, classification, resamples, seed);
        Map<String, Map<String, Interval>> intervals = new LinkedHashMap<>();
        Map<String, Map<String, Interval>> differences = new LinkedHashMap<>();
        for (String name : predictors.keySet()) {
            intervals.put(name, intervals(metrics, point, draws, name, false));
            if (!name.equals(MODEL)) {
                differences.put(name, intervals(metrics, point, draws, name, true));
            }
        }
        Map<String, PairedTest> tests = new LinkedHashMap<>();
        String skipped = null;
        DrugRows drugRows = null;
        if (perDrug == null) {
            skipped = "no drugs: the paired test over drugs needs a drug column";
        } else {
            tests = perDrugTests(perDrug, perDrugOfBaselines, minRowsPerDrug);
            drugRows = drugRows(perDrug, minRowsPerDrug);
        }
        return new Significance(resamples, unit, unitRows.length, intervals, differences, tests, drugRows, skipped, null);
    }

    /** The test rows grouped by resampling unit, units in first-seen order (deterministic). */
    private static int[][] unitRows(String[] unitOfRow) {
        Map<String, List<Integer>> byUnit = new LinkedHashMap<>();
        for (int i = 0; i < unitOfRow.length; i++) {
            byUnit.computeIfAbsent(unitOfRow[i], k -> new ArrayList<>()).add(i);
        }
        return byUnit.values().stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
    }

    /** Every predictor's metrics on the same cluster-bootstrap resamples of the units: draws[predictor][metric][resample]. */
    private static Map<String, double[][]> bootstrapDraws(double[] observed, Map<String, double[]> predictors, int[][] unitRows, List<String> metrics,
                                                          boolean classification, int resamples, long seed) {
        Map<String, double[][]> draws = new LinkedHashMap<>();
        predictors.keySet().forEach(name -> draws.put(name, new double[metrics.size()][resamples]));
        SplittableRandom random = new SplittableRandom(seed);
        int[] rows = new int[observed.length * 2];
        for (int b = 0; b < resamples; b++) {
            int n = 0;
            for (int u = 0; u < unitRows.length; u++) {
                int[] chosen = unitRows[random.nextInt(unitRows.length)];
                if (n + chosen.length > rows.length) {
                    rows = Arrays.copyOf(rows, Math.max(rows.length * 2, n + chosen.length));
                }
                System.arraycopy(chosen, 0, rows, n, chosen.length);
                n += chosen.length;
            }
            int[] sample = Arrays.copyOf(rows, n);
            for (Map.Entry<String, double[]> e : predictors.entrySet()) {
                double[] s = score(metrics, classification, observed, e.getValue(), sample);
                double[][] d = draws.get(e.getKey());
                for (int m = 0; m < s.length; m++) {
                    d[m][b] = s[m];
                }
            }
        }
        return draws;
    }

    /** Per metric, the predictor's own interval, or (difference) the interval of the model's metric minus the predictor's. */
    private static Map<String, Interval> intervals(List<String> metrics, Map<String, double[]> point, Map<String, double[][]> draws, String name,
                                                   boolean difference) {
        Map<String, Interval> out = new LinkedHashMap<>();
        double[][] model = draws.get(MODEL);
        for (int m = 0; m < metrics.size(); m++) {
            if (!difference) {
                out.put(metrics.get(m), interval(point.get(name)[m], draws.get(name)[m]));
                continue;
            }
            double[] d = new double[model[m].length];
            for (int b = 0; b < d.length; b++) {
                d[b] = model[m][b] - draws.get(name)[m][b];
            }
            out.put(metrics.get(m), interval(point.get(MODEL)[m] - point.get(name)[m], d));
        }
        return out;
    }

    static DrugRows drugRows(GroupedMetrics perDrug, int minRowsPerDrug) {
        int tooFew = (int) perDrug.groups().values().stream().filter(s -> s.n() < minRowsPerDrug).count();
        return new DrugRows(minRowsPerDrug, perDrug.groups().size(), tooFew);
    }

    static Map<String, PairedTest> perDrugTests(GroupedMetrics model, Map<String, GroupedMetrics> baselines) {
        return perDrugTests(model, baselines, MIN_ROWS_PER_DRUG);
    }

    /**
     * Wilcoxon signed-rank of the model's per-drug metric against each baseline's over the drugs with at least
     * {@code minRowsPerDrug} test rows, Holm-corrected across baselines.
     */
    static Map<String, PairedTest> perDrugTests(GroupedMetrics model, Map<String, GroupedMetrics> baselines, int minRowsPerDrug) {
        Map<String, double[]> differences = new LinkedHashMap<>();
        Map<String, Integer> undefined = new HashMap<>();
        for (Map.Entry<String, GroupedMetrics> e : baselines.entrySet()) {
            List<Double> d = new ArrayList<>();
            int missing = 0;
            for (Map.Entry<String, Scores> g : model.groups().entrySet()) {
                if (g.getValue().n() < minRowsPerDrug) {
                    continue;
                }
                Scores other = e.getValue().groups().get(g.getKey());
                double a = g.getValue().groupMetric();
                double b = other == null ? Double.NaN : other.groupMetric();
                if (Double.isFinite(a) && Double.isFinite(b)) {
                    d.add(a - b);
                } else {
                    missing++;
                }
            }
            if (d.size() >= MIN_DRUGS) {
                differences.put(e.getKey(), d.stream().mapToDouble(Double::doubleValue).toArray());
                undefined.put(e.getKey(), missing);
            }
        }
        Map<String, WilcoxonSignedRank> results = new LinkedHashMap<>();
        Map<String, Double> raw = new LinkedHashMap<>();
        differences.forEach((name, d) -> {
            WilcoxonSignedRank w = WilcoxonSignedRank.test(d);
            results.put(name, w);
            raw.put(name, w.p());
        });
        Map<String, Double> holm = holm(raw);
        Map<String, PairedTest> out = new LinkedHashMap<>();
        results.forEach((name, w) -> out.put(name, new PairedTest(differences.get(name).length, w.zeros(), undefined.get(name),
                median(differences.get(name)), w, w.p(), holm.get(name))));
        return out;
    }

    /** Holm's step-down adjusted p-values: sorted ascending, p_(i) x (m - i), made monotone, capped at 1. */
    static Map<String, Double> holm(Map<String, Double> raw) {
        List<Map.Entry<String, Double>> sorted = new ArrayList<>(raw.entrySet());
        sorted.sort(Map.Entry.comparingByValue());
        Map<String, Double> out = new LinkedHashMap<>();
        int m = sorted.size();
        double running = 0;
        for (int i = 0; i < m; i++) {
            running = Math.max(running, Math.min(1, sorted.get(i).getValue() * (m - i)));
            out.put(sorted.get(i).getKey(), running);
        }
        return out;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length == 0 ? Double.NaN : s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** The 2.5th and 97.5th percentiles of the finite draws (NaN when fewer than half are finite). */
    static Interval interval(double estimate, double[] draws) {
        double[] f = Arrays.stream(draws).filter(Double::isFinite).sorted().toArray();
        if (f.length < Math.max(2, draws.length / 2)) {
            return new Interval(estimate, Double.NaN, Double.NaN);
        }
        double alpha = (1 - LEVEL) / 2;
        return new Interval(estimate, quantile(f, alpha), quantile(f, 1 - alpha));
    }

    /** Linear interpolation between order statistics (type 7, as R and numpy default): {@link Quantiles}. */
    static double quantile(double[] sorted, double q) {
        return Quantiles.ofSorted(sorted, q);
    }

    /** The bootstrapped metrics of one predictor on the given rows (all rows when {@code rows} is null). */
    private static double[] score(List<String> metrics, boolean classification, double[] observed, double[] predicted, int[] rows) {
        int n = rows == null ? observed.length : rows.length;
        if (classification) {
            double[] y = new double[n];
            double[] p = new double[n];
            double brier = 0;
            for (int i = 0; i < n; i++) {
                int r = rows == null ? i : rows[i];
                y[i] = observed[r];
                p[i] = predicted[r];
                double e = p[i] - (y[i] > 0.5 ? 1 : 0);
                brier += e * e;
            }
            return new double[]{ClassificationMetrics.auc(y, p), n == 0 ? Double.NaN : brier / n};
        }
        PairMoments m = PairMoments.of(observed, predicted, rows);
        return new double[]{m.rmse(), m.pearson(), m.r2()};
    }

    /** Whether the model's headline metric is better than the baseline's with the difference's interval excluding zero. */
    public boolean modelBeats(String baseline, boolean classification) {
        Interval d = differences.getOrDefault(baseline, Map.of()).get(classification ? "auc" : "rmse");
        if (d == null || !Double.isFinite(d.low())) {
            return false;
        }
        return classification ? d.low() > 0 : d.high() < 0;
    }

    private static Map<String, Object> toMaps(Map<String, Map<String, Interval>> byPredictor) {
        Map<String, Object> out = new LinkedHashMap<>();
        byPredictor.forEach((name, metrics) -> {
            Map<String, Object> x = new LinkedHashMap<>();
            metrics.forEach((metric, i) -> x.put(metric, i.toMap()));
            out.put(name, x);
        });
        return out;
    }

    /**
     * The same intervals with what a reader must know about their resampling unit (e.g. rows of a mixed split are not
     * independent, so the intervals are optimistic); null: nothing.
     */
    public Significance withCaveat(String note) {
        return new Significance(resamples, unit, units, intervals, differences, perDrug, drugRows, skipped, note);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("level", LEVEL);
        m.put("method", "bootstrap percentile intervals, resampling " + unit + " with replacement; differences are model minus baseline, paired");
        m.put("resamples", resamples);
        m.put("unit", unit);
        m.put("units", units);
        m.put("intervals", toMaps(intervals));
        m.put("model_minus_baseline", toMaps(differences));
        Map<String, Object> pd = new LinkedHashMap<>();
        perDrug.forEach((name, t) -> pd.put(name, t.toMap()));
        m.put("per_drug_tests", pd);
        if (drugRows != null) {
            m.put("per_drug_tests_drugs", drugRows.toMap());
        }
        if (skipped != null) {
            m.put("per_drug_tests_skipped", skipped);
        }
        if (caveat != null) {
            m.put("caveat", caveat);
        }
        return m;
    }
}
