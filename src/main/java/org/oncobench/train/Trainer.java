package org.oncobench.train;

import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.oncobench.config.ExperimentConfig.TrainingConfig;
import org.oncobench.data.Cohort;
import org.oncobench.data.FittedTransforms;
import org.oncobench.data.GatheringIterator;
import org.oncobench.eval.ClassificationMetrics;
import org.oncobench.eval.RegressionMetrics;
import org.oncobench.model.Seeds;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The epoch loop: trains, scores the validation rows after each epoch (RMSE, or AUC for classification), keeps the
 * best epoch for early stopping, writes checkpoints, and reports progress. Batch order and dropout are seeded from
 * (seed, epoch), so a run resumed from a checkpoint continues exactly as it would have.
 */
public final class Trainer {

    /** Everything the loop needs besides the network and the data. */
    public record Plan(TrainingConfig training, long seed, Checkpointer checkpoints, StatsStorageRouter stats, String statsSession,
                       Consumer<EpochRecord> onEpoch) {
    }

    /** The trained network (the best epoch's when early stopping) and how training went. */
    public record Outcome(ComputationGraph net, TrainingState state) {
    }

    public Outcome train(ComputationGraph net, GatheringIterator train, Cohort cohort, int[] validationRows, FittedTransforms transforms,
                         Plan plan, TrainingState start, TrainingProgress progress) {
        int epochs = plan.training().epochs();
        ProgressListener listener = new ProgressListener(progress, epochs, train.batchesPerEpoch());
        List<TrainingListener> listeners = new ArrayList<>(List.of(listener));
        if (plan.stats() != null) {
            listeners.add(plan.statsSession() == null ? new StatsListener(plan.stats(), plan.training().statsEvery())
                    : new StatsListener(plan.stats(), plan.training().statsEvery(), plan.statsSession()));
        }
        net.setListeners(listeners);
        boolean higherIsBetter = transforms.classification();
        double[] observed = new double[validationRows.length];
        for (int i = 0; i < validationRows.length; i++) {
            observed[i] = cohort.targets()[validationRows[i]];
        }
        List<EpochRecord> history = new ArrayList<>(start.history());
        Double best = start.bestMetric();
        int bestEpoch = start.bestEpoch();
        int sinceBest = start.sinceBest();
        boolean stopped = start.stoppedEarly();
        ComputationGraph bestNet = null;
        TrainingState state = start;
        for (int epoch = start.epoch() + 1; epoch <= epochs && !stopped; epoch++) {
            long t0 = System.nanoTime();
            listener.startEpoch(epoch);
            Seeds.seedNd4j(plan.seed() * 7_919L + epoch);
            train.startEpoch(epoch);
            if (plan.training().workers() > 1) {
                DataParallel.fitEpoch(net, train, plan.training().workers(), plan.seed(), epoch, listeners);
            } else {
                net.fit(train);
            }
            double meanLoss = listener.meanLoss();
            if (!Double.isFinite(meanLoss)) {
                throw new TrainingDivergedException(epoch, meanLoss, null);
            }
            double metric = Double.NaN;
            if (validationRows.length > 0) {
                double[] predicted = BatchPredictor.predict(net, cohort, validationRows, transforms, Math.max(256, train.batch()));
                int bad = RegressionMetrics.nonFinite(predicted);
                if (bad > 0) {
                    throw new TrainingDivergedException(epoch, meanLoss, bad + " of " + predicted.length + " validation predictions are not finite");
                }
                metric = higherIsBetter ? ClassificationMetrics.of(observed, predicted).auc() : RegressionMetrics.of(observed, predicted).rmse();
            }
            EpochRecord record = new EpochRecord(epoch, meanLoss, metric, (System.nanoTime() - t0) / 1e9);
            history.add(record);
            if (plan.training().earlyStopping() != null && Double.isFinite(metric)) {
                boolean improved = best == null || (higherIsBetter ? metric > best : metric < best);
                if (improved) {
                    best = metric;
                    bestEpoch = epoch;
                    sinceBest = 0;
                    if (plan.checkpoints() != null) {
                        plan.checkpoints().saveBest(net);
                    } else {
                        bestNet = net.clone();
                    }
                } else if (++sinceBest >= plan.training().earlyStopping().patience()) {
                    stopped = true;
                }
            }
            state = new TrainingState(epoch, List.copyOf(history), best, bestEpoch, sinceBest, stopped);
            if (plan.checkpoints() != null && (plan.checkpoints().due(epoch, epochs) || stopped)) {
                plan.checkpoints().save(net, state);
            }
            progress.epochDone(record, epochs);
            if (plan.onEpoch() != null) {
                plan.onEpoch().accept(record);
            }
        }
        if (plan.training().earlyStopping() != null && bestEpoch > 0) {
            ComputationGraph restored = bestNet != null ? bestNet
                    : plan.checkpoints() != null ? plan.checkpoints().loadBest().orElse(null) : null;
            if (restored != null) {
                net = restored;
            }
        }
        return new Outcome(net, state);
    }
}
