package org.oncobench.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.oncobench.config.ExperimentConfig;
import org.oncobench.data.Cohort;
import org.oncobench.data.FittedTransforms;
import org.oncobench.data.Fold;
import org.oncobench.data.GatheringIterator;
import org.oncobench.data.SplitAssignment;
import org.oncobench.data.TransformFitter;
import org.oncobench.eval.BaselineSet;
import org.oncobench.eval.EvaluationReport;
import org.oncobench.eval.Evaluator;
import org.oncobench.eval.ResidualTarget;
import org.oncobench.data.FeatureTable;
import org.oncobench.model.InputSpec;
import org.oncobench.model.ModelRegistry;
import org.oncobench.model.ModelSpec;

import java.util.List;
import java.util.Map;

/**
 * Trains and scores one fold: fits the transforms and the baselines on its training rows only, trains a fresh
 * network, predicts its test rows.
 */
public final class FoldTrainer {
    private final ExperimentConfig config;
    private final TrainingProgress progress;
    private final BaselineCache baselineCache;
    private final java.util.concurrent.Executor baselines;

    /** A trainer that fits the baselines on the training thread, before the network. */
    public FoldTrainer(ExperimentConfig config, TrainingProgress progress) {
        this(config, progress, null, Runnable::run);
    }

    /**
     * @param baselineCache baselines shared with other runs of the same data, split and seed (a study's trials); null: fit here
     * @param baselines     where the baselines fit while the network trains: the run's own bounded pool (one thread)
     */
    public FoldTrainer(ExperimentConfig config, TrainingProgress progress, BaselineCache baselineCache, java.util.concurrent.Executor baselines) {
        this.config = config;
        this.progress = progress;
        this.baselineCache = baselineCache;
        this.baselines = baselines;
    }

    public FoldOutcome run(Cohort cohort, Fold fold) {
        return run(cohort, fold, RunContext.none());
    }

    public FoldOutcome run(Cohort cohort, Fold fold, RunContext context) {
        boolean classification = config.task().isClassification();
        SplitAssignment split = fold.assignment();
        int[] trainRows = split.rows(SplitAssignment.TRAIN);
        int[] valRows = split.rows(SplitAssignment.VALIDATION);
        int[] testRows = split.rows(SplitAssignment.TEST);
        // model.target.residual_over: the naive predictor is fitted on the training rows only; the network (and its target
        // normaliser) sees y - naive, the baselines and the evaluation the response itself
        ResidualTarget residual = residualTarget(cohort, trainRows);
        Cohort learned = residual == null ? cohort : residual.residuals(cohort);
        FittedTransforms transforms = new TransformFitter().fit(learned, split, config.data().samples(), classification);
        Cohort prepared = transforms.apply(cohort);
        Cohort netRows = residual == null ? prepared : prepared.withTargets(learned.targets());
        long seed = config.seed() + 1000L * fold.repeat() + fold.fold();
        // The baselines fit beside the network, on a thread of their own (LightGBM's trees use the cores ND4J leaves idle), and
        // each on its own: none of them can fail the run or cost the trained network, which is saved the moment it is done.
        context.status().accept("fitting baselines beside the network (" + String.join(", ", config.evaluation().baselines()) + ") ...");
        java.util.function.Supplier<java.util.concurrent.CompletableFuture<BaselineSet>> fit = () -> java.util.concurrent.CompletableFuture.supplyAsync(
                () -> BaselineSet.fit(config.evaluation().baselines(), config.evaluation().group(), config.evaluation().residualOver(), prepared, trainRows, valRows,
                        transforms, seed, threads(), workers(), context.status()), baselines);
        java.util.concurrent.CompletableFuture<BaselineSet> fitting = baselineCache == null ? fit.get() : baselineCache.fit(config, fold, fit);
        Checkpointer.Restored restored = restored(context);
        TrainingState start = restored == null ? TrainingState.fresh() : restored.state();
        ComputationGraph net = restored != null ? restored.net() : ModelRegistry.forKind(config.model().kind()).build(new ModelSpec(config.model(),
                config.training().optimizer(), inputs(prepared, config), seed, classification ? transforms.classWeights() : null));
        int k = config.model().members();
        if (k > 1) {
            context.status().accept(memberLine("", 0, seed, true));
        }
        GatheringIterator train = new GatheringIterator(netRows, memberRows(trainRows, seed), config.training().batch(), transforms, seed, true);
        long t0 = System.nanoTime();
        Trainer.Outcome trained = new Trainer().train(net, train, netRows, valRows, transforms,
                new Trainer.Plan(config.training(), seed, context.checkpoints(), context.stats(), context.statsSession(), context.onEpoch()), start, progress);
        net = trained.net();
        List<EpochRecord> history = trained.state().history();
        // model.ensemble: members 1..K-1 on the same rows, transforms and naive part, under their own seeds (no checkpoints: a
        // resumed run trains them again, deterministically)
        List<ComputationGraph> others = otherMembers("", true, context.status(), prepared, netRows, trainRows, valRows, transforms, seed,
                config.training());
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        List<ComputationGraph> members = BatchPredictor.members(net, others);
        context.onTrained().accept(new TrainedModel(net, prepared, transforms, residual, others));
        double[] predicted = BatchPredictor.predict(members, prepared, testRows, transforms, Math.max(256, config.training().batch()), residual);
        int nonFinite = org.oncobench.eval.RegressionMetrics.nonFinite(predicted);
        if (nonFinite > 0) {
            int epoch = trained.state().epoch();
            throw new TrainingDivergedException(epoch, history.isEmpty() ? Double.NaN : history.get(history.size() - 1).trainLoss(),
                    nonFinite + " of " + predicted.length + " test predictions are not finite");
        }
        BaselineSet baselineSet = fitting.join();
        Map<String, double[]> baselines = baselineSet.predict(prepared, testRows);
        double[] meanEffects = classification || !cohort.hasDrugs() ? null : baselineSet.meanEffects(prepared, testRows);
        EvaluationReport report = new Evaluator().evaluate(cohort, testRows, predicted, baselines, classification, meanEffects);
        FoldOutcome.External external = external(cohort, split.rows(SplitAssignment.EXTERNAL), members, prepared, transforms, baselineSet, residual);
        return new FoldOutcome(fold, net, transforms, prepared, testRows, predicted, baselines, meanEffects, baselineSet, history,
                trained.state(), report, trainSeconds, external, residual, others);
    }

