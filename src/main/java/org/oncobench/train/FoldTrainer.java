package org.oncobench.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.oncobench.config.ExperimentConfig;
import org.oncobench.data.Cohort;
import org.oncobench.data.FittedTransforms;
import org.oncobench.data.Fold;
import org.oncobench.data.GatheringIterator;
import org.oncobench.data.SplitAssignment;
import org.oncobench.data.TransformFitter;
import org.oncobench.eval.Baselines;
import org.oncobench.eval.EvaluationReport;
import org.oncobench.eval.Evaluator;
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

    public FoldTrainer(ExperimentConfig config, TrainingProgress progress) {
        this.config = config;
        this.progress = progress;
    }

    public FoldOutcome run(Cohort cohort, Fold fold) {
        boolean classification = config.task().isClassification();
        SplitAssignment split = fold.assignment();
        int[] trainRows = split.rows(SplitAssignment.TRAIN);
        int[] valRows = split.rows(SplitAssignment.VALIDATION);
        int[] testRows = split.rows(SplitAssignment.TEST);
        FittedTransforms transforms = new TransformFitter().fit(cohort, split, config.data().samples(), classification);
        Cohort prepared = transforms.apply(cohort);
        long seed = config.seed() + 1000L * fold.repeat() + fold.fold();
        MultiLayerNetwork net = ModelRegistry.forKind(config.model().kind()).build(new ModelSpec(config.model(),
                config.training().optimizer(), prepared.inputWidth(), seed, classification ? transforms.classWeights() : null));
        GatheringIterator train = new GatheringIterator(prepared, trainRows, config.training().batch(), transforms, seed, true);
        long t0 = System.nanoTime();
        List<EpochRecord> history = new Trainer().train(net, train, prepared, valRows, transforms, config.training().epochs(), progress);
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        double[] predicted = BatchPredictor.predict(net, prepared, testRows, transforms, Math.max(256, config.training().batch()));
        Map<String, double[]> baselines = Baselines.fit(cohort, trainRows).predictAll(config.evaluation().baselines(), cohort, testRows);
        EvaluationReport report = new Evaluator().evaluate(cohort, testRows, predicted, baselines, classification);
        return new FoldOutcome(fold, net, transforms, prepared, testRows, predicted, baselines, history, report, trainSeconds);
    }
}
