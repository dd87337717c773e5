package org.oncobench.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.oncobench.config.ExperimentConfig;
import org.oncobench.data.Cohort;
import org.oncobench.data.Fold;
import org.oncobench.runs.RunFolder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Trains a run's folds one after the other beside their baselines, into the run's folder: history as it goes,
 * checkpoints (single split), the model the moment a single split's training ends, and a k-fold run's final model.
 */
final class FoldLoop {
    /** What training produced: each fold's outcome, the training seconds summed, and a k-fold run's final model (or null). */
    record Trained(List<FoldOutcome> outcomes, double trainSeconds, FinalModel finalModel) {
    }

    /** A k-fold run's final model, trained on every row: metrics.json's final_model. */
    record FinalModel(@JsonProperty("rows") int rows, @JsonProperty("samples") int samples, @JsonProperty("epochs") int epochs,
                      @JsonProperty("epochs_from") String epochsFrom, @JsonProperty("train_seconds") double trainSeconds,
                      @JsonProperty("metrics_are") String metricsAre) {
    }

    private final ExperimentConfig config;
    private final TrainingProgress progress;
    private final Consumer<String> status;
    private final BaselineCache baselineCache;
    private final Executor baselines;

    FoldLoop(ExperimentConfig config, TrainingProgress progress, Consumer<String> status, BaselineCache baselineCache, Executor baselines) {
        this.config = config;
        this.progress = progress;
        this.status = status;
        this.baselineCache = baselineCache;
        this.baselines = baselines;
    }

    /**
     * @param resumed whether the run continues from its checkpoints (a single split) or trains its folds again (k-fold)
     */
    Trained train(RunData data, RunFolder run, org.deeplearning4j.core.storage.StatsStorageRouter stats, boolean resumed) {
        boolean single = data.single();
        Checkpointer checkpoints = single ? new Checkpointer(run.file("checkpoints"), config.training().checkpointEvery(),
                config.training().keepCheckpoints(), status) : null;
        HistoryLog history = new HistoryLog(run);
        if (resumed) {
            history.clear(); // folds without a checkpoint train again from epoch 1; a restored checkpoint rewrites its part
        }
        FoldTrainer trainer = new FoldTrainer(config, progress, baselineCache, baselines);
        List<FoldOutcome> outcomes = new ArrayList<>();
        double seconds = 0;
        for (Fold fold : data.folds()) {
            if (!single) {
                status.accept(String.format(Locale.ROOT, "fold %d/%d (repeat %d)", fold.fold() + 1, config.split().folds(), fold.repeat() + 1));
            }
            // DL4J UI session id: the run id (k-fold: run id + fold), so the UI can find the run's stats.dl4j
            String session = single ? run.id() : run.id() + "_r" + (fold.repeat() + 1) + "f" + (fold.fold() + 1);
            FoldOutcome outcome = trainer.run(data.cohort(), fold, new RunContext(checkpoints, stats, session, r -> history.append(fold, r),
                    records -> history.rewrite(fold, records), resumed, status, trained -> {
                        if (single) { // saved first: nothing after training (scoring, baselines, reports) can lose it
                            save(run, trained);
                        }
                    }));
            if (outcome.training().stoppedEarly()) {
                status.accept(String.format(Locale.ROOT, "early stopping after epoch %d; keeping epoch %d", outcome.training().epoch(),
                        config.training().keepsBestEpoch() ? outcome.training().bestEpoch() : outcome.training().epoch()));
            } else if (config.training().earlyStopping() == null && config.training().keepsBestEpoch() && outcome.training().bestEpoch() > 0) {
                status.accept(String.format(Locale.ROOT, "keeping epoch %d of %d (best validation %s, training.restore_best)",
                        outcome.training().bestEpoch(), outcome.training().epoch(), config.task().isClassification() ? "AUC" : "RMSE"));
            }
            outcomes.add(outcome);
            seconds += outcome.trainSeconds();
        }
        FinalModel finalModel = !single && config.split().finalModel() ? trainFinal(run, data.cohort(), outcomes, trainer) : null;
        return new Trained(outcomes, seconds, finalModel);
    }

    /**
     * k-fold with {@code split.final_model}: one more network on every row, saved as the run's model.zip. Its epochs: the
     * median best epoch across folds when early stopping chose them, else training.epochs. Its scores are the folds'.
     */
    private FinalModel trainFinal(RunFolder run, Cohort cohort, List<FoldOutcome> outcomes, FoldTrainer trainer) {
        boolean early = config.training().keepsBestEpoch();
        int epochs = early ? medianBestEpoch(outcomes) : config.training().epochs();
        status.accept(String.format(Locale.ROOT, "final model: every one of the %d rows, %d epochs (%s)", cohort.size(), epochs,
                early ? "the median best epoch across folds" : "training.epochs"));
        long t0 = System.nanoTime();
        TrainedModel trained = trainer.trainFinal(cohort, epochs, config.seed() + 999_983L, status);
        save(run, trained);
        return new FinalModel(cohort.size(), cohort.sampleIds().size(), epochs, early ? "median best epoch across folds" : "training.epochs",
                Math.round((System.nanoTime() - t0) / 1e7) / 100.0,
                "cross-validated: the folds' models scored on their held-out rows; the final model has no test rows of its own");
    }

    static int medianBestEpoch(List<FoldOutcome> outcomes) {
        int[] best = outcomes.stream().mapToInt(o -> Math.max(1, o.training().bestEpoch())).sorted().toArray();
        return best[(best.length - 1) / 2];
    }

    private void save(RunFolder run, TrainedModel trained) {
        try {
            ModelArchive.write(run, trained, config);
        } catch (IOException e) {
            throw new UncheckedIOException("run " + run.id() + ": cannot write model.zip", e);
        }
    }
}
