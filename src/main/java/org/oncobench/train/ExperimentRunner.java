package org.oncobench.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.oncobench.config.ExperimentConfig;
import org.oncobench.config.LoadedExperiment;
import org.oncobench.data.Cohort;
import org.oncobench.data.CohortBuilder;
import org.oncobench.data.FittedTransforms;
import org.oncobench.data.GatheringIterator;
import org.oncobench.data.SplitAssignment;
import org.oncobench.data.Splitter;
import org.oncobench.data.TransformFitter;
import org.oncobench.eval.EvaluationReport;
import org.oncobench.eval.Evaluator;
import org.oncobench.model.ModelRegistry;
import org.oncobench.model.ModelSpec;
import org.oncobench.runs.RunFolder;
import org.oncobench.runs.RunStatus;
import org.oncobench.runs.RunStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs one experiment: read and join the data, split, fit transforms on the training part, train, evaluate beside
 * the baselines, and write the run folder. Bad data fails before a run folder exists; a failure after that marks
 * the run failed and keeps what was written.
 */
public final class ExperimentRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ExperimentRunner.class);
    private final RunStore store;
    private final TrainingProgress progress;
    private final Consumer<String> status;

    /**
     * @param progress receives per-batch and per-epoch progress
     * @param status   receives one-line stage messages ("reading data ...")
     */
    public ExperimentRunner(RunStore store, TrainingProgress progress, Consumer<String> status) {
        this.store = store;
        this.progress = progress;
        this.status = status;
    }

    public RunResult run(LoadedExperiment experiment) {
        ExperimentConfig config = experiment.config();
        long t0 = System.nanoTime();
        status.accept("reading data ...");
        Cohort cohort = new CohortBuilder().build(config.data());
        Cohort.JoinReport join = cohort.joinReport();
        if (join.rowsKept() < join.rowsRead()) {
            status.accept(CohortBuilder.describe(config.data(), join));
        }
        SplitAssignment split = Splitter.forKind(config.split().kind()).assign(cohort, config.split(), config.seed());
        int[] trainRows = split.rows(SplitAssignment.TRAIN);
        int[] valRows = split.rows(SplitAssignment.VALIDATION);
        int[] testRows = split.rows(SplitAssignment.TEST);
        FittedTransforms transforms = new TransformFitter().fit(cohort, split, config.data().samples());
        Cohort prepared = transforms.apply(cohort);
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        status.accept(String.format(Locale.ROOT, "%d rows (%d samples x %d drugs), %s split: %d train / %d validation / %d test; "
                        + "%d input features; loaded in %.1fs", cohort.size(), cohort.sampleIds().size(), cohort.drugIds().size(),
                split.kind(), trainRows.length, valRows.length, testRows.length, prepared.inputWidth(), loadSeconds));

        RunFolder run = store.create(config.name(), experiment.configHash());
        try {
            run.writeText("experiment.yaml", experiment.resolvedYaml());
            run.writeText("split.csv", splitCsv(cohort, split));
            status.accept("run " + run.id() + " -> " + run.dir());

            MultiLayerNetwork net = ModelRegistry.forKind(config.model().kind())
                    .build(new ModelSpec(config.model(), config.training().optimizer(), prepared.inputWidth(), config.seed()));
            GatheringIterator train = new GatheringIterator(prepared, trainRows, config.training().batch(), transforms, config.seed(), true);
            long t1 = System.nanoTime();
            List<EpochRecord> history = new Trainer().train(net, train, prepared, valRows, transforms, config.training().epochs(), progress);
            double trainSeconds = (System.nanoTime() - t1) / 1e9;

            double[] predicted = BatchPredictor.predict(net, prepared, testRows, transforms, Math.max(256, config.training().batch()));
            EvaluationReport report = new Evaluator().evaluate(cohort, trainRows, testRows, predicted, config.evaluation().baselines());
            run.writeText("predictions.csv", predictionsCsv(cohort, testRows, predicted));
            ModelArchive.write(run, net, prepared, transforms, config);
            double totalSeconds = (System.nanoTime() - t0) / 1e9;
            run.writeJson("metrics.json", metrics(run, config, cohort, split, report, history, net, loadSeconds, trainSeconds, totalSeconds));
            run.finish(RunStatus.COMPLETED, null);
            return new RunResult(run.id(), run.dir(), report, history, trainRows.length, valRows.length, testRows.length, loadSeconds,
                    trainSeconds, totalSeconds);
        } catch (IOException e) {
            run.finish(RunStatus.FAILED, String.valueOf(e.getMessage()));
            throw new java.io.UncheckedIOException("run " + run.id() + ": cannot write " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            LOG.debug("run {} failed", run.id(), e);
            run.finish(RunStatus.FAILED, String.valueOf(e.getMessage()));
            throw e;
        }
    }

    private static Map<String, Object> metrics(RunFolder run, ExperimentConfig config, Cohort cohort, SplitAssignment split,
                                               EvaluationReport report, List<EpochRecord> history, MultiLayerNetwork net,
                                               double loadSeconds, double trainSeconds, double totalSeconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run_id", run.id());
        m.put("name", config.name());
        m.put("task", config.task().kind());
        m.put("target", cohort.targetName());
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("kind", split.kind());
        s.put("seed", config.seed());
        for (byte part : new byte[]{SplitAssignment.TRAIN, SplitAssignment.VALIDATION, SplitAssignment.TEST}) {
            int[] rows = split.rows(part);
            s.put(SplitAssignment.name(part) + "_rows", rows.length);
            s.put(SplitAssignment.name(part) + "_samples", java.util.Arrays.stream(rows).map(r -> cohort.rowSample()[r]).distinct().count());
        }
        m.put("split", s);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("kind", config.model().kind());
        model.put("inputs", net.layerInputSize(0));
        model.put("parameters", net.numParams());
        m.put("model", model);
        m.putAll(report.toMap());
        m.put("history", history.stream().map(EpochRecord::toMap).toList());
        Map<String, Object> timing = new LinkedHashMap<>();
        timing.put("load_seconds", loadSeconds);
        timing.put("train_seconds", trainSeconds);
        timing.put("total_seconds", totalSeconds);
        m.put("timing", timing);
        return m;
    }

    private static String predictionsCsv(Cohort cohort, int[] rows, double[] predicted) {
        StringBuilder sb = new StringBuilder("sample,drug,observed,predicted,fold\n");
        for (int i = 0; i < rows.length; i++) {
            int r = rows[i];
            sb.append(cohort.sampleLabels().get(cohort.rowSample()[r])).append(',')
                    .append(cohort.hasDrugs() ? cohort.drugIds().get(cohort.rowDrug()[r]) : "").append(',')
                    .append(cohort.targets()[r]).append(',')
                    .append(String.format(Locale.ROOT, "%.6f", predicted[i])).append(",0\n");
        }
        return sb.toString();
    }

    private static String splitCsv(Cohort cohort, SplitAssignment split) {
        StringBuilder sb = new StringBuilder("sample,drug,part\n");
        for (int r = 0; r < cohort.size(); r++) {
            sb.append(cohort.sampleLabels().get(cohort.rowSample()[r])).append(',')
                    .append(cohort.hasDrugs() ? cohort.drugIds().get(cohort.rowDrug()[r]) : "").append(',')
                    .append(SplitAssignment.name(split.parts()[r])).append('\n');
        }
        return sb.toString();
    }
}
