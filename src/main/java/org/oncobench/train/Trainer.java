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
        List<TrainingListener> listeners = listeners(listener, plan);
        net.setListeners(listeners);
        Validation validation = new Validation(cohort, validationRows, transforms, Math.max(256, train.batch()));
        EarlyStop early = new EarlyStop(plan, start, transforms.classification());
        List<EpochRecord> history = new ArrayList<>(start.history());
        TrainingState state = start;
        for (int epoch = start.epoch() + 1; epoch <= epochs && !early.stopped; epoch++) {
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
            double metric = validation.score(net, epoch, meanLoss);
            EpochRecord record = new EpochRecord(epoch, meanLoss, metric, (System.nanoTime() - t0) / 1e9);
            history.add(record);
            early.observe(net, epoch, metric);
            state = new TrainingState(epoch, List.copyOf(history), early.best, early.bestEpoch, early.sinceBest, early.stopped);
            if (plan.checkpoints() != null && (plan.checkpoints().due(epoch, epochs) || early.stopped)) {
                plan.checkpoints().save(net, state);
            }
            progress.epochDone(record, epochs);
            if (plan.onEpoch() != null) {
                plan.onEpoch().accept(record);
            }
        }
        return new Outcome(early.restore(net), state);
    }

    private static List<TrainingListener> listeners(ProgressListener listener, Plan plan) {
        List<TrainingListener> listeners = new ArrayList<>(List.of(listener));
        if (plan.stats() != null) {
            listeners.add(plan.statsSession() == null ? new StatsListener(plan.stats(), plan.training().statsEvery())
                    : new StatsListener(plan.stats(), plan.training().statsEvery(), plan.statsSession()));
        }
        return listeners;
    }

    /** Scores the validation rows after an epoch: RMSE, or AUC for classification; NaN without validation rows. */
    private static final class Validation {
        private final Cohort cohort;
        private final int[] rows;
        private final FittedTransforms transforms;
        private final int batch;
        private final double[] observed;

        Validation(Cohort cohort, int[] rows, FittedTransforms transforms, int batch) {
            this.cohort = cohort;
            this.rows = rows;
            this.transforms = transforms;
            this.batch = batch;
            this.observed = new double[rows.length];
            for (int i = 0; i < rows.length; i++) {
                observed[i] = cohort.targets()[rows[i]];
            }
        }

        double score(ComputationGraph net, int epoch, double meanLoss) {
            if (rows.length == 0) {
                return Double.NaN;
            }
            double[] predicted = BatchPredictor.predict(net, cohort, rows, transforms, batch);
            int bad = RegressionMetrics.nonFinite(predicted);
            if (bad > 0) {
                throw new TrainingDivergedException(epoch, meanLoss, bad + " of " + predicted.length + " validation predictions are not finite");
            }
            return transforms.classification() ? ClassificationMetrics.of(observed, predicted).auc() : RegressionMetrics.of(observed, predicted).rmse();
        }
    }

    /**
     * Early stopping's state: the best validation metric and epoch, epochs since, whether to stop; the best epoch's
     * network is kept (as the checkpointer's best.zip, or a clone) and restored at the end.
     */
    private static final class EarlyStop {
        private final Plan plan;
        private final boolean higherIsBetter;
        private Double best;
        private int bestEpoch;
        private int sinceBest;
        private boolean stopped;
        private ComputationGraph bestNet;

        EarlyStop(Plan plan, TrainingState start, boolean higherIsBetter) {
            this.plan = plan;
            this.higherIsBetter = higherIsBetter;
            this.best = start.bestMetric();
            this.bestEpoch = start.bestEpoch();
            this.sinceBest = start.sinceBest();
            this.stopped = start.stoppedEarly();
        }

        void observe(ComputationGraph net, int epoch, double metric) {
            if (!watches() || !Double.isFinite(metric)) {
                return;
            }
            if (best == null || (higherIsBetter ? metric > best : metric < best)) {
                best = metric;
                bestEpoch = epoch;
                sinceBest = 0;
                if (plan.checkpoints() != null) {
                    plan.checkpoints().saveBest(net);
                } else {
                    bestNet = net.clone();
                }
            } else if (++sinceBest >= patience()) {
                stopped = true;
            }
        }

        /** Whether the best epoch is tracked: for early stopping, or to restore it (training.restore_best). */
        private boolean watches() {
            return plan.training().earlyStopping() != null || plan.training().keepsBestEpoch();
        }

        private int patience() {
            return plan.training().earlyStopping() == null ? Integer.MAX_VALUE : plan.training().earlyStopping().patience();
        }

        ComputationGraph restore(ComputationGraph net) {
            if (!plan.training().keepsBestEpoch() || bestEpoch <= 0) {
                return net;
            }
            ComputationGraph restored = bestNet != null ? bestNet : plan.checkpoints() != null ? plan.checkpoints().loadBest().orElse(null) : null;
            return restored != null ? restored : net;
        }
    }
}
