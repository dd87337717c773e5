package org.oncobench.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oncobench.config.ExperimentConfig;
import org.oncobench.config.ExperimentLoader;
import org.oncobench.data.SplitAssignment;
import org.oncobench.model.Seeds;
import org.oncobench.runs.RunFolder;
import org.oncobench.runs.RunStore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** model.ensemble on the embedded quickstart cohort, trained small (issue 28, item 4). */
class EnsembleTrainingTest {
    private static final Path QUICKSTART = Path.of("experiments/quickstart.yaml");
    private static final List<String> SMALL = List.of("training.epochs=2", "evaluation.baselines=[drug_mean]",
            "data.samples.expression.select.top_variance=40", "model.hidden=[16]");
    private static RunData data;

    static ExperimentConfig config(String... more) {
        List<String> overrides = new ArrayList<>(SMALL);
        overrides.addAll(List.of(more));
        return new ExperimentLoader().load(QUICKSTART, overrides).config();
    }

    @BeforeAll
    static void load() {
        data = new RunDataLoader(s -> { }).load(config());
    }

    private static FoldOutcome train(ExperimentConfig config) {
        return new FoldTrainer(config, TrainingProgress.QUIET).run(data.cohort(), data.folds().get(0));
    }

    /** Each member's own predictions (no naive part), summed in member order and divided by the count, by hand. */
    private static double[] handMean(FoldOutcome o) {
        List<ComputationGraph> members = o.members();
        double[] sum = new double[o.testRows().length];
        for (ComputationGraph m : members) {
            double[] p = BatchPredictor.predict(m, o.prepared(), o.testRows(), o.transforms(), 256);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += p[i];
            }
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= members.size();
        }
        return sum;
    }

    @Test
    void theRunsPredictionIsTheMeanOfItsMembersBitForBit() {
        FoldOutcome o = train(config("model.ensemble={members: 3}"));
        assertEquals(2, o.others().size());
        assertEquals(3, o.members().size());
        assertFalse(o.net().params().equalsWithEps(o.others().get(0).params(), 1e-6), "members train under their own seeds");
        double[] mean = handMean(o);
        assertArrayEquals(mean, o.predicted(), 0.0);
        double[] first = BatchPredictor.predict(o.net(), o.prepared(), o.testRows(), o.transforms(), 256);
        assertFalse(Arrays.equals(first, o.predicted()), "the mean is not member 0's prediction");
    }

    @Test
    void withAResidualTargetTheNaivePartIsAddedOnceToTheMean() {
        FoldOutcome o = train(config("model.ensemble={members: 2}", "model.target={residual_over: drug_mean}"));
        double[] expected = o.residual().addBack(handMean(o), o.prepared(), o.testRows());
        assertArrayEquals(expected, o.predicted(), 0.0);
    }

    @Test
    void anEnsembleTrainsTheSameTwice() {
        ExperimentConfig config = config("model.ensemble={members: 2, bagging: true}");
        FoldOutcome a = train(config);
        FoldOutcome b = train(config);
        assertArrayEquals(a.predicted(), b.predicted(), 0.0);
        for (int m = 0; m < 2; m++) {
            assertEquals(a.members().get(m).params(), b.members().get(m).params(), "member " + m);
        }
    }

    @Test
    void oneMemberIsExactlyTheSingleNetwork() {
        FoldOutcome plain = train(config());
        FoldOutcome one = train(config("model.ensemble={members: 1}"));
        assertTrue(one.others().isEmpty());
        assertArrayEquals(plain.predicted(), one.predicted(), 0.0);
        assertEquals(plain.net().params(), one.net().params());
    }

    @Test
    void baggingDrawsSeededBootstrapRowsFromTheTrainingRowsOnly() {
        ExperimentConfig config = config("model.ensemble={members: 3, bagging: true}");
        FoldTrainer trainer = new FoldTrainer(config, TrainingProgress.QUIET);
        int[] train = data.folds().get(0).assignment().rows(SplitAssignment.TRAIN);
        int[] a = trainer.memberRows(train, Seeds.member(42, 1));
        assertArrayEquals(a, trainer.memberRows(train, Seeds.member(42, 1)), "seeded");
        assertEquals(train.length, a.length);
        assertFalse(Arrays.equals(a, trainer.memberRows(train, Seeds.member(42, 2))), "each member its own sample");
        java.util.Set<Integer> allowed = new java.util.HashSet<>();
        for (int r : train) {
            allowed.add(r);
        }
        long distinct = Arrays.stream(a).distinct().count();
        assertTrue(Arrays.stream(a).allMatch(allowed::contains), "only training rows");
        // a bootstrap sample holds about 1 - 1/e = 63% of the rows
        assertTrue(distinct < 0.7 * train.length && distinct > 0.55 * train.length, distinct + " of " + train.length);
        assertArrayEquals(train, new FoldTrainer(config(), TrainingProgress.QUIET).memberRows(train, 42), "no bagging: the training rows");
    }

    @Test
    void aKfoldFinalModelIsAnEnsembleToo() {
        List<String> heard = new ArrayList<>();
        TrainedModel t = new FoldTrainer(config("model.ensemble={members: 2}"), TrainingProgress.QUIET).trainFinal(data.cohort(), 1, 7, heard::add);
        assertEquals(1, t.others().size());
        assertEquals(List.of("final model: ensemble member 1/2 (seed 7) ...", "final model: ensemble member 2/2 (seed " + Seeds.member(7, 1) + ") ..."), heard);
        int[] rows = {0, 1, 2, 3, 4};
        double[] a = BatchPredictor.predict(t.net(), t.prepared(), rows, t.transforms(), 256);
        double[] b = BatchPredictor.predict(t.others().get(0), t.prepared(), rows, t.transforms(), 256);
        double[] mean = t.predict(rows, 256);
        for (int i = 0; i < rows.length; i++) {
            assertEquals((a[i] + b[i]) / 2, mean[i], 0.0);
        }
    }

    @Test
    void membersAreSavedAndRestoredThroughModelSerializer(@TempDir Path dir) throws Exception {
        ExperimentConfig config = config("model.ensemble={members: 3}");
        FoldOutcome o = train(config);
        RunFolder run = new RunStore(dir).create("ens", "hash", "cell-blind", "mlp");
        ModelArchive.write(run, new TrainedModel(o.net(), o.prepared(), o.transforms(), o.residual(), o.others()), config);
        List<ComputationGraph> restored = new ArrayList<>();
        restored.add(ModelSerializer.restoreComputationGraph(run.file(ModelArchive.FILE).toFile(), false));
        for (int m = 1; m < 3; m++) {
            restored.add(ModelSerializer.restoreComputationGraph(run.file(ModelArchive.ENSEMBLE_DIR).resolve(ModelArchive.memberFile(m)).toFile(), false));
        }
        for (int m = 0; m < 3; m++) {
            assertEquals(o.members().get(m).params(), restored.get(m).params(), "member " + m);
        }
        double[] again = BatchPredictor.predict(restored, o.prepared(), o.testRows(), o.transforms(), 256, o.residual());
        assertArrayEquals(o.predicted(), again, 0.0);
        Object schema = ModelSerializer.getObjectFromFile(run.file(ModelArchive.FILE).toFile(), ModelArchive.SCHEMA_ENTRY);
        assertTrue(schema.toString().contains("\"members\" : 3"), schema.toString());
        // one network: no ensemble entry, no member files (today's layout)
        RunFolder single = new RunStore(dir).create("one", "hash", "cell-blind", "mlp");
        ModelArchive.write(single, new TrainedModel(o.net(), o.prepared(), o.transforms()), config());
        assertFalse(ModelSerializer.getObjectFromFile(single.file(ModelArchive.FILE).toFile(), ModelArchive.SCHEMA_ENTRY).toString().contains("ensemble"));
        assertFalse(java.nio.file.Files.exists(single.file(ModelArchive.ENSEMBLE_DIR)));
        assertNotEquals(o.net().params(), o.others().get(1).params());
    }
}
