package org.oncobench.explain;

import org.oncobench.stats.Shuffles;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.oncobench.config.ExperimentConfig.ExplainConfig;
import org.oncobench.data.Cohort;
import org.oncobench.data.FeatureTable;
import org.oncobench.data.FittedTransforms;
import org.oncobench.data.GatheringIterator;
import org.oncobench.eval.ClassificationMetrics;
import org.oncobench.eval.RegressionMetrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What drove a run's test predictions: integrated gradients (or gradient x input) of every explained test row with
 * respect to every input table, in the target's units; global importance (mean |attribution| per feature and each
 * table's share); the top genes of each drug; the top features of every explained prediction (for the run's
 * explanations.csv and the UI); and permutation importance per input table and per globally top feature — the score
 * lost when that table's rows (or that feature) are shuffled across the test rows, mean ± sd over repeats — which
 * checks the attributions by a route that does not use gradients. The network is only read.
 */
public final class RunExplainer {
    /** Rows whose attributions miss f(x) - f(baseline) by more than this share are integrated again with more steps. */
    public static final double COMPLETENESS = 0.01;
    /** The most steps a row is refined to. */
    public static final int MAX_STEPS = 256;
    private final ExplainConfig config;

    public RunExplainer(ExplainConfig config) {
        this.config = config;
    }

    /** One explained prediction's top features. */
    public record Row(int row, String sample, String drug, double predicted, double baselineOutput, List<Feature> top) {
    }

    /** A feature's value (as the network sees it: transformed) and its attribution. */
    public record Feature(String table, String name, double value, double attribution) {
    }

    public record Result(Map<String, Object> summary, List<Row> rows) {
    }