    /**
     * The rows a member trains on: the training rows, or with {@code model.ensemble.bagging} as many drawn from them with
     * replacement by the member's seed.
     */
    int[] memberRows(int[] trainRows, long memberSeed) {
        if (!config.model().bagging()) {
            return trainRows;
        }
        java.util.SplittableRandom random = new java.util.SplittableRandom(memberSeed);
        int[] drawn = new int[trainRows.length];
        for (int i = 0; i < drawn.length; i++) {
            drawn[i] = trainRows[random.nextInt(trainRows.length)];
        }
        return drawn;
    }

    /** "ensemble member i/K (seed S) ..." for member {@code m} (0-based) under {@code memberSeed}; bagging named when asked. */
    private String memberLine(String prefix, int m, long memberSeed, boolean nameBagging) {
        return String.format(java.util.Locale.ROOT, "%sensemble member %d/%d (seed %d%s) ...", prefix, m + 1, config.model().members(), memberSeed,
                nameBagging && config.model().bagging() ? ", bootstrap rows" : "");
    }

    /** Members 1..K-1 of model.ensemble (member 0 is the network the caller trained under {@code seed}), each under its own seed. */
    private List<ComputationGraph> otherMembers(String prefix, boolean nameBagging, java.util.function.Consumer<String> status, Cohort prepared,
                                                Cohort netRows, int[] rows, int[] valRows, FittedTransforms transforms, long seed,
                                                ExperimentConfig.TrainingConfig training) {
        List<ComputationGraph> others = new java.util.ArrayList<>();
        for (int m = 1; m < config.model().members(); m++) {
            long memberSeed = org.oncobench.model.Seeds.member(seed, m);
            status.accept(memberLine(prefix, m, memberSeed, nameBagging));
            others.add(trainMember(prepared, netRows, memberRows(rows, memberSeed), valRows, transforms, memberSeed, training));
        }
        return others;
    }

    /** One more ensemble member: a fresh network under {@code memberSeed}, trained on {@code rows} (early stopping on {@code valRows}). */
    private ComputationGraph trainMember(Cohort prepared, Cohort netRows, int[] rows, int[] valRows, FittedTransforms transforms, long memberSeed,
                                         ExperimentConfig.TrainingConfig training) {
        boolean classification = config.task().isClassification();
        ComputationGraph member = ModelRegistry.forKind(config.model().kind()).build(new ModelSpec(config.model(), config.training().optimizer(),
                inputs(prepared, config), memberSeed, classification ? transforms.classWeights() : null));
        GatheringIterator train = new GatheringIterator(netRows, rows, training.batch(), transforms, memberSeed, true);
        return new Trainer().train(member, train, netRows, valRows, transforms, new Trainer.Plan(training, memberSeed, null, null, null, null),
                TrainingState.fresh(), progress).net();
    }

    /** The latest checkpoint when resuming (its history handed to {@code onRestore}), or null to start afresh. */
    private static Checkpointer.Restored restored(RunContext context) {
        if (!context.resume() || context.checkpoints() == null) {
            return null;
        }
        Checkpointer.Restored restored = context.checkpoints().latest().orElse(null);
        if (restored != null && context.onRestore() != null) {
            context.onRestore().accept(restored.state().history());
        }
        return restored;
    }

    /** Cross-study: the same network and baselines on the other study's rows (null without any). */
    private FoldOutcome.External external(Cohort cohort, int[] externalRows, List<ComputationGraph> members, Cohort prepared, FittedTransforms transforms,
                                          BaselineSet baselineSet, ResidualTarget residual) {
        if (externalRows.length == 0) {
            return null;
        }
        boolean classification = config.task().isClassification();
        double[] p = BatchPredictor.predict(members, prepared, externalRows, transforms, Math.max(256, config.training().batch()), residual);
        Map<String, double[]> b = baselineSet.predict(prepared, externalRows);
        double[] me = classification || !cohort.hasDrugs() ? null : baselineSet.meanEffects(prepared, externalRows);
        return new FoldOutcome.External(externalRows, p, b, new Evaluator().evaluate(cohort, externalRows, p, b, classification, me));
    }

