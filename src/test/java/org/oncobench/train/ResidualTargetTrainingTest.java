package org.oncobench.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.oncobench.config.ExperimentConfig;
import org.oncobench.config.ExperimentLoader;
import org.oncobench.data.Cohort;
import org.oncobench.data.Fold;
import org.oncobench.data.SplitAssignment;
import org.oncobench.eval.Baselines;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** model.target.residual_over on the embedded quickstart cohort, trained small (issue 28, item 1). */
class ResidualTargetTrainingTest {
    private static final Path QUICKSTART = Path.of("experiments/quickstart.yaml");
    private static final List<String> SMALL = List.of("training.epochs=2", "evaluation.baselines=[drug_mean, group_drug_mean]",
            "data.samples.expression.select.top_variance=40", "model.hidden=[16]");
    private static RunData data;

    static ExperimentConfig config(String residualOver) {
        List<String> overrides = new java.util.ArrayList<>(SMALL);
        if (residualOver != null) {
            overrides.add("model.target={residual_over: " + residualOver + "}");
        }
        return new ExperimentLoader().load(QUICKSTART, overrides).config();
    }

    @BeforeAll
    static void load() {
        data = new RunDataLoader(s -> { }).load(config("drug_mean"));
    }

    private static FoldOutcome train(ExperimentConfig config, Cohort cohort) {
        return new FoldTrainer(config, TrainingProgress.QUIET).run(cohort, data.folds().get(0));
    }

    @Test
    void zeroNetworkOutputGivesExactlyTheNaivePredictionBack() {
        for (String over : List.of("drug_mean", "mean_effects", "group_drug_mean")) {
            ExperimentConfig config = config(over);
            FoldOutcome o = train(config, data.cohort());
            assertNotNull(o.residual(), over);
            ComputationGraph net = o.net().clone();
            net.getLayer("output").params().assign(0); // weights and bias: the network outputs 0 (standardised)
            int[] test = o.testRows();
            double[] served = BatchPredictor.predict(net, o.prepared(), test, o.transforms(), 256, o.residual());
            double[] naive = Baselines.fit(data.cohort(), data.folds().get(0).assignment().rows(SplitAssignment.TRAIN), config.evaluation().group())
                    .predict(org.oncobench.eval.ResidualTarget.baselineOf(over), data.cohort(), test);
            double zero = o.transforms().restoreTarget(0); // the residuals' training mean: 0 up to float rounding
            assertTrue(Math.abs(zero) < 1e-4, over + ": mean residual " + zero);
            for (int i = 0; i < test.length; i++) {
                assertEquals(naive[i] + zero, served[i], 0.0, over + " row " + i);
            }
            // the trained network's served predictions are exactly its own output plus the naive ones
            double[] alone = BatchPredictor.predict(o.net(), o.prepared(), test, o.transforms(), 256);
            for (int i = 0; i < test.length; i++) {
                assertEquals(alone[i] + naive[i], o.predicted()[i], 0.0, over + " row " + i);
            }
        }
    }

    @Test
    void residualTrainingIsDeterministic() {
        ExperimentConfig config = config("mean_effects");
        FoldOutcome a = train(config, data.cohort());
        FoldOutcome b = train(config, data.cohort());
        assertArrayEquals(a.predicted(), b.predicted(), 0.0);
        assertEquals(a.residual().table(), b.residual().table());
    }

    @Test
    void naiveTableIgnoresTestLabels() {
        ExperimentConfig config = config("group_drug_mean");
        FoldOutcome clean = train(config, data.cohort());
        float[] poisoned = data.cohort().targets().clone();
        Fold fold = data.folds().get(0);
        for (int r : fold.assignment().rows(SplitAssignment.TEST)) {
            poisoned[r] = 1000f + r;
        }
        FoldOutcome dirty = train(config, data.cohort().withTargets(poisoned));
        assertEquals(clean.residual().table(), dirty.residual().table(), "the naive table is fitted on the training rows only");
        assertArrayEquals(clean.predicted(), dirty.predicted(), 0.0, "no test label reaches the network or its target normaliser");
        assertEquals(clean.transforms().targetMean(), dirty.transforms().targetMean());
        assertEquals(clean.transforms().targetSd(), dirty.transforms().targetSd());
    }

    @Test
    void theDefaultLearnsTheResponseItself() {
        ExperimentConfig config = config(null);
        assertNull(config.model().target());
        FoldOutcome o = train(config, data.cohort());
        assertNull(o.residual());
        // the target normaliser sees the response (mean LN_IC50 of the training rows), not residuals
        assertTrue(Math.abs(o.transforms().targetMean()) > 0.5, "target mean " + o.transforms().targetMean());
    }

    @Test
    void meanEffectsUnderACellBlindSplitIsFlagged() {
        assertTrue(RunDataLoader.notes(config("mean_effects"), data.cohort(), data.folds()).stream()
                .anyMatch(n -> n.contains("mean_effects under a cell-blind split")));
        assertTrue(RunDataLoader.notes(config("drug_mean"), data.cohort(), data.folds()).stream().noneMatch(n -> n.contains("residual_over")));
        assertTrue(!RunDataLoader.holdsOutEntities(new ExperimentConfig.SplitConfig("mixed", 0.2, 0.1)));
        assertTrue(!RunDataLoader.holdsOutEntities(new ExperimentConfig.SplitConfig("kfold", 0, 0.1, "row", 5, 1)));
        assertTrue(RunDataLoader.holdsOutEntities(new ExperimentConfig.SplitConfig("kfold", 0, 0.1, "sample", 5, 1)));
    }

    @Test
    void tableHoldsTheTrainingDrugMeansAndNoSampleIds() {
        FoldOutcome o = train(config("group_drug_mean"), data.cohort());
        Map<String, Object> t = o.residual().table();
        assertEquals("group_drug_mean", t.get("residual_over"));
        @SuppressWarnings("unchecked")
        Map<String, Double> drugMeans = (Map<String, Double>) t.get("drug_means");
        assertEquals(data.cohort().drugIds().size(), drugMeans.size());
        String text = t.toString();
        for (String sample : data.cohort().sampleIds()) {
            assertTrue(!text.contains(sample), "sample id " + sample + " in the table");
        }
    }
}