    /**
     * @param prepared   the transformed cohort the network was trained on
     * @param testRows   the rows to explain (at most {@code config.rows()}, a seeded sample stratified by drug, are used)
     * @param seed       the seed of the row sample and of the permutations
     */
    public Result explain(ComputationGraph net, Cohort prepared, FittedTransforms transforms, int[] testRows, long seed) {
        long t0 = System.nanoTime();
        boolean classification = transforms.classification();
        int[] rows = sample(prepared, testRows, config.rows(), seed);
        List<FeatureTable> tables = GatheringIterator.inputTables(prepared);
        InputGradients gradients = new InputGradients(net, classification ? 1 : 0);
        IntegratedGradients ig = new IntegratedGradients(gradients, config.steps());
        // target units: the regression output is standardised (an affine map back); classification explains the probability
        double scale = classification ? 1 : transforms.restoreTarget(1) - transforms.restoreTarget(0);
        double[][] meanAbs = new double[tables.size()][];
        double[][] meanSigned = new double[tables.size()][];
        for (int t = 0; t < tables.size(); t++) {
            meanAbs[t] = new double[tables.get(t).width()];
            meanSigned[t] = new double[tables.get(t).width()];
        }
        int omics = firstOmicsTable(prepared, tables);
        Map<String, double[]> perDrug = new LinkedHashMap<>();
        Map<String, Integer> perDrugRows = new LinkedHashMap<>();
        List<Row> explained = new ArrayList<>();
        List<Double> errors = new ArrayList<>();
        int batch = Math.max(1, Math.min(64, 4096 / (config.steps() + 1)));
        for (int from = 0; from < rows.length; from += batch) {
            int to = Math.min(rows.length, from + batch);
            INDArray[] x = GatheringIterator.gatherFeatures(prepared, rows, from, to);
            INDArray[] base = IntegratedGradients.zeroBaselines(x);
            IntegratedGradients.Result r = "gradient_x_input".equals(config.method()) ? IntegratedGradients.gradientTimesInput(gradients, x, base)
                    : ig.explainComplete(x, base, COMPLETENESS, MAX_STEPS);
            double[] sums = r.sums();
            double[][][] a = new double[tables.size()][][];
            for (int t = 0; t < tables.size(); t++) {
                a[t] = r.attributions()[t].reshape(to - from, -1).castTo(DataType.DOUBLE).toDoubleMatrix();
            }
            for (int i = 0; i < to - from; i++) {
                int row = rows[from + i];
                double delta = r.output()[i] - r.baselineOutput()[i];
                if (Math.abs(delta) > 1e-3) {
                    errors.add(Math.abs(sums[i] - delta) / Math.abs(delta));
                }
                List<Feature> all = new ArrayList<>();
                for (int t = 0; t < tables.size(); t++) {
                    FeatureTable table = tables.get(t);
                    boolean drugTable = t >= prepared.sampleTables().size();
                    int entity = drugTable ? prepared.rowDrug()[row] : prepared.rowSample()[row];
                    for (int f = 0; f < table.width(); f++) {
                        double v = a[t][i][f] * scale;
                        meanAbs[t][f] += Math.abs(v) / rows.length;
                        meanSigned[t][f] += v / rows.length;
                        if (v != 0) {
                            all.add(new Feature(table.name(), table.columns().get(f), raw(transforms, t, f, table.get(entity, f)), v));
                        }
                    }
                    if (t == omics && prepared.hasDrugs()) {
                        String drug = prepared.drugIds().get(prepared.rowDrug()[row]);
                        double[] acc = perDrug.computeIfAbsent(drug, k -> new double[table.width()]);
                        for (int f = 0; f < table.width(); f++) {
                            acc[f] += Math.abs(a[t][i][f] * scale);
                        }
                        perDrugRows.merge(drug, 1, Integer::sum);
                    }
                }
                all.sort(Comparator.comparingDouble((Feature f) -> -Math.abs(f.attribution())));
                double predicted = classification ? r.output()[i] : transforms.restoreTarget(r.output()[i]);
                explained.add(new Row(row, prepared.sampleLabels().get(prepared.rowSample()[row]),
                        prepared.hasDrugs() ? prepared.drugIds().get(prepared.rowDrug()[row]) : null, predicted,
                        classification ? r.baselineOutput()[i] : transforms.restoreTarget(r.baselineOutput()[i]),
                        List.copyOf(all.subList(0, Math.min(config.top(), all.size())))));
            }
        }
        double attributionSeconds = (System.nanoTime() - t0) / 1e9;

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("method", config.method());
        if (!"gradient_x_input".equals(config.method())) {
            summary.put("steps", config.steps());
        }
        summary.put("baseline", "zeros of the network's standardised inputs: every sample feature (gene, image pixel) at its training mean, "
                + "no fingerprint bit set");
        summary.put("value_unit", "explanations.csv's value: each feature as the input file has it (raw, after imputation), as /explain reports it");
        summary.put("units", classification ? "probability of the positive class (the network's, before prevalence correction)" : "target units");
        summary.put("rows_explained", rows.length);
        if (!"gradient_x_input".equals(config.method())) {
            // |sum of attributions - (f(x) - f(baseline))| / |f(x) - f(baseline)| per row (rows whose difference is not ~0)
            double[] e = errors.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            Map<String, Object> completeness = new LinkedHashMap<>();
            completeness.put("rows", e.length);
            completeness.put("median_relative_error", e.length == 0 ? null : e[e.length / 2]);
            completeness.put("p90_relative_error", e.length == 0 ? null : e[(int) (e.length * 0.9)]);
            completeness.put("within_1_percent", e.length == 0 ? null : (double) Arrays.stream(e).filter(x -> x <= 0.01).count() / e.length);
            summary.put("completeness", completeness);
        }
        double total = Arrays.stream(meanAbs).flatMapToDouble(Arrays::stream).sum();
        Map<String, Object> perTable = new LinkedHashMap<>();
        for (int t = 0; t < tables.size(); t++) {
            FeatureTable table = tables.get(t);
            Map<String, Object> m = new LinkedHashMap<>();
            double sum = Arrays.stream(meanAbs[t]).sum();
            m.put("mean_abs_attribution", sum);
            m.put("share", total == 0 ? null : sum / total);
            m.put("top", top(table, meanAbs[t], meanSigned[t], config.top()));
            perTable.put(table.name(), m);
        }
        summary.put("tables", perTable);
        if (omics >= 0 && !perDrug.isEmpty()) {
            FeatureTable table = tables.get(omics);
            Map<String, Object> drugs = new LinkedHashMap<>();
            perDrug.forEach((drug, acc) -> {
                int n = perDrugRows.get(drug);
                double[] mean = Arrays.stream(acc).map(v -> v / n).toArray();
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("rows", n);
                d.put("top", top(table, mean, null, 5));
                drugs.put(drug, d);
            });
            summary.put("per_drug_table", table.name());
            summary.put("per_drug", drugs);
        }
        summary.put("attribution_seconds", attributionSeconds);
        long t1 = System.nanoTime();
        summary.put("permutation", permutation(net, prepared, transforms, testRows, tables, meanAbs, seed));
        summary.put("permutation_seconds", (System.nanoTime() - t1) / 1e9);
        return new Result(summary, explained);
    }

