package org.oncobench.train;

import org.oncobench.stats.Shuffles;
import org.oncobench.config.ExperimentConfig;
import org.oncobench.config.ExperimentConfig.EvaluationConfig;
import org.oncobench.config.ExperimentConfig.RandomizationConfig;
import org.oncobench.data.Cohort;
import org.oncobench.data.FeatureTable;
import org.oncobench.data.Fold;
import org.oncobench.data.SplitAssignment;
import org.oncobench.eval.FoldSummary;
import org.oncobench.eval.RegressionMetrics;
import org.oncobench.eval.Scores;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * DrEval's randomisation tests: does the model use each of its inputs? For every named table and repeat, the table is
 * randomised in the whole cohort — its rows permuted across samples (drug tables: across drugs), or every row replaced
 * by the mean over the fold's training samples — and the same network (same seed, same fold, no baselines) is trained
 * again and scored on the same test rows. A table the model relies on costs it when randomised; one it ignores costs
 * nothing. The model "relies on" a table when its headline metric worsens by more than {@link #MIN_CHANGE} and by more
 * than twice the change's sd over repeats.
 */
public final class RandomizationTests {
    static final double MIN_CHANGE = 0.01;

    /** One table's scores over the repeats: per metric, mean and sd of the randomised score and of its change from the model's. */
    public record TableResult(String table, Map<String, double[]> scores, Map<String, double[]> changes, boolean reliedOn) {
    }

    public record Result(String kind, int repeats, int fold, Map<String, Double> model, List<TableResult> tables, String headline,
                         List<String> notes) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", kind);
            m.put("repeats", repeats);
            m.put("fold", fold);
            m.put("rule", "relied on: the " + headline + " worsens by more than " + MIN_CHANGE + " and by more than twice its sd over repeats");
            Map<String, Object> mm = new LinkedHashMap<>();
            model.forEach((k, v) -> mm.put(k, RegressionMetrics.finite(v)));
            m.put("model", mm);
            Map<String, Object> t = new LinkedHashMap<>();
            for (TableResult r : tables) {
                Map<String, Object> x = new LinkedHashMap<>();
                r.scores().forEach((metric, v) -> {
                    Map<String, Object> s = new LinkedHashMap<>();
                    s.put("mean", RegressionMetrics.finite(v[0]));
                    s.put("sd", RegressionMetrics.finite(v[1]));
                    double[] c = r.changes().get(metric);
                    s.put("change_mean", RegressionMetrics.finite(c[0]));
                    s.put("change_sd", RegressionMetrics.finite(c[1]));
                    x.put(metric, s);
                });
                x.put("relied_on", r.reliedOn());
                t.put(r.table(), x);
            }
            m.put("tables", t);
            if (!notes.isEmpty()) {
                m.put("notes", notes);
            }
            return m;
        }

        /** The console's block. */
        public String render() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "%nRandomisation tests (%s, train again; fold %d, %d repeats; change = randomised - model):%n",
                    kind.equals("permute") ? "permute the rows of each table" : "replace each table by its training mean", fold, repeats));
            List<String> metrics = new ArrayList<>(model.keySet());
            sb.append(String.format(Locale.ROOT, "  %-16s", "table"));
            metrics.forEach(k -> sb.append(String.format(Locale.ROOT, " %-24s", k.toUpperCase(Locale.ROOT).length() <= 4 ? k.toUpperCase(Locale.ROOT)
                    : Character.toUpperCase(k.charAt(0)) + k.substring(1))));
            sb.append('\n');
            sb.append(String.format(Locale.ROOT, "  %-16s", "(model)"));
            metrics.forEach(k -> sb.append(String.format(Locale.ROOT, " %-24s", f(model.get(k)))));
            sb.append('\n');
            for (TableResult r : tables) {
                sb.append(String.format(Locale.ROOT, "  %-16s", r.table()));
                for (String k : metrics) {
                    double[] s = r.scores().get(k);
                    double[] c = r.changes().get(k);
                    sb.append(String.format(Locale.ROOT, " %-24s", f(s[0]) + " (" + (c[0] >= 0 ? "+" : "") + f(c[0]) + " ± " + f(c[1]) + ")"));
                }
                sb.append(r.reliedOn() ? "  relied on" : "  not relied on").append('\n');
            }
            notes.forEach(n -> sb.append("  note: ").append(n).append('\n'));
            return sb.toString();
        }

        private static String f(double v) {
            return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "-";
        }
    }

    private final ExperimentConfig config;
    private final TrainingProgress progress;
    private final Consumer<String> status;
    private final java.util.concurrent.Executor baselines;

    public RandomizationTests(ExperimentConfig config, TrainingProgress progress, Consumer<String> status) {
        this(config, progress, status, Runnable::run);
    }

    /** @param baselines where the retrainings' baselines fit (the run's pool) */
    public RandomizationTests(ExperimentConfig config, TrainingProgress progress, Consumer<String> status, java.util.concurrent.Executor baselines) {
        this.config = config;
        this.progress = progress;
        this.status = status;
        this.baselines = baselines;
    }

    /** Runs the tests on {@code fold} (the run's first), given the model's own scores there. */
    public Result run(Cohort cohort, Fold fold, Scores model) {
        RandomizationConfig r = config.evaluation().randomization();
        // the same network and fold, without baselines, intervals or a second randomisation
        ExperimentConfig quiet = config.withEvaluation(new EvaluationConfig(List.of(), config.evaluation().group(), 0, null, null));
        FoldTrainer trainer = new FoldTrainer(quiet, progress, null, baselines);
        List<String> metrics = metricNames(model);
        Map<String, Double> modelScores = new LinkedHashMap<>();
        metrics.forEach(k -> modelScores.put(k, value(model, k)));
        Set<Integer> trainingSamples = new LinkedHashSet<>();
        for (int row : fold.assignment().rows(SplitAssignment.TRAIN)) {
            trainingSamples.add(cohort.rowSample()[row]);
        }
        Set<Integer> trainingDrugs = new LinkedHashSet<>();
        if (cohort.hasDrugs()) {
            for (int row : fold.assignment().rows(SplitAssignment.TRAIN)) {
                trainingDrugs.add(cohort.rowDrug()[row]);
            }
        }
        // scored on the primary test rows only: an external study's rows would be predicted for nothing
        Fold primaryOnly = new Fold(fold.repeat(), fold.fold(), fold.assignment().withoutExternal());
        List<TableResult> results = new ArrayList<>();
        int repeats = r.kind().equals("mean") ? 1 : r.repeats(); // the mean involves no chance: one training says it all
        for (String table : r.tables()) {
            double[][] draws = new double[metrics.size()][repeats];
            for (int rep = 0; rep < repeats; rep++) {
                status.accept(String.format(Locale.ROOT, "randomisation test: %s %s, repeat %d/%d", table,
                        r.kind().equals("permute") ? "permuted" : "replaced by its training mean", rep + 1, repeats));
                long seed = config.seed() + 7919L * (rep + 1) + table.hashCode();
                Cohort randomised = randomise(cohort, table, r.kind(), seed, trainingSamples, trainingDrugs);
                Scores s = trainer.run(randomised, primaryOnly).report().test();
                for (int m = 0; m < metrics.size(); m++) {
                    draws[m][rep] = value(s, metrics.get(m));
                }
            }
            Map<String, double[]> scores = new LinkedHashMap<>();
            Map<String, double[]> changes = new LinkedHashMap<>();
            for (int m = 0; m < metrics.size(); m++) {
                double[] change = new double[repeats];
                for (int rep = 0; rep < change.length; rep++) {
                    change[rep] = draws[m][rep] - modelScores.get(metrics.get(m));
                }
                scores.put(metrics.get(m), FoldSummary.meanAndSd(draws[m]));
                changes.put(metrics.get(m), FoldSummary.meanAndSd(change));
            }
            double[] headline = changes.get(metrics.get(0));
            double worse = model.higherIsBetter() ? -headline[0] : headline[0];
            boolean relied = worse > MIN_CHANGE && (repeats < 2 || worse > 2 * headline[1]);
            results.add(new TableResult(table, scores, changes, relied));
        }
        List<String> notes = new ArrayList<>();
        for (String table : r.tables()) {
            boolean drugTable = cohort.drugTables().stream().anyMatch(t -> t.name().equals(table));
            if (drugTable && r.kind().equals("permute") && !"drug-blind".equals(config.split().kind())) {
                notes.add("permuting " + table + " across drugs only relabels them here: every drug keeps one fingerprint, the same in "
                        + "training and test, so the network can still tell drugs apart; kind: mean (or a drug-blind split) tests the fingerprints' content");
            }
        }
        return new Result(r.kind(), repeats, fold.fold() + 1, modelScores, results, model.headlineName(), notes);
    }

    /** The cohort with one table randomised: rows permuted (seeded), or every row set to the training entities' column means. */
    static Cohort randomise(Cohort cohort, String table, String kind, long seed, Set<Integer> trainingSamples, Set<Integer> trainingDrugs) {
        List<FeatureTable> samples = new ArrayList<>(cohort.sampleTables());
        List<FeatureTable> drugs = new ArrayList<>(cohort.drugTables());
        boolean found = false;
        for (int i = 0; i < samples.size(); i++) {
            if (samples.get(i).name().equals(table)) {
                samples.set(i, randomised(samples.get(i), kind, seed, trainingSamples));
                found = true;
            }
        }
        for (int i = 0; i < drugs.size(); i++) {
            if (drugs.get(i).name().equals(table)) {
                drugs.set(i, randomised(drugs.get(i), kind, seed, trainingDrugs));
                found = true;
            }
        }
        if (!found) {
            throw new IllegalArgumentException("no input table '" + table + "'");
        }
        return cohort.withTables(samples, drugs);
    }

    private static FeatureTable randomised(FeatureTable t, String kind, long seed, Set<Integer> trainingRows) {
        int n = t.rows();
        if (kind.equals("permute")) {
            return t.selectRows(Shuffles.permutation(n, new SplittableRandom(seed)::nextInt), t.ids());
        }
        int w = t.width();
        float[] mean = new float[w];
        for (int c = 0; c < w; c++) {
            double sum = 0;
            int count = 0;
            for (int row : trainingRows) {
                float v = t.get(row, c);
                if (!Float.isNaN(v)) {
                    sum += v;
                    count++;
                }
            }
            mean[c] = count == 0 ? 0f : (float) (sum / count);
        }
        float[] values = new float[n * w];
        for (int i = 0; i < n; i++) {
            System.arraycopy(mean, 0, values, i * w, w);
        }
        return new FeatureTable(t.name(), t.ids(), t.columns(), values);
    }

    private static List<String> metricNames(Scores s) {
        return s.higherIsBetter() ? List.of("auc", "brier") : List.of("rmse", "pearson");
    }

    private static double value(Scores s, String metric) {
        Object v = s.toMap().get(metric);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
