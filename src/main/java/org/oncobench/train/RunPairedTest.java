package org.oncobench.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import org.oncobench.data.DelimitedFile;
import org.oncobench.eval.GroupedMetrics;
import org.oncobench.eval.Scores;
import org.oncobench.eval.Significance;
import org.oncobench.eval.WilcoxonSignedRank;
import org.oncobench.runs.RunComparison;
import org.oncobench.runs.RunStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A paired test between two runs on the same test rows ({@code runs compare A B}): each run's per-drug metric (Pearson
 * for regression, AUC for classification) over the drugs with at least {@code min_rows_per_drug} test rows, and the
 * two-sided Wilcoxon signed-rank test of the per-drug differences (B minus A), as the report tests a model against its
 * baselines (here in train, beside the evaluation it repeats: runs imports only config). The test runs only when both predictions.csv hold the same (sample, drug) rows with the same observed
 * values (the first repeat of a repeated k-fold); otherwise {@code skipped} says why.
 *
 * @param metric           the per-drug metric compared
 * @param minRowsPerDrug   test rows a drug needs to enter the test (evaluation.significance.min_rows_per_drug of A)
 * @param drugs            drugs compared (enough rows, the metric defined in both runs)
 * @param medianDifference median over those drugs of B's metric minus A's
 * @param bBetter          drugs where B's metric is better than A's
 * @param wilcoxon         the test (null when skipped)
 * @param skipped          why no test was run (null when it was)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunPairedTest(@JsonProperty("test") String test, @JsonProperty("metric") String metric,
                            @JsonProperty("min_rows_per_drug") Integer minRowsPerDrug, @JsonProperty("drugs") Integer drugs,
                            @JsonProperty("drugs_left_out_too_few_rows") Integer tooFewRows,
                            @JsonProperty("median_difference") Double medianDifference, @JsonProperty("b_better") Integer bBetter,
                            @JsonProperty("wilcoxon") WilcoxonSignedRank wilcoxon, @JsonProperty("skipped") String skipped) {
    /** The fewest drugs the test is run on (as the report's per-drug tests). */
    static final int MIN_DRUGS = 5;
    private static final String TEST = "wilcoxon signed-rank over drugs, two-sided";

    static RunPairedTest skipped(String why) {
        return new RunPairedTest(null, null, null, null, null, null, null, null, why);
    }

    /** One sentence: the test and its result, or why none was run. */
    public String describe() {
        if (skipped != null) {
            return skipped;
        }
        return String.format(java.util.Locale.ROOT, "%s, on per-drug %s: %d drugs with at least %d test rows%s; the second run's %s is higher on %d of "
                        + "them; median difference (second - first) %+.3f; W = %.1f, p = %s%s", test, metric, drugs, minRowsPerDrug,
                tooFewRows > 0 ? " (" + tooFewRows + " left out: too few rows)" : "", metric, bBetter, medianDifference, wilcoxon.statistic(),
                wilcoxon.p() < 0.001 ? String.format(java.util.Locale.ROOT, "%.1e", wilcoxon.p()) : String.format(java.util.Locale.ROOT, "%.3f",
                        wilcoxon.p()), wilcoxon.exact() ? " (exact)" : " (normal approximation)");
    }

    /** Test rows of one run: (sample, drug) to observed and predicted. */
    private record Rows(Map<List<String>, double[]> rows, String problem) {
    }

    public static RunPairedTest of(RunStore store, String a, String b) {
        Path dirA = store.dirOf(a);
        Path dirB = store.dirOf(b);
        JsonNode metricsA = RunComparison.readJson(dirA.resolve("metrics.json"));
        JsonNode metricsB = RunComparison.readJson(dirB.resolve("metrics.json"));
        String taskA = metricsA == null ? null : metricsA.path("task").asText(null);
        String taskB = metricsB == null ? null : metricsB.path("task").asText(null);
        if (taskA == null || taskB == null) {
            return skipped("no paired test: " + (taskA == null ? a : b) + " has no metrics.json (not completed)");
        }
        if (!taskA.equals(taskB)) {
            return skipped("no paired test: " + a + " is " + taskA + ", " + b + " is " + taskB);
        }
        Rows ra = read(dirA.resolve("predictions.csv"));
        Rows rb = read(dirB.resolve("predictions.csv"));
        if (ra.problem() != null || rb.problem() != null) {
            return skipped("no paired test: " + (ra.problem() != null ? a + ": " + ra.problem() : b + ": " + rb.problem()));
        }
        String mismatch = mismatch(a, ra.rows(), b, rb.rows());
        if (mismatch != null) {
            return skipped("no paired test: the runs were not tested on the same rows (" + mismatch + "); a paired test needs the same split");
        }
        boolean classification = "classification".equals(taskA);
        int minRows = minRowsPerDrug(dirA);
        List<List<String>> keys = new ArrayList<>(ra.rows().keySet());
        String[] drug = new String[keys.size()];
        double[] observed = new double[keys.size()];
        double[] predictedA = new double[keys.size()];
        double[] predictedB = new double[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            drug[i] = keys.get(i).get(1);
            observed[i] = ra.rows().get(keys.get(i))[0];
            predictedA[i] = ra.rows().get(keys.get(i))[1];
            predictedB[i] = rb.rows().get(keys.get(i))[1];
        }
        if (new TreeSet<>(List.of(drug)).equals(new TreeSet<>(List.of("")))) {
            return skipped("no paired test: the runs' test rows name no drugs; the paired test is over drugs");
        }
        GroupedMetrics perA = GroupedMetrics.of(drug, observed, predictedA, classification);
        GroupedMetrics perB = GroupedMetrics.of(drug, observed, predictedB, classification);
        List<Double> differences = new ArrayList<>();
        int tooFew = 0;
        int bBetter = 0;
        for (Map.Entry<String, Scores> e : perA.groups().entrySet()) {
            if (e.getValue().n() < minRows) {
                tooFew++;
                continue;
            }
            double x = e.getValue().groupMetric();
            double y = perB.groups().get(e.getKey()).groupMetric();
            if (Double.isFinite(x) && Double.isFinite(y)) {
                differences.add(y - x);
                bBetter += y > x ? 1 : 0; // Pearson and AUC: higher is better
            }
        }
        if (differences.size() < MIN_DRUGS) {
            return new RunPairedTest(TEST, perA.metricName(), minRows, differences.size(), tooFew, null, null, null, "no paired test: only "
                    + differences.size() + " drugs have at least " + minRows + " test rows and a defined " + perA.metricName() + " in both runs; "
                    + "the test needs " + MIN_DRUGS + " (evaluation.significance.min_rows_per_drug)");
        }
        double[] d = differences.stream().mapToDouble(Double::doubleValue).toArray();
        double[] sorted = d.clone();
        java.util.Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        return new RunPairedTest(TEST, perA.metricName(), minRows, d.length, tooFew, median, bBetter, WilcoxonSignedRank.test(d), null);
    }

    /** Why two runs' test rows differ (null when they match): counts, and the first pair only one of them has. */
    static String mismatch(String a, Map<List<String>, double[]> ra, String b, Map<List<String>, double[]> rb) {
        if (!ra.keySet().equals(rb.keySet())) {
            List<String> onlyA = ra.keySet().stream().filter(k -> !rb.containsKey(k)).map(k -> k.get(0) + "/" + k.get(1)).sorted().toList();
            List<String> onlyB = rb.keySet().stream().filter(k -> !ra.containsKey(k)).map(k -> k.get(0) + "/" + k.get(1)).sorted().toList();
            return a + " has " + ra.size() + " test rows, " + b + " " + rb.size() + "; " + onlyA.size() + " only in the first"
                    + (onlyA.isEmpty() ? "" : " (e.g. " + onlyA.get(0) + ")") + ", " + onlyB.size() + " only in the second"
                    + (onlyB.isEmpty() ? "" : " (e.g. " + onlyB.get(0) + ")");
        }
        for (Map.Entry<List<String>, double[]> e : ra.entrySet()) {
            if (Math.abs(e.getValue()[0] - rb.get(e.getKey())[0]) > 1e-9 * Math.max(1, Math.abs(e.getValue()[0]))) {
                return "the observed value of " + e.getKey().get(0) + "/" + e.getKey().get(1) + " differs: " + e.getValue()[0] + " vs "
                        + rb.get(e.getKey())[0] + " (other data or another target)";
            }
        }
        return null;
    }

    /** predictions.csv's test rows of the first repeat, keyed by (sample, drug). */
    private static Rows read(Path file) {
        if (!Files.isRegularFile(file)) {
            return new Rows(null, "no predictions.csv");
        }
        Map<List<String>, double[]> rows = new LinkedHashMap<>();
        try (DelimitedFile in = DelimitedFile.open(file)) {
            int sample = in.column("sample", "predictions.csv");
            int drug = in.column("drug", "predictions.csv");
            int observed = in.column("observed", "predictions.csv");
            int predicted = in.column("predicted", "predictions.csv");
            int repeat = java.util.Arrays.asList(in.header()).indexOf("repeat");
            for (String[] row = in.next(); row != null; row = in.next()) {
                if (repeat >= 0 && !row[repeat].equals("1")) {
                    continue;
                }
                double[] values = {Double.parseDouble(row[observed]), Double.parseDouble(row[predicted])};
                if (rows.put(List.of(row[sample], row[drug]), values) != null) {
                    return new Rows(null, "predictions.csv holds " + row[sample] + "/" + row[drug] + " twice in one repeat");
                }
            }
        } catch (RuntimeException e) {
            return new Rows(null, "predictions.csv is unreadable (" + e.getMessage() + ")");
        }
        return new Rows(rows, rows.isEmpty() ? "predictions.csv holds no test rows" : null);
    }

    /** evaluation.significance.min_rows_per_drug of a run's experiment.yaml, or the default. */
    private static int minRowsPerDrug(Path dir) {
        JsonNode yaml = RunComparison.readYaml(dir.resolve("experiment.yaml"));
        JsonNode v = yaml == null ? null : yaml.path("evaluation").path("significance").path("min_rows_per_drug");
        return v != null && v.canConvertToInt() && v.isNumber() ? v.asInt() : Significance.MIN_ROWS_PER_DRUG;
    }
}