    private static List<Map<String, Object>> top(FeatureTable table, double[] meanAbs, double[] meanSigned, int k) {
        Integer[] idx = new Integer[meanAbs.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, Comparator.comparingDouble((Integer i) -> -meanAbs[i]).thenComparingInt(i -> i));
        List<Map<String, Object>> out = new ArrayList<>();
        for (int j = 0; j < Math.min(k, idx.length); j++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("feature", table.columns().get(idx[j]));
            m.put("mean_abs_attribution", meanAbs[idx[j]]);
            if (meanSigned != null) {
                m.put("mean_attribution", meanSigned[idx[j]]);
            }
            out.add(m);
        }
        return out;
    }

    /**
     * A feature's value as the input file has it (after imputation): sample tables are standardised on the training rows
     * (z * sd + mean undoes it); drug fingerprints are bits as they are. The unit explanations.csv and /explain share.
     */
    static double raw(FittedTransforms transforms, int table, int column, double z) {
        if (table >= transforms.sampleTables().size()) {
            return z;
        }
        FittedTransforms.TableTransform t = transforms.sampleTables().get(table);
        return z * t.sd()[column] + t.mean()[column];
    }

    /** The first sample table that is not an image (expression, usually): the genes reported per drug. */
    private static int firstOmicsTable(Cohort prepared, List<FeatureTable> tables) {
        for (int t = 0; t < prepared.sampleTables().size(); t++) {
            if (!tables.get(t).columns().isEmpty() && !tables.get(t).columns().get(0).startsWith("px_c")) {
                return t;
            }
        }
        return -1;
    }

