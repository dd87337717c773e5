package org.oncobench.train;

import org.oncobench.config.ExperimentConfig;
import org.oncobench.config.LoadedExperiment;
import org.oncobench.data.Cohort;
import org.oncobench.data.CohortBuilder;
import org.oncobench.data.Fold;
import org.oncobench.data.SplitAssignment;
import org.oncobench.data.SplitPlanner;
import org.oncobench.data.ExternalStudy;
import org.oncobench.eval.EvaluationReport;
import org.oncobench.eval.Significance;
import org.oncobench.eval.Evaluator;
import org.oncobench.eval.RunReport;
import org.oncobench.eval.Verdict;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.oncobench.config.BadInputException;
import org.oncobench.config.ExperimentLoader;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs one experiment: read and join the data, plan the split (one fold, or k folds x repeats), train and score each
 * fold beside the baselines, and write the run folder. Bad data fails before a run folder exists; a failure after that
 * marks the run failed and keeps what was written.
 */
public final class ExperimentRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ExperimentRunner.class);
    private final RunStore store;
    private final TrainingProgress progress;
    private final Consumer<String> status;
    private final StatsObserver statsObserver;
    private final BaselineCache baselineCache;

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
        this(store, progress, status, statsObserver, null);
    }

    private ExperimentRunner(RunStore store, TrainingProgress progress, Consumer<String> status, StatsObserver statsObserver,
                             BaselineCache baselineCache) {
        this.store = store;
        this.progress = progress;
        this.status = status;
        this.statsObserver = statsObserver;
        this.baselineCache = baselineCache;
    }

    /** This runner, sharing baseline fits through {@code cache} with every run it starts (a study's trials). */
    public ExperimentRunner withBaselineCache(BaselineCache cache) {
        return new ExperimentRunner(store, progress, status, statsObserver, cache);
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
        boolean classification = config.task().isClassification();
        long t0 = System.nanoTime();
        status.accept("reading data ...");
        Cohort cohort = new CohortBuilder().build(config.data(), config.task());
        Cohort.JoinReport join = cohort.joinReport();
        if (join.rowsKept() < join.rowsRead() || join.replicateRows() > 0) {
            status.accept(CohortBuilder.describe(config.data(), join));
        }
        List<Fold> folds = new SplitPlanner().plan(cohort, config.split(), config.splitSeed(), classification);
        ExternalStudy external = null;
        int externalDropped = 0;
        if (config.data().external() != null) { // the second study joins after the split: it is never split, only scored
            ExperimentConfig.ExternalConfig x = config.data().external();
            status.accept("reading the external study " + x.name() + " ...");
            external = ExternalStudy.join(cohort, config.data(), x, new CohortBuilder().build(x.data(), config.task()));
            status.accept(external.report().describe(x.name()));
            Fold f = folds.get(0);
            byte[] parts = java.util.Arrays.copyOf(f.assignment().parts(), external.merged().size());
            externalDropped = markExternal(config, cohort, external, f.assignment(), parts);
            if (externalDropped > 0) {
                status.accept(String.format(Locale.ROOT, "external study %s: %d rows dropped: their %s in the primary study's training or "
                        + "validation rows (the %s split forbids it)", x.name(), externalDropped,
                        "drug-blind".equals(config.split().kind()) ? "drugs are" : "cell lines are", config.split().kind()));
            }
            folds = List.of(new Fold(f.repeat(), f.fold(), new SplitAssignment(f.assignment().kind(), parts)));
            cohort = external.merged();
        }
        List<String> notes = notes(config, cohort, folds);
        notes.forEach(status);
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        status.accept(String.format(Locale.ROOT, "%d rows (%d samples%s), %s split%s; loaded in %.1fs", cohort.size(),
                cohort.sampleIds().size(), cohort.hasDrugs() ? " x " + cohort.drugIds().size() + " drugs" : "", config.split().kind(),
                folds.size() > 1 ? " into " + folds.size() + " folds" : String.format(Locale.ROOT, ": %d train / %d validation / %d test",
                        folds.get(0).assignment().rows(SplitAssignment.TRAIN).length,
                        folds.get(0).assignment().rows(SplitAssignment.VALIDATION).length,
                        folds.get(0).assignment().rows(SplitAssignment.TEST).length), loadSeconds));

        RunFolder run;
        if (resumed == null) {
            run = store.create(config.name(), experiment.configHash(), config.split().kind(), config.splitSeed(), config.model().kind(), tags,
                    RunFiles.dataSummary(join, cohort));
        } else {
            run = resumed;
            run.restart();
        }
        Thread onInterrupt = new Thread(() -> {
            if (run.isRunning()) {
                run.finish(RunStatus.INTERRUPTED, "interrupted (signal); resume with '" + resumeCommand(run) + "'");
                status.accept(System.lineSeparator() + "interrupted: run " + run.id() + " is saved up to its last checkpoint; continue it with '"
                        + resumeCommand(run) + "'");
            }
        }, "oncobench-interrupt");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        FileStatsStorage stats = null;
        try {
            if (resumed == null) {
                run.writeText("experiment.yaml", experiment.resolvedYaml());
                run.writeJson("provenance.json", Provenance.collect(config, experiment.file(), experiment.configHash()));
                run.writeText("split.csv", RunFiles.splitCsv(cohort, folds));
            }
            status.accept((resumed == null ? "run " : "resuming run ") + run.id() + " -> " + run.dir());
            stats = new FileStatsStorage(run.file("stats.dl4j").toFile());
            statsObserver.opened(run.id(), stats);
            boolean single = folds.size() == 1;
            Checkpointer checkpoints = single ? new Checkpointer(run.file("checkpoints"), config.training().checkpointEvery(),
                    config.training().keepCheckpoints(), status) : null;
            HistoryLog history = new HistoryLog(run);
            if (resumed != null) {
                history.clear(); // folds without a checkpoint train again from epoch 1; a restored checkpoint rewrites its part
            }
            FoldTrainer trainer = new FoldTrainer(config, progress, baselineCache);
            List<FoldOutcome> outcomes = new ArrayList<>();
            double trainSeconds = 0;
            for (Fold fold : folds) {
                if (!single) {
                    status.accept(String.format(Locale.ROOT, "fold %d/%d (repeat %d)", fold.fold() + 1, config.split().folds(), fold.repeat() + 1));
                }
                // DL4J UI session id: the run id (k-fold: run id + fold), so the UI can find the run's stats.dl4j
                String session = single ? run.id() : run.id() + "_r" + (fold.repeat() + 1) + "f" + (fold.fold() + 1);
                FoldOutcome outcome = trainer.run(cohort, fold, new RunContext(checkpoints, stats, session,
                        r -> history.append(fold, r), records -> history.rewrite(fold, records), resumed != null, status,
                        trained -> {
                            if (single) { // saved first: nothing after training (scoring, baselines, reports) can lose it
                                saveModel(run, trained, config);
                            }
                        }));
                if (outcome.training().stoppedEarly()) {
                    status.accept(String.format(Locale.ROOT, "early stopping after epoch %d; keeping epoch %d", outcome.training().epoch(),
                            outcome.training().bestEpoch()));
                }
                outcomes.add(outcome);
                trainSeconds += outcome.trainSeconds();
            }
            Map<String, Object> finalModel = !single && config.split().finalModel() ? trainFinalModel(run, config, cohort, outcomes, trainer) : null;
            PooledTest pooled = PooledTest.firstRepeat(outcomes);
            EvaluationReport report = single ? outcomes.get(0).report()
                    : new Evaluator().evaluate(cohort, pooled.rows(), pooled.predicted(), pooled.baselines(), classification, pooled.meanEffects());
            run.writeText("predictions.csv", RunFiles.predictionsCsv(cohort, outcomes));
            Significance significance = config.evaluation().bootstrap() > 0 && pooled.rows().length > 0
                    ? significance(config, cohort, pooled, report, classification) : null;
            RandomizationTests.Result randomization = config.evaluation().randomization() == null ? null
                    : new RandomizationTests(config, progress, status).run(cohort, folds.get(0), outcomes.get(0).report().test());
            LearningCurve.Result learningCurve = config.evaluation().learningCurve() == null ? null
                    : new LearningCurve(config, progress, status).run(cohort, folds.get(0), outcomes.get(0).report().bestBaseline());
            org.oncobench.explain.RunExplainer.Result explained = null;
            if (config.evaluation().explain() != null && single) {
                status.accept("explaining the test predictions (" + config.evaluation().explain().method().replace('_', ' ') + ") ...");
                FoldOutcome o = outcomes.get(0);
                explained = new org.oncobench.explain.RunExplainer(config.evaluation().explain()).explain(o.net(), o.prepared(), o.transforms(),
                        o.testRows(), config.seed());
                run.writeText("explanations.csv", RunFiles.explanationsCsv(explained.rows()));
            } else if (config.evaluation().explain() != null) {
                status.accept("note: evaluation.explain explains a single split's test rows; this k-fold run has none to explain");
            }
            org.oncobench.explain.Uncertainty.Result uncertainty = null;
            if (config.evaluation().uncertainty() != null && single && external == null) {
                ExperimentConfig.UncertaintyConfig u = config.evaluation().uncertainty();
                status.accept("calibrating prediction intervals on the calibration rows (" + u.kind().replace('_', ' ') + ") ...");
                FoldOutcome o = outcomes.get(0);
                List<org.deeplearning4j.nn.graph.ComputationGraph> members = "ensemble".equals(u.kind())
                        ? ensembleMembers(run, config, cohort, o.fold(), u.samples() - 1) : List.of();
                uncertainty = new org.oncobench.explain.Uncertainty(u.kind(), u.samples(), u.level(), members).run(o.net(), o.prepared(), o.transforms(),
                        o.fold().assignment().rows(SplitAssignment.CALIBRATION), o.testRows(), config.seed());
            }
            double totalSeconds = (System.nanoTime() - t0) / 1e9;
            Map<String, Object> metrics = RunFiles.metrics(run, config, cohort, outcomes, report, loadSeconds, trainSeconds, totalSeconds);
            if (significance != null) {
                metrics.put("significance", significance.toMap());
            }
            Verdict verdict = pooled.rows().length == 0 ? null : Verdict.of(report, significance);
            if (verdict != null) {
                metrics.put("verdict", verdict.toMap());
            }
            CrossStudy crossStudy = external == null ? null : crossStudy(config, external, externalDropped, outcomes.get(0), classification);
            if (crossStudy != null) {
                Map<String, Object> x = new LinkedHashMap<>(crossStudy.report().toMap());
                x.put("study", crossStudy.study().toMap());
                x.put("dropped_rows", crossStudy.droppedRows());
                if (crossStudy.significance() != null) {
                    x.put("significance", crossStudy.significance().toMap());
                }
                metrics.put("external", Map.of(crossStudy.name(), x));
            }
            if (randomization != null) {
                metrics.put("randomization", randomization.toMap());
            }
            if (learningCurve != null) {
                metrics.put("learning_curve", learningCurve.toMap());
            }
            if (explained != null) {
                metrics.put("explain", explained.summary());
            }
            if (!cohort.groups().isEmpty() && pooled.rows().length > 0) {
                metrics.put("fairness", org.oncobench.eval.Fairness.of(cohort, pooled.rows(), pooled.predicted(), classification, config.seed()));
            }
            if (uncertainty != null) {
                Map<String, Object> u = new LinkedHashMap<>(uncertainty.summary());
                u.put("calibration", uncertainty.calibration());
                metrics.put("uncertainty", u);
            }

            if (finalModel != null) {
                metrics.put("final_model", finalModel);
                @SuppressWarnings("unchecked")
                Map<String, Object> model = (Map<String, Object>) metrics.get("model");
                model.put("saved", "model.zip");
            }
            run.writeJson("metrics.json", metrics);
            writeReport(run, config, cohort, outcomes, pooled, report, metrics, significance);
            run.finish(RunStatus.COMPLETED, null);
            FoldOutcome first = outcomes.get(0);
            return new RunResult(run.id(), run.dir(), report, outcomes.stream().map(FoldOutcome::report).toList(), first.history(),
                    first.fold().assignment().rows(SplitAssignment.TRAIN).length, first.fold().assignment().rows(SplitAssignment.VALIDATION).length,
                    report.test().toMap().get("n") instanceof Integer n ? n : 0, loadSeconds, trainSeconds, totalSeconds,
                    first.baselines().skipped(), notes, significance, randomization, learningCurve, crossStudy);
        } catch (RuntimeException | Error e) {
            LOG.debug("run {} failed", run.id(), e);
            run.finish(RunStatus.FAILED, String.valueOf(e.getMessage()));
            throw e;
        } finally {
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
    }

    /**
     * An ensemble's other members: the same experiment under seeds seed + 7919 m, on the same split and transforms, without
     * baselines; each saved as {@code ensemble/member-m.zip} (the bundle carries them, so served intervals use them too).
     */
    private List<org.deeplearning4j.nn.graph.ComputationGraph> ensembleMembers(RunFolder run, ExperimentConfig config, Cohort cohort, Fold fold, int count) {
        List<org.deeplearning4j.nn.graph.ComputationGraph> members = new ArrayList<>();
        for (int m = 1; m <= count; m++) {
            status.accept(String.format(Locale.ROOT, "ensemble member %d of %d (seed %d) ...", m + 1, count + 1, config.seed() + 7_919L * m));
            ExperimentConfig member = config.withSeed(config.seed() + 7_919L * m)
                    .withEvaluation(new ExperimentConfig.EvaluationConfig(List.of(), config.evaluation().group(), 0));
            org.deeplearning4j.nn.graph.ComputationGraph net = new FoldTrainer(member, progress).run(cohort, fold).net();
            members.add(net);
            try {
                java.nio.file.Files.createDirectories(run.file("ensemble"));
                java.nio.file.Path tmp = run.file("ensemble").resolve(".member-" + m + ".zip.tmp");
                org.deeplearning4j.util.ModelSerializer.writeModel(net, tmp.toFile(), false);
                RunFolder.moveIntoPlace(tmp, run.file("ensemble").resolve("member-" + m + ".zip"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("run " + run.id() + ": cannot save ensemble member " + m, e);
            }
        }
        return members;
    }

    /** The command that continues a run, with --runs-dir when its runs folder is not ./runs. */
    private String resumeCommand(RunFolder run) {
        boolean defaultFolder = store.root().equals(java.nio.file.Path.of("runs").toAbsolutePath().normalize());
        return "oncobench resume " + run.id() + (defaultFolder ? "" : " --runs-dir " + store.root());
    }

    /**
     * What the reader should know about the task and split before trusting the numbers; refuses classification splits
     * whose test part (or, with early stopping, validation part) holds one class.
     */
    static List<String> notes(ExperimentConfig config, Cohort cohort, List<Fold> folds) {
        List<String> notes = new ArrayList<>();
        if (config.task().isClassification()) {
            SplitPlanner.checkClasses(cohort, folds, config.training().earlyStopping() != null);
            if (cohort.classLabels().size() > 2) {
                List<String> rest = cohort.classLabels().stream().filter(l -> !l.equals(config.task().positive())).toList();
                notes.add("note: " + cohort.classLabels().size() + " labels in " + config.data().rows().target() + ": '" + config.task().positive()
                        + "' is the positive class and the other " + rest.size() + " (" + String.join(", ", rest)
                        + ") together the negative class (one-vs-rest)");
            }
            if (folds.size() == 1 && config.training().earlyStopping() == null) {
                String counts = SplitPlanner.singleClass(cohort, folds.get(0).assignment().rows(SplitAssignment.VALIDATION));
                if (counts != null && folds.get(0).assignment().rows(SplitAssignment.VALIDATION).length > 0) {
                    notes.add("note: the validation part holds a single class (" + counts + "): its AUC per epoch is undefined");
                }
            }
        }
        int trainRows = folds.get(0).assignment().rows(SplitAssignment.TRAIN).length;
        if (config.training().batch() > trainRows) {
            notes.add(String.format(Locale.ROOT, "warning: training.batch %d is larger than the %d training rows: every epoch is one batch "
                    + "of %d (one update per epoch); a batch of %d or less gives several", config.training().batch(), trainRows, trainRows,
                    Math.max(1, trainRows / 4)));
        }
        return notes;
    }

    /**
     * k-fold with {@code split.final_model}: one more network on every row, saved as the run's model.zip. Its epochs: the
     * median best epoch across folds when early stopping chose them, else training.epochs. Its scores are the folds'.
     */
    private Map<String, Object> trainFinalModel(RunFolder run, ExperimentConfig config, Cohort cohort, List<FoldOutcome> outcomes,
                                                FoldTrainer trainer) {
        boolean early = config.training().earlyStopping() != null;
        int epochs = early ? medianBestEpoch(outcomes) : config.training().epochs();
        status.accept(String.format(Locale.ROOT, "final model: every one of the %d rows, %d epochs (%s)", cohort.size(), epochs,
                early ? "the median best epoch across folds" : "training.epochs"));
        long t0 = System.nanoTime();
        TrainedModel trained = trainer.trainFinal(cohort, epochs, config.seed() + 999_983L);
        saveModel(run, trained, config);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", cohort.size());
        m.put("samples", cohort.sampleIds().size());
        m.put("epochs", epochs);
        m.put("epochs_from", early ? "median best epoch across folds" : "training.epochs");
        m.put("train_seconds", Math.round((System.nanoTime() - t0) / 1e7) / 100.0);
        m.put("metrics_are", "cross-validated: the folds' models scored on their held-out rows; the final model has no test rows of its own");
        return m;
    }

    static int medianBestEpoch(List<FoldOutcome> outcomes) {
        int[] best = outcomes.stream().mapToInt(o -> Math.max(1, o.training().bestEpoch())).sorted().toArray();
        return best[(best.length - 1) / 2];
    }

    private static void saveModel(RunFolder run, TrainedModel trained, ExperimentConfig config) {
        try {
            ModelArchive.write(run, trained.net(), trained.prepared(), trained.transforms(), config);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("run " + run.id() + ": cannot write model.zip", e);
        }
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

    @SuppressWarnings("unchecked")
    private void writeReport(RunFolder run, ExperimentConfig config, Cohort cohort, List<FoldOutcome> outcomes, PooledTest pooled,
                             EvaluationReport report, Map<String, Object> metrics, Significance significance) {
        double[] observed = new double[pooled.rows().length];
        for (int i = 0; i < observed.length; i++) {
            observed[i] = cohort.targets()[pooled.rows()[i]];
        }
        double[] predicted = pooled.predicted();
        List<EpochRecord> history = outcomes.get(0).history();
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = (Map<String, Object>) metrics.get("summary");
        RunReport.Content content = new RunReport.Content(run.id(), config.name(), config.task().kind(), cohort.targetName(),
                config.split().kind() + (config.split().group() != null ? " (" + config.split().group() + ")" : ""), config.model().kind(),
                report, observed, predicted, history.stream().mapToDouble(EpochRecord::trainLoss).toArray(),
                history.stream().mapToDouble(EpochRecord::validationMetric).toArray(), config.task().isClassification() ? "AUC" : "RMSE", summary,
                significance, (Map<String, Object>) metrics.get("randomization"), (Map<String, Object>) metrics.get("learning_curve"),
                (Map<String, Object>) metrics.get("external"), (Map<String, Object>) metrics.get("explain"), (Map<String, Object>) metrics.get("fairness"),
                (Map<String, Object>) metrics.get("uncertainty"));
        try {
            RunReport.write(run.dir(), content);
        } catch (IOException | RuntimeException e) {
            status.accept("warning: could not write the report (" + e.getMessage() + "); metrics.json is complete");
            LOG.debug("report failed", e);
        }
    }

    /**
     * The test predictions of the first repeat, fold after fold: with k-fold every row is predicted once, by the fold
     * that held it out; a single split is its one fold.
     */
    /** The external study's scores and intervals (over its cell lines), or null when the split's rule dropped every row. */
    private CrossStudy crossStudy(ExperimentConfig config, ExternalStudy external, int dropped, FoldOutcome outcome, boolean classification) {
        FoldOutcome.External x = outcome.external();
        if (x == null) {
            status.accept("external study " + external.name() + ": no rows left to score (" + dropped + " dropped by the split's rule)");
            return null;
        }
        Significance sig = config.evaluation().bootstrap() == 0 ? null : bootstrap(config, external.merged(), x.rows(), external::mappedSampleOfRow,
                external.merged().hasDrugs() ? "external cell lines" : "external samples", x.predicted(), x.baselinePredictions(), x.report(),
                classification);
        return new CrossStudy(external.name(), x.report(), sig, external.report(), dropped);
    }

    /**
     * Marks the external rows {@link SplitAssignment#EXTERNAL}, or {@link SplitAssignment#UNUSED} where the split's rule
     * forbids them: a cell line (by its shared id) or, drug-blind, a drug that the primary study trains or validates on.
     * A mixed split has no such rule. Returns how many rows were dropped.
     */
    static int markExternal(ExperimentConfig config, Cohort primary, ExternalStudy external, SplitAssignment primarySplit, byte[] parts) {
        java.util.Set<String> seenSamples = new java.util.HashSet<>();
        java.util.Set<Integer> seenDrugs = new java.util.HashSet<>();
        for (int r = 0; r < primary.size(); r++) {
            if (primarySplit.parts()[r] == SplitAssignment.TRAIN || primarySplit.parts()[r] == SplitAssignment.VALIDATION) {
                seenSamples.add(primary.sampleIds().get(primary.rowSample()[r]));
                seenDrugs.add(primary.rowDrug()[r]);
            }
        }
        String kind = config.split().kind();
        int dropped = 0;
        for (int r = external.firstRow(); r < parts.length; r++) {
            boolean leaks = switch (kind) {
                case "mixed" -> false;
                case "drug-blind" -> seenDrugs.contains(external.merged().rowDrug()[r]);
                default -> seenSamples.contains(external.mappedSampleOfRow(r));
            };
            parts[r] = leaks ? SplitAssignment.UNUSED : SplitAssignment.EXTERNAL;
            dropped += leaks ? 1 : 0;
        }
        return dropped;
    }

    /**
     * Bootstrap intervals and paired tests on the (pooled) test predictions, resampling the split's unit: drugs for a
     * drug-blind split (or drug folds), rows for a mixed one (or row folds), the groups of a group-blind split (or of folds
     * grouped by a data.groups column), otherwise the samples (cell lines or patients) the split holds out.
     */
    static Significance significance(ExperimentConfig config, Cohort cohort, PooledTest pooled, EvaluationReport report, boolean classification) {
        SplitUnit splitUnit = SplitUnit.of(config, cohort);
        return bootstrap(config, cohort, pooled.rows(), row -> splitUnit.idOf(cohort, row), "test " + splitUnit.plural(),
                pooled.predicted(), pooled.baselines(), report, classification).withCaveat(splitUnit.caveat());
    }

    /** Intervals and paired tests for predictions of some rows, resampling the unit each row belongs to. */
    private static Significance bootstrap(ExperimentConfig config, Cohort cohort, int[] rows, java.util.function.IntFunction<String> unitOf,
                                          String unitName, double[] predicted, Map<String, double[]> baselines, EvaluationReport report,
                                          boolean classification) {
        String[] unit = new String[rows.length];
        double[] observed = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            unit[i] = unitOf.apply(rows[i]);
            observed[i] = cohort.targets()[rows[i]];
        }
        return Significance.of(observed, predicted, baselines, unit, unitName, classification, report.perDrug(), report.perDrugBaselines(),
                config.evaluation().bootstrap(), config.seed(), config.evaluation().significance().minRowsPerDrug());
    }

    record PooledTest(int[] rows, double[] predicted, Map<String, double[]> baselines, double[] meanEffects) {
        static PooledTest firstRepeat(List<FoldOutcome> outcomes) {
            List<FoldOutcome> first = outcomes.stream().filter(o -> o.fold().repeat() == 0).toList();
            int n = first.stream().mapToInt(o -> o.testRows().length).sum();
            int[] rows = new int[n];
            double[] predicted = new double[n];
            double[] meanEffects = first.stream().allMatch(o -> o.meanEffects() != null) ? new double[n] : null;
            Map<String, double[]> baselines = new LinkedHashMap<>();
            int offset = 0;
            for (FoldOutcome o : first) {
                System.arraycopy(o.testRows(), 0, rows, offset, o.testRows().length);
                System.arraycopy(o.predicted(), 0, predicted, offset, o.predicted().length);
                if (meanEffects != null) {
                    System.arraycopy(o.meanEffects(), 0, meanEffects, offset, o.meanEffects().length);
                }
                for (Map.Entry<String, double[]> e : o.baselinePredictions().entrySet()) {
                    double[] target = baselines.computeIfAbsent(e.getKey(), k -> new double[n]);
                    System.arraycopy(e.getValue(), 0, target, offset, e.getValue().length);
                }
                offset += o.testRows().length;
            }
            return new PooledTest(rows, predicted, baselines, meanEffects);
        }
    }
}
