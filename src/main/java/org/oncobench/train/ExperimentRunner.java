package org.oncobench.train;

import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.oncobench.config.BadInputException;
import org.oncobench.config.ExperimentConfig;
import org.oncobench.config.ExperimentLoader;
import org.oncobench.config.LoadedExperiment;
import org.oncobench.data.Cohort;
import org.oncobench.data.DrugAnnotations;
import org.oncobench.data.SplitAssignment;
import org.oncobench.eval.EvaluationReport;
import org.oncobench.eval.Evaluator;
import org.oncobench.eval.GroupComparison;
import org.oncobench.eval.RunReport;
import org.oncobench.eval.Significance;
import org.oncobench.eval.Verdict;
import org.oncobench.runs.Json;
import org.oncobench.runs.Provenance;
import org.oncobench.runs.RunFolder;
import org.oncobench.runs.RunRecord;
import org.oncobench.runs.RunRecords;
import org.oncobench.runs.RunStatus;
import org.oncobench.runs.RunStore;
import org.oncobench.runs.RunTags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Runs one experiment as a short sequence: load and split the data ({@link RunDataLoader}), train the folds beside their
 * baselines ({@link FoldLoop}), run the applicable post-training analyses ({@link Analyses}), write metrics.json
 * ({@link RunMetrics}) and the report. Bad data fails before a run folder exists; a failure after that marks the run
 * failed and keeps what was written.
 */
