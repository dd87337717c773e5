package org.oncobench.train;

import org.oncobench.config.ExperimentConfig;
import org.oncobench.data.Cohort;
import org.oncobench.data.CsvText;
import org.oncobench.data.Fold;
import org.oncobench.data.SplitAssignment;
import org.oncobench.eval.EvaluationReport;
import org.oncobench.eval.FoldSummary;
import org.oncobench.runs.RunFolder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The text of a run's split.csv, predictions.csv and metrics.json. */
final class RunFiles {
    private RunFiles() {
    }

    /** One row per cohort row: sample, drug, then the part (train/validation/test) in each fold. */
    static String splitCsv(Cohort cohort, List<Fold> folds) {
        StringBuilder sb = new StringBuilder("sample,drug");
        for (Fold f : folds) {
            sb.append(folds.size() == 1 ? ",part" : ",repeat" + (f.repeat() + 1) + "_fold" + (f.fold() + 1));
        }
        sb.append('\n');
        for (int r = 0; r < cohort.size(); r++) {
            sb.append(CsvText.field(cohort.sampleLabels().get(cohort.rowSample()[r]))).append(',')
                    .append(cohort.hasDrugs() ? CsvText.field(cohort.drugIds().get(cohort.rowDrug()[r])) : "");
            for (Fold f : folds) {
                sb.append(',').append(SplitAssignment.name(f.assignment().parts()[r]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Test predictions of every fold: sample, drug, observed, predicted, fold (1-based), repeat (1-based). */
    static String predictionsCsv(Cohort cohort, List<FoldOutcome> outcomes) {
        StringBuilder sb = new StringBuilder("sample,drug,observed,predicted,fold,repeat\n");
        for (FoldOutcome o : outcomes) {
            for (int i = 0; i < o.testRows().length; i++) {
                int r = o.testRows()[i];
                sb.append(CsvText.field(cohort.sampleLabels().get(cohort.rowSample()[r]))).append(',')
                        .append(cohort.hasDrugs() ? CsvText.field(cohort.drugIds().get(cohort.rowDrug()[r])) : "").append(',')
                        .append(cohort.targets()[r]).append(',')
                        .append(String.format(Locale.ROOT, "%.6f", o.predicted()[i])).append(',')
                        .append(o.fold().fold() + 1).append(',').append(o.fold().repeat() + 1).append('\n');
            }
        }
        return sb.toString();
    }

    static Map<String, Object> metrics(RunFolder run, ExperimentConfig config, Cohort cohort, List<FoldOutcome> outcomes,
                                       EvaluationReport report, double loadSeconds, double trainSeconds, double totalSeconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run_id", run.id());
        m.put("name", config.name());
        m.put("task", config.task().kind());
        m.put("target", cohort.targetName());
        if (config.task().isClassification()) {
            Map<String, Object> classes = new LinkedHashMap<>();
            classes.put("positive", config.task().threshold() == null ? config.task().positive()
                    : config.task().positive() + " " + config.task().threshold());
            classes.put("negative", config.task().threshold() != null ? List.of("the other side of " + config.task().threshold())
                    : cohort.classLabels().stream().filter(l -> !l.equals(config.task().positive())).toList());
            m.put("classes", classes);
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("kind", config.split().kind());
        s.put("seed", config.splitSeed());
        if (config.split().group() != null) {
            s.put("group", config.split().group());
        }
        if (outcomes.size() > 1) {
            s.put("folds", config.split().folds());
            s.put("repeats", config.split().repeats());
        } else {
            s.putAll(partSizes(cohort, outcomes.get(0).fold().assignment()));
        }
        m.put("split", s);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("kind", config.model().kind());
        model.put("inputs", outcomes.get(0).prepared().inputWidth());
        model.put("parameters", outcomes.get(0).net().numParams());
        model.put("saved", outcomes.size() == 1 ? "model.zip" : null);
        m.put("model", model);
        m.putAll(report.toMap());
        FoldOutcome first = outcomes.get(0);
        if (outcomes.size() == 1 && !first.baselines().settings().isEmpty()) {
            m.put("baseline_settings", first.baselines().settings());
        }
        Map<String, String> skipped = new LinkedHashMap<>();
        outcomes.forEach(o -> o.baselines().skipped().forEach((name, why) -> skipped.putIfAbsent(name, why)));
        if (!skipped.isEmpty()) {
            m.put("baselines_skipped", skipped);
        }
        if (outcomes.size() > 1) {
            m.put("test_is", "pooled out-of-fold predictions of repeat 1");
            List<Map<String, Object>> folds = new ArrayList<>();
            for (FoldOutcome o : outcomes) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("repeat", o.fold().repeat() + 1);
                f.put("fold", o.fold().fold() + 1);
                f.putAll(partSizes(cohort, o.fold().assignment()));
                f.put("test", o.report().test().toMap());
                Map<String, Object> base = new LinkedHashMap<>();
                o.report().baselines().forEach((k, v) -> base.put(k, v.toMap()));
                f.put("baselines", base);
                if (!o.baselines().settings().isEmpty()) {
                    f.put("baseline_settings", o.baselines().settings());
                }
                f.put("history", o.history().stream().map(EpochRecord::toMap).toList());
                folds.add(f);
            }
            m.put("folds", folds);
            m.put("summary", FoldSummary.of(outcomes.stream().map(FoldOutcome::report).toList()));
        } else {
            m.put("history", outcomes.get(0).history().stream().map(EpochRecord::toMap).toList());
            TrainingState t = outcomes.get(0).training();
            Map<String, Object> training = new LinkedHashMap<>();
            training.put("epochs_run", t.epoch());
            training.put("stopped_early", t.stoppedEarly());
            training.put("best_epoch", t.bestEpoch() > 0 ? t.bestEpoch() : null);
            int from = t.bestEpoch() > 0 ? t.bestEpoch() : t.epoch();
            training.put("model_from_epoch", from);
            // the kept model's validation metric: what a study compares trials on (their test rows stay unseen)
            double validation = outcomes.get(0).history().stream().filter(e -> e.epoch() == from).mapToDouble(EpochRecord::validationMetric)
                    .findFirst().orElse(Double.NaN);
            training.put("validation", Double.isFinite(validation)
                    ? Map.of(config.task().isClassification() ? "auc" : "rmse", validation) : Map.of());
            m.put("training", training);
        }
        Map<String, Object> timing = new LinkedHashMap<>();
        timing.put("load_seconds", loadSeconds);
        timing.put("train_seconds", trainSeconds);
        timing.put("total_seconds", totalSeconds);
        if (outcomes.size() == 1) {
            timing.put("epoch_seconds", outcomes.get(0).history().stream().map(EpochRecord::seconds).toList());
        }
        m.put("timing", timing);
        return m;
    }

    /**
     * What the data files gave, for run.json: rows read, joined (and why others were not), replicates merged, and the
     * cohort's rows, samples and drugs (an external study's rows included).
     */
    static Map<String, Object> dataSummary(Cohort.JoinReport join, Cohort cohort) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("rows_read", join.rowsRead());
        d.put("rows_joined", join.rowsKept());
        d.put("rows_unmatched_sample", join.unmatchedSampleRows());
        d.put("rows_unmatched_drug", join.unmatchedDrugRows());
        d.put("replicated_pairs", join.replicatedPairs());
        d.put("replicate_rows_merged", join.replicateRows());
        d.put("rows", cohort.size());
        d.put("samples", cohort.sampleIds().size());
        d.put("drugs", cohort.drugIds().size());
        return d;
    }

    private static Map<String, Object> partSizes(Cohort cohort, SplitAssignment split) {
        Map<String, Object> s = new LinkedHashMap<>();
        for (byte part : new byte[]{SplitAssignment.TRAIN, SplitAssignment.VALIDATION, SplitAssignment.TEST, SplitAssignment.CALIBRATION}) {
            int[] rows = split.rows(part);
            if (part == SplitAssignment.CALIBRATION && rows.length == 0) {
                continue; // only runs that calibrate intervals hold out a calibration part
            }
            s.put(SplitAssignment.name(part) + "_rows", rows.length);
            s.put(SplitAssignment.name(part) + "_samples", Arrays.stream(rows).map(r -> cohort.rowSample()[r]).distinct().count());
        }
        return s;
    }

    /** The top features of every explained prediction: one line per (prediction, feature), best first. */
    static String explanationsCsv(List<org.oncobench.explain.RunExplainer.Row> rows) {
        StringBuilder sb = new StringBuilder("sample,drug,predicted,rank,table,feature,value,attribution\n");
        for (org.oncobench.explain.RunExplainer.Row r : rows) {
            int rank = 1;
            for (org.oncobench.explain.RunExplainer.Feature f : r.top()) {
                sb.append(org.oncobench.data.CsvText.field(r.sample())).append(',').append(r.drug() == null ? "" : org.oncobench.data.CsvText.field(r.drug()))
                        .append(',').append(String.format(java.util.Locale.ROOT, "%.6g", r.predicted())).append(',').append(rank++).append(',')
                        .append(org.oncobench.data.CsvText.field(f.table())).append(',').append(org.oncobench.data.CsvText.field(f.name())).append(',')
                        .append(String.format(java.util.Locale.ROOT, "%.6g,%.6g", f.value(), f.attribution())).append('\n');
            }
        }
        return sb.toString();
    }
}
