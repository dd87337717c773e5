package org.oncobench.train;

import org.oncobench.stats.Shuffles;
import org.oncobench.config.ExperimentConfig;
import org.oncobench.config.ExperimentConfig.EvaluationConfig;
import org.oncobench.data.Cohort;
import org.oncobench.data.Fold;
import org.oncobench.data.SplitAssignment;
import org.oncobench.eval.EvaluationReport;
import org.oncobench.eval.RegressionMetrics;
import org.oncobench.eval.Scores;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * IMPROVE's learning-curve analysis: the model and the strongest baselines trained on nested fractions of the first
 * fold's training units (cell lines for a cell-blind split, drugs for drug-blind, rows for mixed; shuffled once, seeded,
 * so each fraction contains the smaller ones), always scored on the same validation and test rows. The baselines are
 * the linear one (ridge or logistic), gbm, and the run's best baseline when it is another one.
 */
public final class LearningCurve {

    public record Point(double fraction, int units, int rows, Map<String, Map<String, Double>> scores) {
    }

    public record Result(String unit, String headline, List<String> predictors, List<Point> points) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("unit", unit);
            m.put("headline", headline);
            List<Map<String, Object>> ps = new ArrayList<>();
            for (Point p : points) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("fraction", p.fraction());
                x.put("units", p.units());
                x.put("train_rows", p.rows());
                Map<String, Object> scores = new LinkedHashMap<>();
                p.scores().forEach((name, s) -> {
                    Map<String, Object> v = new LinkedHashMap<>();
                    s.forEach((k, d) -> v.put(k, RegressionMetrics.finite(d)));
                    scores.put(name, v);
                });
                x.put("scores", scores);
                ps.add(x);
            }
            m.put("points", ps);
            return m;
        }

        /** The headline metric per predictor (rows) and training size (columns). */
        public String render() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "%nLearning curve (test %s by the fraction of training %s):%n", headline.toUpperCase(Locale.ROOT), unit));
            List<String> names = new java.util.ArrayList<>(predictors);
            names.add("training " + unit);
            int width = NameColumn.width(names);
            sb.append(NameColumn.cell("training " + unit, width));
            points.forEach(p -> sb.append(String.format(Locale.ROOT, " %9s", p.units() + " (" + Math.round(p.fraction() * 100) + "%)")));
            sb.append('\n');
            for (String name : predictors) {
                sb.append(NameColumn.cell(name, width));
                for (Point p : points) {
                    Double v = p.scores().getOrDefault(name, Map.of()).get(headline);
                    sb.append(String.format(Locale.ROOT, " %9s", v == null || !Double.isFinite(v) ? "-" : String.format(Locale.ROOT, "%.3f", v)));
                }
                sb.append('\n');
            }
            return sb.toString();
        }
    }

    private final ExperimentConfig config;
    private final TrainingProgress progress;
    private final Consumer<String> status;
    private final java.util.concurrent.Executor pool;

    public LearningCurve(ExperimentConfig config, TrainingProgress progress, Consumer<String> status) {
        this(config, progress, status, Runnable::run);
    }

    /** @param baselines where the retrainings' baselines fit (the run's pool) */
    public LearningCurve(ExperimentConfig config, TrainingProgress progress, Consumer<String> status, java.util.concurrent.Executor baselines) {
        this.config = config;
        this.progress = progress;
        this.status = status;
        this.pool = baselines;
    }

    /** @param bestBaseline the run's best baseline (may be null), added to the curve's baselines */
    public Result run(Cohort cohort, Fold fold, String bestBaseline) {
        boolean classification = config.task().isClassification();
        List<String> baselines = new ArrayList<>();
        for (String b : List.of(classification ? "logistic" : "ridge", "gbm")) {
            if (config.evaluation().baselines().contains(b)) {
                baselines.add(b);
            }
        }
        if (bestBaseline != null && !baselines.contains(bestBaseline)) {
            baselines.add(bestBaseline);
        }
        ExperimentConfig curve = config.withEvaluation(new EvaluationConfig(baselines, config.evaluation().group(), 0, null, null, null, null,
                ExperimentConfig.SignificanceConfig.DEFAULT, config.evaluation().residualOver()));
        FoldTrainer trainer = new FoldTrainer(curve, progress, null, pool);

        SplitUnit splitUnit = SplitUnit.of(config, cohort).forSubsampling(cohort);
        String unit = splitUnit.plural();
        int[] train = fold.assignment().rows(SplitAssignment.TRAIN);
        // the training units in a seeded random order; a fraction keeps the first ceil(f x units)
        Map<String, List<Integer>> rowsOfUnit = new LinkedHashMap<>();
        for (int r : train) {
            String u = splitUnit.idOf(cohort, r);
            rowsOfUnit.computeIfAbsent(u, k -> new ArrayList<>()).add(r);
        }
        List<String> units = new ArrayList<>(rowsOfUnit.keySet());
        Shuffles.shuffle(units, new SplittableRandom(config.seed() + 31L)::nextInt);
        List<String> predictors = new ArrayList<>();
        predictors.add(EvaluationReport.MODEL);
        predictors.addAll(baselines);
        List<Point> points = new ArrayList<>();
        for (double f : config.evaluation().learningCurve()) {
            int keep = Math.max(2, (int) Math.ceil(f * units.size()));
            byte[] parts = fold.assignment().withoutExternal().parts(); // a fresh copy; external rows are not the curve's to score
            int rows = 0;
            for (int i = 0; i < units.size(); i++) {
                for (int r : rowsOfUnit.get(units.get(i))) {
                    if (i >= keep) {
                        parts[r] = SplitAssignment.UNUSED;
                    } else {
                        rows++;
                    }
                }
            }
            status.accept(String.format(Locale.ROOT, "learning curve: %d of %d training %s (%d rows)", Math.min(keep, units.size()), units.size(), unit, rows));
            EvaluationReport report = trainer.run(cohort, new Fold(fold.repeat(), fold.fold(), new SplitAssignment(fold.assignment().kind(), parts)))
                    .report();
            Map<String, Map<String, Double>> scores = new LinkedHashMap<>();
            scores.put(EvaluationReport.MODEL, values(report.test()));
            report.baselines().forEach((name, s) -> scores.put(name, values(s)));
            points.add(new Point(f, Math.min(keep, units.size()), rows, scores));
        }
        return new Result(unit, classification ? "auc" : "rmse", predictors, points);
    }

    private static Map<String, Double> values(Scores s) {
        Map<String, Double> out = new LinkedHashMap<>();
        s.toMap().forEach((k, v) -> {
            if (v instanceof Number n && !k.equals("n") && !k.equals("positives")) {
                out.put(k, n.doubleValue());
            }
        });
        return out;
    }
}