public final class ExperimentRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ExperimentRunner.class);
    private final RunStore store;
    private final TrainingProgress progress;
    private final Consumer<String> status;
    private final StatsObserver statsObserver;
    private final BaselineCache baselineCache;
    private final Analyses analyses;

    /**
     * @param progress receives per-batch and per-epoch progress
     * @param status   receives one-line stage messages ("reading data ...")
     */
    public ExperimentRunner(RunStore store, TrainingProgress progress, Consumer<String> status) {
        this(store, progress, status, StatsObserver.NONE);
    }

    /**
     * @param statsObserver sees the run's DL4J statistics storage from when training is about to write it until just
     *                      before it closes (e.g. to show it live in DL4J's training UI)
     */
    public ExperimentRunner(RunStore store, TrainingProgress progress, Consumer<String> status, StatsObserver statsObserver) {
        this(store, progress, status, statsObserver, null, Analyses.standard());
    }

    private ExperimentRunner(RunStore store, TrainingProgress progress, Consumer<String> status, StatsObserver statsObserver,
                             BaselineCache baselineCache, Analyses analyses) {
        this.store = store;
        this.progress = progress;
        this.status = status;
        this.statsObserver = statsObserver;
        this.baselineCache = baselineCache;
        this.analyses = analyses;
    }

    /** This runner, sharing baseline fits through {@code cache} with every run it starts (a study's trials). */
    public ExperimentRunner withBaselineCache(BaselineCache cache) {
        return new ExperimentRunner(store, progress, status, statsObserver, cache, analyses);
    }

    /** This runner with other post-training analyses (e.g. {@code Analyses.standard().with(mine)}). */
    public ExperimentRunner withAnalyses(Analyses others) {
        return new ExperimentRunner(store, progress, status, statsObserver, baselineCache, others);
    }

    public RunResult run(LoadedExperiment experiment) {
        return execute(experiment, null, RunTags.NONE);
    }

    /** Runs the experiment as a member of run group {@code group} (e.g. one seed of several). */
    public RunResult run(LoadedExperiment experiment, String group) {
        return execute(experiment, null, RunTags.group(group));
    }

    /** Runs the experiment tagged as a member of a group and/or a study's trial (run.json records the tags). */
    public RunResult run(LoadedExperiment experiment, RunTags tags) {
        return execute(experiment, null, tags);
    }

    /**
     * Trains a completed single-split run further, to {@code epochs} in all, from the checkpoint its last epoch wrote
     * (a study promoting a trial to a larger budget): the run's experiment.yaml is rewritten with the new epochs, and its
     * history, model and metrics are replaced by the longer training's. The run keeps its id, split and data.
     */
    public RunResult extend(String runId, int epochs) {
        RunFolder run = store.open(runId);
        RunRecord record = RunRecords.effective(RunRecords.read(run.dir()).orElseThrow());
        if (!RunStatus.COMPLETED.label().equals(record.status())) {
            throw new BadInputException("run " + runId + " is " + record.status() + "; only a completed run can be trained further");
        }
        LoadedExperiment experiment = new ExperimentLoader().load(run.file("experiment.yaml"), List.of("training.epochs=" + epochs));
        if ("kfold".equals(experiment.config().split().kind())) {
            throw new BadInputException("run " + runId + " is a k-fold run; only single-split runs continue from a checkpoint");
        }
        if (experiment.config().training().checkpointEvery() == 0) {
            throw new BadInputException("run " + runId + " wrote no checkpoints (training.checkpoint_every: 0); it cannot continue");
        }
        run.writeText("experiment.yaml", experiment.resolvedYaml());
        return execute(experiment, run, null);
    }

    /**
     * Continues an interrupted or killed run in its own folder from its last checkpoint (single splits; k-fold runs
     * start their folds again, which the seeds make identical). Refuses when an input file changed since the start.
     */
    public RunResult resume(String runId) {
        RunFolder run = store.open(runId);
        RunRecord record = RunRecords.effective(RunRecords.read(run.dir()).orElseThrow());
        if (!RunStatus.INTERRUPTED.label().equals(record.status()) && !RunStatus.FAILED.label().equals(record.status())) {
            throw new BadInputException("run " + runId + " is " + record.status() + "; only interrupted or failed runs can be resumed");
        }
        LoadedExperiment experiment = new ExperimentLoader().load(run.file("experiment.yaml"), List.of());
        Map<String, String> recorded = recordedInputs(run);
        Map<String, String> now = Provenance.inputHashes(experiment.config());
        for (Map.Entry<String, String> e : recorded.entrySet()) {
            if (!e.getValue().equals(now.get(e.getKey()))) {
                throw new BadInputException(e.getKey() + " changed since run " + runId + " started (SHA-256 differs); resuming would mix "
                        + "data. Start a new run instead");
            }
        }
        return execute(experiment, run, null);
    }

    private RunResult execute(LoadedExperiment experiment, RunFolder resumed, RunTags tags) {
        ExperimentConfig config = experiment.config();
        long t0 = System.nanoTime();
        if ("auto".equals(config.model().kind())) {
            throw new BadInputException("model.kind: auto is a search, not a network: 'oncobench run EXPERIMENT --tune BUDGET' (or study.AutoTune) "
                    + "searches, then runs the chosen kind");
        }
        ModelPreflight.check(config); // an impossible network is refused before the data is read or a run folder exists
        RunData data = new RunDataLoader(status).load(config);
        RunFolder run = resumed == null ? store.create(config.name(), experiment.configHash(), config.split().kind(), config.splitSeed(),
                config.model().kind(), tags, RunFiles.dataSummary(data.join(), data.cohort(), data.notes()), experiment.overrideMap()) : resumed;
        if (resumed != null) {
            run.restart();
        }
        RunInterruption interruption = new RunInterruption();
        Thread onInterrupt = interruption.hook(() -> recordInterruption(run));
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        TrainingProgress guarded = interruption.guard(progress);
        FileStatsStorage stats = null;
        // the run's one thread for baseline fits (beside the network's training) and the worker pool their parallel parts share,
        // shut down when the run ends
        org.oncobench.eval.BaselineThreads baselines = new org.oncobench.eval.BaselineThreads(run.id(), FoldTrainer.threads());
        try {
            if (resumed == null) {
                run.writeText("experiment.yaml", experiment.resolvedYaml());
                run.writeJson("provenance.json", Provenance.collect(config, experiment.file(), experiment.configHash()));
                run.writeText("split.csv", RunFiles.splitCsv(data.cohort(), data.folds()));
            }
            status.accept((resumed == null ? "run " : "resuming run ") + run.id() + " -> " + run.dir());
            stats = new FileStatsStorage(run.file("stats.dl4j").toFile());
            statsObserver.opened(run.id(), stats);
            FoldLoop.Trained trained = new FoldLoop(config, guarded, status, baselineCache, baselines).train(data, run, interruption.guard(stats),
                    resumed != null);
            return evaluate(config, data, run, trained, t0, baselines, guarded);
        } catch (RuntimeException | Error e) {
            interruption.parkIfStopping(e); // Ctrl-C: the failure is the stopping JVM's (a closed storage); the hook records the run
            LOG.debug("run {} failed", run.id(), e);
            run.finish(RunStatus.FAILED, String.valueOf(e.getMessage()));
            throw e;
        } finally {
            baselines.close();
            try {
                close(run, stats, onInterrupt);
            } catch (RuntimeException | Error e) {
                interruption.parkIfStopping(e);
                throw e;
            }
        }
    }

    /** After training: the pooled test evaluation, predictions.csv, the analyses, metrics.json and the report; the run completes. */
    private RunResult evaluate(ExperimentConfig config, RunData data, RunFolder run, FoldLoop.Trained trained, long t0, Executor baselines,
                               TrainingProgress progress) {
        List<FoldOutcome> outcomes = trained.outcomes();
        Cohort cohort = data.cohort();
        PooledTest pooled = PooledTest.firstRepeat(outcomes);
        EvaluationReport report = data.single() ? outcomes.get(0).report() : new Evaluator().evaluate(cohort, pooled.rows(), pooled.predicted(),
                pooled.baselines(), config.task().isClassification(), pooled.meanEffects());
        run.writeText("predictions.csv", RunFiles.predictionsCsv(cohort, outcomes));
        Map<String, AnalysisResult> results = analyses.run(new AnalysisContext(config, cohort, data.folds(), outcomes, pooled, report, data.external(),
                data.externalDropped(), run, progress, status, Map.of(), baselines), status);
        double totalSeconds = (System.nanoTime() - t0) / 1e9;
        RunMetrics metrics = RunMetrics.of(run.id(), config, cohort, outcomes, report, new RunMetrics.Timing(data.loadSeconds(), trained.trainSeconds(),
                totalSeconds, data.single() ? outcomes.get(0).history().stream().map(EpochRecord::seconds).toList() : null)).withAnalyses(results);
        if (trained.finalModel() != null) {
            metrics = metrics.withFinalModel(trained.finalModel());
        }
        run.writeJson("metrics.json", metrics);
        writeReport(run, config, cohort, outcomes, pooled, report, metrics, results);
        run.finish(RunStatus.COMPLETED, null);
        FoldOutcome first = outcomes.get(0);
        return new RunResult(run.id(), run.dir(), report, outcomes.stream().map(FoldOutcome::report).toList(), first.history(),
                first.fold().assignment().rows(SplitAssignment.TRAIN).length, first.fold().assignment().rows(SplitAssignment.VALIDATION).length,
                report.test().toMap().get("n") instanceof Integer n ? n : 0, data.loadSeconds(), trained.trainSeconds(), totalSeconds,
                first.baselines().skipped(), data.notes(), List.copyOf(results.values()));
    }

    /** The final state of a run the JVM stopped (Ctrl-C, SIGTERM) while it ran, written once training has stopped. */
    private void recordInterruption(RunFolder run) {
        if (run.isRunning()) {
            run.finish(RunStatus.INTERRUPTED, "interrupted (signal); resume with '" + resumeCommand(run) + "'");
            status.accept(System.lineSeparator() + "interrupted: run " + run.id() + " is saved up to its last checkpoint; continue it with '"
                    + resumeCommand(run) + "'");
        }
    }

    private void close(RunFolder run, FileStatsStorage stats, Thread onInterrupt) {
        if (stats != null) {
            try {
                statsObserver.closing(run.id(), stats);
            } finally {
                stats.close();
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(onInterrupt);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting: the hook runs and records the interruption
        }
    }

    /** The command that continues a run, with --runs-dir when its runs folder is not ./runs. */
    private String resumeCommand(RunFolder run) {
        boolean defaultFolder = store.root().equals(java.nio.file.Path.of("runs").toAbsolutePath().normalize());
        return "oncobench resume " + run.id() + (defaultFolder ? "" : " --runs-dir " + store.root());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> recordedInputs(RunFolder run) {
        try {
            Map<String, Object> p = Json.mapper().readValue(run.file("provenance.json").toFile(), Map.class);
            return (Map<String, String>) p.getOrDefault("inputs", Map.of());
        } catch (IOException e) {
            throw new BadInputException(run.file("provenance.json") + ": unreadable (" + e.getMessage() + "); cannot check the inputs");
        }
    }

    /**
     * What the report shows around the analyses' parts: the verdict, the test metrics' intervals, the model beside the
     * best baseline per drug and per group with intervals (the significance bootstrap within each group, by sample), and
     * the drugs' names and targets from the drug files.
     */
    private static RunReport.Details reportDetails(ExperimentConfig config, Cohort cohort, PooledTest pooled, double[] observed,
                                                   EvaluationReport report, Map<String, AnalysisResult> results) {
        Verdict verdict = results.get("verdict") instanceof VerdictAnalysis.Result v ? v.verdict() : null;
        Significance significance = results.get("significance") instanceof SignificanceAnalysis.Result s ? s.significance() : null;
        int[] rows = pooled.rows();
        if (rows.length == 0) {
            return new RunReport.Details(verdict, significance, null, Map.of(), DrugAnnotations.NONE);
        }
        String best = report.bestBaseline();
        double[] bestPredicted = best == null ? null : pooled.baselines().get(best);
        String[] sampleOfRow = new String[rows.length];
        for (int i = 0; i < rows.length; i++) {
            sampleOfRow[i] = "s" + cohort.rowSample()[rows[i]];
        }
        int resamples = config.evaluation().bootstrap();
        boolean classification = config.task().isClassification();
        GroupComparison perDrug = null;
        if (cohort.hasDrugs() && report.perDrug() != null) {
            String[] drugOfRow = new String[rows.length];
            for (int i = 0; i < rows.length; i++) {
                drugOfRow[i] = cohort.drugIds().get(cohort.rowDrug()[rows[i]]);
            }
            perDrug = GroupComparison.of(drugOfRow, sampleOfRow, observed, pooled.predicted(), best, bestPredicted, classification, resamples,
                    config.seed());
        }
        Map<String, GroupComparison> perGroup = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, String[]> g : cohort.groups().entrySet()) {
            String[] groupOfRow = new String[rows.length];
            for (int i = 0; i < rows.length; i++) {
                groupOfRow[i] = g.getValue()[cohort.rowSample()[rows[i]]];
            }
            perGroup.put(g.getKey(), GroupComparison.of(groupOfRow, sampleOfRow, observed, pooled.predicted(), best, bestPredicted, classification,
                    resamples, config.seed()));
        }
        DrugAnnotations drugs = cohort.hasDrugs() ? DrugAnnotations.read(config.data()) : DrugAnnotations.NONE;
        return new RunReport.Details(verdict, significance, perDrug, perGroup, drugs);
    }

    /** report.md and report.html: the evaluation and every analysis's part, in the analyses' order; a failure here loses nothing else. */
    private void writeReport(RunFolder run, ExperimentConfig config, Cohort cohort, List<FoldOutcome> outcomes, PooledTest pooled,
                             EvaluationReport report, RunMetrics metrics, Map<String, AnalysisResult> results) {
        double[] observed = new double[pooled.rows().length];
        for (int i = 0; i < observed.length; i++) {
            observed[i] = cohort.targets()[pooled.rows()[i]];
        }
        List<EpochRecord> history = outcomes.get(0).history();
        RunReport.Content content = new RunReport.Content(run.id(), config.name(), config.task().kind(), cohort.targetName(),
                config.split().kind() + (config.split().group() != null ? " (" + config.split().group() + ")" : ""), config.model().kind(),
                report, observed, pooled.predicted(), history.stream().mapToDouble(EpochRecord::trainLoss).toArray(),
                history.stream().mapToDouble(EpochRecord::validationMetric).toArray(), config.task().isClassification() ? "AUC" : "RMSE",
                metrics.foldSummary(), List.copyOf(results.values()), reportDetails(config, cohort, pooled, observed, report, results));
        try {
            RunReport.write(run.dir(), content);
        } catch (IOException | RuntimeException e) {
            status.accept("warning: could not write the report (" + e.getMessage() + "); metrics.json is complete");
            LOG.debug("report failed", e);
        }
    }
}