    /**
     * At most {@code max} of the test rows, a seeded sample stratified by drug: each drug's rows in a seeded order, then
     * the drugs taken in turn (one row of each, then a second of each, ...), so every drug is explained about equally
     * often, whatever the file's order (taking every k-th row of a sample-major file picked the same drugs every time).
     * Per-sample tasks: a seeded sample of the rows. Returned in the test rows' order.
     */
    static int[] sample(Cohort cohort, int[] rows, int max, long seed) {
        if (rows.length <= max) {
            return rows.clone();
        }
        SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + 29);
        Map<Integer, List<Integer>> byDrug = new java.util.TreeMap<>();
        for (int i = 0; i < rows.length; i++) {
            byDrug.computeIfAbsent(cohort.hasDrugs() ? cohort.rowDrug()[rows[i]] : 0, d -> new ArrayList<>()).add(i);
        }
        List<List<Integer>> queues = new ArrayList<>();
        for (List<Integer> positions : byDrug.values()) {
            int[] order = permutation(positions.size(), rng);
            List<Integer> q = new ArrayList<>(positions.size());
            for (int k : order) {
                q.add(positions.get(k));
            }
            queues.add(q);
        }
        int[] chosen = new int[max];
        int taken = 0;
        for (int round = 0; taken < max; round++) {
            for (List<Integer> q : queues) {
                if (round < q.size() && taken < max) {
                    chosen[taken++] = q.get(round);
                }
            }
        }
        Arrays.sort(chosen);
        return Arrays.stream(chosen).map(i -> rows[i]).toArray();
    }

    /**
     * Score lost (RMSE gained, or AUC lost) when a table's rows, or one feature, are shuffled across the test rows; mean and
     * sd over the repeats. The features: the {@code genes} with the largest mean |attribution| over all tables. Each
     * pass permutes row indices and scores gathered chunks of 1,024 rows, so memory stays at one chunk whatever the size
     * of the test set (GDSC scale: 45,000 rows x thousands of genes would be gigabytes per copy).
     */
    private Map<String, Object> permutation(ComputationGraph net, Cohort prepared, FittedTransforms transforms, int[] testRows,
                                            List<FeatureTable> tables, double[][] meanAbs, long seed) {
        boolean classification = transforms.classification();
        double[] observed = Arrays.stream(testRows).mapToDouble(r -> prepared.targets()[r]).toArray();
        double reference = score(net, prepared, testRows, transforms, observed, -1, -1, null);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("metric", classification ? "auc" : "rmse");
        out.put("reference", reference);
        out.put("repeats", config.repeats());
        Map<String, Object> perTable = new LinkedHashMap<>();
        SplittableRandom rng = new SplittableRandom(seed * 31 + 17);
        for (int t = 0; t < tables.size(); t++) {
            double[] drops = new double[config.repeats()];
            for (int k = 0; k < drops.length; k++) {
                int[] perm = permutation(testRows.length, rng);
                drops[k] = loss(reference, score(net, prepared, testRows, transforms, observed, t, -1, perm), classification);
            }
            perTable.put(tables.get(t).name(), meanSd(drops));
        }
        out.put("tables", perTable);
        // the globally top features, any table
        List<int[]> features = new ArrayList<>();
        for (int t = 0; t < tables.size(); t++) {
            for (int f = 0; f < meanAbs[t].length; f++) {
                features.add(new int[]{t, f});
            }
        }
        features.sort(Comparator.comparingDouble((int[] tf) -> -meanAbs[tf[0]][tf[1]]));
        List<Map<String, Object>> perFeature = new ArrayList<>();
        for (int[] tf : features.subList(0, Math.min(config.genes(), features.size()))) {
            double[] drops = new double[config.repeats()];
            for (int k = 0; k < drops.length; k++) {
                int[] perm = permutation(testRows.length, rng);
                drops[k] = loss(reference, score(net, prepared, testRows, transforms, observed, tf[0], tf[1], perm), classification);
            }
            Map<String, Object> m = new LinkedHashMap<>(meanSd(drops));
            m.put("table", tables.get(tf[0]).name());
            m.put("feature", tables.get(tf[0]).columns().get(tf[1]));
            m.put("mean_abs_attribution", meanAbs[tf[0]][tf[1]]);
            perFeature.add(m);
        }
        out.put("features", perFeature);
        return out;
    }

    private static double loss(double reference, double permuted, boolean classification) {
        return classification ? reference - permuted : permuted - reference;
    }

    private static Map<String, Object> meanSd(double[] v) {
        double mean = Arrays.stream(v).average().orElse(Double.NaN);
        double sd = v.length > 1 ? Math.sqrt(Arrays.stream(v).map(d -> (d - mean) * (d - mean)).sum() / (v.length - 1)) : 0;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("score_drop_mean", mean);
        m.put("score_drop_sd", sd);
        return m;
    }

    /**
     * The score of the test rows, gathered chunk by chunk, with input table {@code table} (or only its column
     * {@code column}; -1: the whole table) taken from row {@code perm[i]} instead of row i; {@code perm} null: as they are.
     */
    private static double score(ComputationGraph net, Cohort prepared, int[] testRows, FittedTransforms transforms, double[] observed, int table,
                                int column, int[] perm) {
        int n = observed.length;
        double[] predicted = new double[n];
        int[] permutedRows = perm == null ? null : Arrays.stream(perm).map(i -> testRows[i]).toArray();
        for (int from = 0; from < n; from += 1024) {
            int to = Math.min(n, from + 1024);
            INDArray[] part = GatheringIterator.gatherFeatures(prepared, testRows, from, to);
            if (perm != null) {
                INDArray moved = GatheringIterator.gatherFeatures(prepared, permutedRows, from, to)[table];
                if (column < 0) {
                    part[table] = moved;
                } else {
                    part[table].getColumn(column).assign(moved.getColumn(column));
                }
            }
            INDArray out = net.outputSingle(false, part);
            for (int i = from; i < to; i++) {
                predicted[i] = transforms.classification() ? out.getDouble(i - from, 1) : transforms.restoreTarget(out.getDouble(i - from, 0));
            }
        }
        return transforms.classification() ? ClassificationMetrics.of(observed, predicted).auc() : RegressionMetrics.of(observed, predicted).rmse();
    }

    private static int[] permutation(int n, SplittableRandom rng) {
        return Shuffles.permutation(n, rng::nextInt);
    }
}
