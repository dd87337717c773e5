package org.oncobench.train;

import org.junit.jupiter.api.Test;
import org.oncobench.config.ExperimentConfig;
import org.oncobench.config.ExperimentLoader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** training.restore_best (issue 28, item 3): without early stopping, the best validation epoch's network is kept. */
class RestoreBestTest {
    static ExperimentConfig config(String... extra) {
        List<String> o = new ArrayList<>(List.of("evaluation.baselines=[drug_mean]", "data.samples.expression.select.top_variance=40",
                "model.hidden=[64]", "training.optimizer.lr=0.01", "training.checkpoint_every=0"));
        o.addAll(List.of(extra));
        return new ExperimentLoader().load(Path.of("experiments/quickstart.yaml"), o).config();
    }

    @Test
    void keepsTheBestValidationEpochWhichEqualsTrainingThatMany() {
        ExperimentConfig best = config("training.epochs=8", "training.restore_best=true");
        assertTrue(best.training().keepsBestEpoch());
        assertFalse(config("training.epochs=8").training().keepsBestEpoch(), "off by default");
        RunData data = new RunDataLoader(s -> { }).load(best);
        FoldOutcome kept = new FoldTrainer(best, TrainingProgress.QUIET).run(data.cohort(), data.folds().get(0));
        List<EpochRecord> history = kept.history();
        assertEquals(8, history.size(), "restore_best never stops early");
        int argmin = history.stream().min(Comparator.comparingDouble(EpochRecord::validationMetric)).orElseThrow().epoch();
        assertEquals(argmin, kept.training().bestEpoch());
        assertTrue(argmin < 8, "the fixture overfits before epoch 8 (best " + argmin + "), so keeping the best differs from keeping the last");
        ExperimentConfig shorter = config("training.epochs=" + argmin);
        FoldOutcome stopped = new FoldTrainer(shorter, TrainingProgress.QUIET).run(data.cohort(), data.folds().get(0));
        assertArrayEquals(stopped.predicted(), kept.predicted(), 0.0, "the kept network is the one after epoch " + argmin);
        ExperimentConfig last = config("training.epochs=8", "training.restore_best=false");
        FoldOutcome all = new FoldTrainer(last, TrainingProgress.QUIET).run(data.cohort(), data.folds().get(0));
        assertFalse(java.util.Arrays.equals(all.predicted(), kept.predicted()));
    }
}