    /**
     * The final model of a k-fold run: transforms fitted on every row, a fresh network trained on every row for
     * {@code epochs} (no validation rows are left, so no early stopping; the caller picks the epochs from the folds).
     */
    public TrainedModel trainFinal(Cohort cohort, int epochs, long seed) {
        return trainFinal(cohort, epochs, seed, line -> { });
    }

    /** As above; {@code status} hears "ensemble member i/K" with model.ensemble. */
    public TrainedModel trainFinal(Cohort cohort, int epochs, long seed, java.util.function.Consumer<String> status) {
        boolean classification = config.task().isClassification();
        SplitAssignment all = new SplitAssignment("final", new byte[cohort.size()]); // every row TRAIN
        int[] rows = all.rows(SplitAssignment.TRAIN);
        ResidualTarget residual = residualTarget(cohort, rows);
        Cohort learned = residual == null ? cohort : residual.residuals(cohort);
        FittedTransforms transforms = new TransformFitter().fit(learned, all, config.data().samples(), classification);
        Cohort prepared = transforms.apply(cohort);
        Cohort netRows = residual == null ? prepared : prepared.withTargets(learned.targets());
        ComputationGraph net = ModelRegistry.forKind(config.model().kind()).build(new ModelSpec(config.model(), config.training().optimizer(),
                inputs(prepared, config), seed, classification ? transforms.classWeights() : null));
        ExperimentConfig.TrainingConfig t = config.training();
        ExperimentConfig.TrainingConfig fixed = new ExperimentConfig.TrainingConfig(epochs, t.batch(), t.optimizer(), 0, t.keepCheckpoints(), null,
                t.statsEvery(), t.workers());
        int k = config.model().members();
        if (k > 1) {
            status.accept(memberLine("final model: ", 0, seed, false));
        }
        GatheringIterator train = new GatheringIterator(netRows, memberRows(rows, seed), t.batch(), transforms, seed, true);
        Trainer.Outcome trained = new Trainer().train(net, train, netRows, new int[0], transforms, new Trainer.Plan(fixed, seed, null, null, null, null),
                TrainingState.fresh(), progress);
        List<ComputationGraph> others = otherMembers("final model: ", false, status, prepared, netRows, rows, new int[0], transforms, seed, fixed);
        return new TrainedModel(trained.net(), prepared, transforms, residual, others);
    }

    /** The naive predictor of model.target.residual_over fitted on the training rows (null without one, or for classification). */
    private ResidualTarget residualTarget(Cohort cohort, int[] trainRows) {
        String over = config.model().residualOver();
        if (over == null || config.task().isClassification()) {
            return null;
        }
        return ResidualTarget.fit(over, groupOf(config), cohort, trainRows);
    }

    /** The group column of group_drug_mean: evaluation.group, else the first data.groups table. */
    static String groupOf(ExperimentConfig config) {
        if (config.evaluation().group() != null) {
            return config.evaluation().group();
        }
        return config.data().groups().isEmpty() ? null : config.data().groups().keySet().iterator().next();
    }


    /** The run's shared worker pool for the baselines' parallel parts, when the run handed one down (else null: each fit its own). */
    private java.util.concurrent.Executor workers() {
        org.oncobench.eval.BaselineThreads b = org.oncobench.eval.BaselineThreads.of(baselines);
        return b == null ? null : b.workers();
    }

    /**
     * Threads for the tree ensembles, which fit while the network trains: the cores ND4J leaves free (at least one), so
     * the two do not oversubscribe the machine (OpenMP threads that wait for a busy core spin and slow both). Results
     * are reproducible for a given count, which the baselines' settings record.
     */
    static int threads() {
        int nd4j = Math.max(1, org.nd4j.linalg.factory.Nd4j.getEnvironment().maxThreads());
        return Math.max(1, Runtime.getRuntime().availableProcessors() - nd4j);
    }

    /** The network's inputs, one per table in feeding order: sample tables (omics or images), then drug fingerprints. */
    public static List<InputSpec> inputs(Cohort prepared, ExperimentConfig config) {
        List<InputSpec> inputs = new java.util.ArrayList<>();
        for (FeatureTable t : prepared.sampleTables()) {
            if (config.data().samples().get(t.name()) instanceof ExperimentConfig.ImageTableConfig img) {
                inputs.add(InputSpec.image(t.name(), img.height(), img.width(), img.channels()));
            } else {
                inputs.add(InputSpec.flat(t.name(), InputSpec.Kind.OMICS, t.width()));
            }
        }
        for (FeatureTable t : prepared.drugTables()) {
            inputs.add(InputSpec.flat(t.name(), InputSpec.Kind.DRUG, t.width()));
        }
        return inputs;
    }
}
