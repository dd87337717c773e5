package org.oncobench.train;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import org.oncobench.config.ExperimentConfig;
import org.oncobench.data.Cohort;
import org.oncobench.data.SplitAssignment;
import org.oncobench.eval.EvaluationReport;
import org.oncobench.eval.FoldSummary;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's metrics.json as typed parts, written by Jackson in one fixed order: who the run is, its split and model, the
 * test evaluation beside the baselines, the folds (k-fold) or the training (single split), wall times, then every
 * post-training analysis's result under its own key in the order the analyses ran, then a k-fold run's final model.
 * Nothing assembles it key by key: a new analysis adds its result, not a line here.
 */
@JsonSerialize(using = RunMetrics.Writer.class)
record RunMetrics(String runId, String name, String task, String target, Classes classes, SplitSummary split, ModelSummary model,
                  EvaluationReport report, Map<String, Map<String, Object>> baselineSettings, Map<String, String> baselinesSkipped,
                  List<FoldSummaryRow> folds, Map<String, Object> foldSummary, List<EpochRecord> history, TrainingSummary training,
                  Timing timing, Map<String, AnalysisResult> analyses, FoldLoop.FinalModel finalModel) {

    /** Classification: the positive class and what counts as negative. */
    record Classes(String positive, List<String> negative) {
    }

    /** Rows and distinct samples of one part of a split. */
    record Part(String name, int rows, long samples) {
        static List<Part> of(Cohort cohort, SplitAssignment split) {
            List<Part> out = new ArrayList<>();
            for (byte part : new byte[]{SplitAssignment.TRAIN, SplitAssignment.VALIDATION, SplitAssignment.TEST, SplitAssignment.CALIBRATION}) {
                int[] rows = split.rows(part);
                if (part == SplitAssignment.CALIBRATION && rows.length == 0) {
                    continue; // only runs that calibrate intervals hold out a calibration part
                }
                out.add(new Part(SplitAssignment.name(part), rows.length, Arrays.stream(rows).map(r -> cohort.rowSample()[r]).distinct().count()));
            }
            return out;
        }
    }

    /** The split: kind, the seed it was drawn from, its group; k-fold's folds and repeats, or a single split's parts. */
    record SplitSummary(String kind, long seed, String group, Integer folds, Integer repeats, List<Part> parts) {
    }

    /** The network: kind, input width, parameter count, and the saved file (null for k-fold runs without a final model). */
    /** {@code parameters}: one network's; {@code members}/{@code bagging}: model.ensemble's (members 1: a single network, not written). */
    record ModelSummary(String kind, int inputs, long parameters, String saved, int members, boolean bagging) {
    }

    /** One fold of a k-fold run: its parts, test scores beside the baselines', the baselines' settings and its history. */
    record FoldSummaryRow(int repeat, int fold, List<Part> parts, Map<String, Object> test, Map<String, Object> baselines,
                          Map<String, Map<String, Object>> baselineSettings, List<EpochRecord> history) {
    }

    /** A single split's training: epochs run, early stopping, the epoch the model is from and its validation metric. */
    record TrainingSummary(int epochsRun, boolean stoppedEarly, Integer bestEpoch, int modelFromEpoch, String validationMetric, double validation) {
    }

    /** Wall times (and, for a single split, each epoch's). */
    record Timing(double loadSeconds, double trainSeconds, double totalSeconds, List<Double> epochSeconds) {
    }

    /** The parts that come from the data, the split and training (the analyses are added by {@link #withAnalyses}). */
    static RunMetrics of(String runId, ExperimentConfig config, Cohort cohort, List<FoldOutcome> outcomes, EvaluationReport report, Timing timing) {
        boolean kfold = outcomes.size() > 1;
        FoldOutcome first = outcomes.get(0);
        Classes classes = null;
        if (config.task().isClassification()) {
            classes = new Classes(config.task().threshold() == null ? config.task().positive() : config.task().positive() + " " + config.task().threshold(),
                    config.task().threshold() != null ? List.of("the other side of " + config.task().threshold())
                            : cohort.classLabels().stream().filter(l -> !l.equals(config.task().positive())).toList());
        }
        SplitSummary split = new SplitSummary(config.split().kind(), config.splitSeed(), config.split().group(), kfold ? config.split().folds() : null,
                kfold ? config.split().repeats() : null, kfold ? null : Part.of(cohort, first.fold().assignment()));
        ModelSummary model = new ModelSummary(config.model().kind(), first.prepared().inputWidth(), first.net().numParams(), kfold ? null : "model.zip",
                config.model().members(), config.model().bagging());
        Map<String, String> skipped = new LinkedHashMap<>();
        outcomes.forEach(o -> o.baselines().skipped().forEach(skipped::putIfAbsent));
        List<FoldSummaryRow> folds = null;
        TrainingSummary training = null;
        if (kfold) {
            folds = outcomes.stream().map(o -> foldRow(cohort, o)).toList();
        } else {
            training = training(config, first);
        }
        return new RunMetrics(runId, config.name(), config.task().kind(), cohort.targetName(), classes, split, model, report,
                kfold ? Map.of() : first.baselines().settings(), skipped, folds, kfold ? FoldSummary.of(outcomes.stream().map(FoldOutcome::report).toList()) : null,
                kfold ? null : first.history(), training, timing, new LinkedHashMap<>(), null);
    }

    private static FoldSummaryRow foldRow(Cohort cohort, FoldOutcome o) {
        Map<String, Object> base = new LinkedHashMap<>();
        o.report().baselines().forEach((k, v) -> base.put(k, v.toMap()));
        return new FoldSummaryRow(o.fold().repeat() + 1, o.fold().fold() + 1, Part.of(cohort, o.fold().assignment()), o.report().test().toMap(),
                base, o.baselines().settings(), o.history());
    }

    private static TrainingSummary training(ExperimentConfig config, FoldOutcome o) {
        TrainingState t = o.training();
        int from = t.bestEpoch() > 0 ? t.bestEpoch() : t.epoch();
        // the kept model's validation metric: what a study compares trials on (their test rows stay unseen)
        double validation = o.history().stream().filter(e -> e.epoch() == from).mapToDouble(EpochRecord::validationMetric).findFirst().orElse(Double.NaN);
        return new TrainingSummary(t.epoch(), t.stoppedEarly(), t.bestEpoch() > 0 ? t.bestEpoch() : null, from,
                config.task().isClassification() ? "auc" : "rmse", validation);
    }

    /** These metrics with the analyses' results, each under its key, in the order they ran. */
    RunMetrics withAnalyses(Map<String, AnalysisResult> results) {
        return new RunMetrics(runId, name, task, target, classes, split, model, report, baselineSettings, baselinesSkipped, folds, foldSummary, history,
                training, timing, new LinkedHashMap<>(results), finalModel);
    }

    /** A k-fold run's final model (trained on every row): its summary, and model.saved names its file. */
    RunMetrics withFinalModel(FoldLoop.FinalModel summary) {
        return new RunMetrics(runId, name, task, target, classes, split, new ModelSummary(model.kind(), model.inputs(), model.parameters(), "model.zip",
                model.members(), model.bagging()),
                report, baselineSettings, baselinesSkipped, folds, foldSummary, history, training, timing, analyses, summary);
    }

    /** Writes the parts in metrics.json's order; empty and absent parts are left out as they always were. */
    static final class Writer extends JsonSerializer<RunMetrics> {
        @Override
        public void serialize(RunMetrics m, JsonGenerator g, SerializerProvider p) throws IOException {
            g.writeStartObject();
            g.writeStringField("run_id", m.runId());
            g.writeStringField("name", m.name());
            g.writeStringField("task", m.task());
            g.writeStringField("target", m.target());
            if (m.classes() != null) {
                g.writeObjectFieldStart("classes");
                g.writeStringField("positive", m.classes().positive());
                g.writeObjectField("negative", m.classes().negative());
                g.writeEndObject();
            }
            split(g, m.split());
            g.writeObjectFieldStart("model");
            g.writeStringField("kind", m.model().kind());
            g.writeNumberField("inputs", m.model().inputs());
            g.writeNumberField("parameters", m.model().parameters());
            g.writeStringField("saved", m.model().saved());
            if (m.model().members() > 1) {
                g.writeObjectFieldStart("ensemble");
                g.writeNumberField("members", m.model().members());
                g.writeBooleanField("bagging", m.model().bagging());
                g.writeStringField("prediction", "mean of the members (summed in member order, then divided); parameters are one member's");
                if (m.model().saved() != null) {
                    g.writeStringField("members_saved", "model.zip (member 0), ensemble/member-1.zip .. member-" + (m.model().members() - 1) + ".zip");
                }
                g.writeEndObject();
            }
            g.writeEndObject();
            for (Map.Entry<String, Object> e : m.report().toMap().entrySet()) {
                g.writeObjectField(e.getKey(), e.getValue());
            }
            if (!m.baselineSettings().isEmpty()) {
                g.writeObjectField("baseline_settings", m.baselineSettings());
            }
            if (!m.baselinesSkipped().isEmpty()) {
                g.writeObjectField("baselines_skipped", m.baselinesSkipped());
            }
            if (m.folds() != null) {
                g.writeStringField("test_is", "pooled out-of-fold predictions of repeat 1");
                g.writeArrayFieldStart("folds");
                for (FoldSummaryRow f : m.folds()) {
                    fold(g, f);
                }
                g.writeEndArray();
                g.writeObjectField("summary", m.foldSummary());
            } else {
                history(g, m.history());
                training(g, m.training());
            }
            timing(g, m.timing());
            for (Map.Entry<String, AnalysisResult> e : m.analyses().entrySet()) {
                g.writeObjectField(e.getKey(), e.getValue().json());
            }
            if (m.finalModel() != null) {
                g.writeObjectField("final_model", m.finalModel());
            }
            g.writeEndObject();
        }

        private static void split(JsonGenerator g, SplitSummary s) throws IOException {
            g.writeObjectFieldStart("split");
            g.writeStringField("kind", s.kind());
            g.writeNumberField("seed", s.seed());
            if (s.group() != null) {
                g.writeStringField("group", s.group());
            }
            if (s.folds() != null) {
                g.writeNumberField("folds", s.folds());
                g.writeNumberField("repeats", s.repeats());
            } else {
                parts(g, s.parts());
            }
            g.writeEndObject();
        }

        private static void parts(JsonGenerator g, List<Part> parts) throws IOException {
            for (Part part : parts) {
                g.writeNumberField(part.name() + "_rows", part.rows());
                g.writeNumberField(part.name() + "_samples", part.samples());
            }
        }

        private static void fold(JsonGenerator g, FoldSummaryRow f) throws IOException {
            g.writeStartObject();
            g.writeNumberField("repeat", f.repeat());
            g.writeNumberField("fold", f.fold());
            parts(g, f.parts());
            g.writeObjectField("test", f.test());
            g.writeObjectField("baselines", f.baselines());
            if (!f.baselineSettings().isEmpty()) {
                g.writeObjectField("baseline_settings", f.baselineSettings());
            }
            history(g, f.history());
            g.writeEndObject();
        }

        private static void history(JsonGenerator g, List<EpochRecord> history) throws IOException {
            g.writeArrayFieldStart("history");
            for (EpochRecord e : history) {
                g.writeObject(e.toMap());
            }
            g.writeEndArray();
        }

        private static void training(JsonGenerator g, TrainingSummary t) throws IOException {
            g.writeObjectFieldStart("training");
            g.writeNumberField("epochs_run", t.epochsRun());
            g.writeBooleanField("stopped_early", t.stoppedEarly());
            g.writeObjectField("best_epoch", t.bestEpoch());
            g.writeNumberField("model_from_epoch", t.modelFromEpoch());
            g.writeObjectFieldStart("validation");
            if (Double.isFinite(t.validation())) {
                g.writeNumberField(t.validationMetric(), t.validation());
            }
            g.writeEndObject();
            g.writeEndObject();
        }

        private static void timing(JsonGenerator g, Timing t) throws IOException {
            g.writeObjectFieldStart("timing");
            g.writeNumberField("load_seconds", t.loadSeconds());
            g.writeNumberField("train_seconds", t.trainSeconds());
            g.writeNumberField("total_seconds", t.totalSeconds());
            if (t.epochSeconds() != null) {
                g.writeObjectField("epoch_seconds", t.epochSeconds());
            }
            g.writeEndObject();
        }
    }
}
