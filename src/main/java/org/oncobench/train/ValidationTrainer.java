package org.oncobench.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.oncobench.config.BadInputException;
import org.oncobench.config.ExperimentConfig;
import org.oncobench.data.Cohort;
import org.oncobench.data.FittedTransforms;
import org.oncobench.data.Fold;
import org.oncobench.data.GatheringIterator;
import org.oncobench.data.SplitAssignment;
import org.oncobench.data.TransformFitter;
import org.oncobench.eval.ResidualTarget;
import org.oncobench.model.ModelRegistry;
import org.oncobench.model.ModelSpec;

import java.util.List;
import java.util.function.Consumer;

/**
 * Trains one candidate configuration's network on the training rows of a split and scores it on the validation rows
 * (a search's trial, {@code model.kind: auto}). It never predicts, and never reads the label of, a test row: the naive
 * predictor of a residual target and every transform are fitted on the training rows, and the score is the best epoch's
 * validation metric (RMSE in target units, or AUC), which is also the epoch a run with {@code training.restore_best} keeps.
 * No baselines, files or checkpoints: a run trains the chosen configuration again, identically, under the same seed.
 */
public final class ValidationTrainer {
    private final Cohort cohort;
    private final Fold fold;

    /** What one candidate scored: its best validation metric, that epoch, and the epochs it trained. */
    public record Score(double metric, int bestEpoch, int epochs) {
    }

    public ValidationTrainer(Cohort cohort, Fold fold) {
        this.cohort = cohort;
        this.fold = fold;
    }

    /** Reads and splits the experiment's data as a run would (the same rows, the same split); single splits only. */
    public static ValidationTrainer load(ExperimentConfig config, Consumer<String> status) {
        RunData data = new RunDataLoader(status).load(config);
        if (!data.single()) {
            throw new BadInputException("a search trains on the validation rows of a single split; split.kind " + config.split().kind()
                    + " has " + data.folds().size() + " folds");
        }
        if (data.folds().get(0).assignment().rows(SplitAssignment.VALIDATION).length == 0) {
            throw new BadInputException("a search scores its candidates on validation rows, and split.validation leaves none; give split.validation > 0");
        }
        return new ValidationTrainer(data.cohort(), data.folds().get(0));
    }

    public Cohort cohort() {
        return cohort;
    }

    public Fold fold() {
        return fold;
    }

    public int trainingRows() {
        return fold.assignment().rows(SplitAssignment.TRAIN).length;
    }

    /** Trains {@code candidate}'s network for its training.epochs (early stopping as configured) and scores it. */
    public Score score(ExperimentConfig candidate) {
        Prepared p = prepare(candidate);
        long seed = seedOf(candidate); // the seed FoldTrainer trains the run's network under
        ComputationGraph net = build(candidate, p, seed);
        int[] trainRows = fold.assignment().rows(SplitAssignment.TRAIN);
        int[] valRows = fold.assignment().rows(SplitAssignment.VALIDATION);
        GatheringIterator train = new GatheringIterator(p.netRows, trainRows, candidate.training().batch(), p.transforms, seed, true);
        Trainer.Outcome out = new Trainer().train(net, train, p.netRows, valRows, p.transforms,
                new Trainer.Plan(candidate.training(), seed, null, null, null, null), TrainingState.fresh(), TrainingProgress.QUIET);
        List<EpochRecord> history = out.state().history();
        boolean higher = candidate.task().isClassification();
        EpochRecord best = null;
        for (EpochRecord r : history) {
            if (best == null || (higher ? r.validationMetric() > best.validationMetric() : r.validationMetric() < best.validationMetric())) {
                best = r;
            }
        }
        return best == null ? new Score(Double.NaN, 0, 0) : new Score(best.validationMetric(), best.epoch(), history.size());
    }

    /** The candidate network's parameter count (built, not trained): the search's cost model scales with it. */
    public long parameters(ExperimentConfig candidate) {
        return build(candidate, prepare(candidate), seedOf(candidate)).numParams();
    }

    private record Prepared(Cohort prepared, Cohort netRows, FittedTransforms transforms) {
    }

    private Prepared prepare(ExperimentConfig config) {
        boolean classification = config.task().isClassification();
        int[] trainRows = fold.assignment().rows(SplitAssignment.TRAIN);
        String over = config.model().residualOver();
        ResidualTarget residual = over == null || classification ? null : ResidualTarget.fit(over, FoldTrainer.groupOf(config), cohort, trainRows);
        Cohort learned = residual == null ? cohort : residual.residuals(cohort);
        FittedTransforms transforms = new TransformFitter().fit(learned, fold.assignment(), config.data().samples(), classification);
        Cohort prepared = transforms.apply(cohort);
        Cohort netRows = residual == null ? prepared : prepared.withTargets(learned.targets());
        return new Prepared(prepared, netRows, transforms);
    }

    private long seedOf(ExperimentConfig config) {
        return config.seed() + 1000L * fold.repeat() + fold.fold();
    }

    private static ComputationGraph build(ExperimentConfig config, Prepared p, long seed) {
        boolean classification = config.task().isClassification();
        return ModelRegistry.forKind(config.model().kind()).build(new ModelSpec(config.model(), config.training().optimizer(),
                FoldTrainer.inputs(p.prepared, config), seed, classification ? p.transforms.classWeights() : null));
    }
}
