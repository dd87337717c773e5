package org.oncobench.study;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oncobench.config.ExperimentLoader;
import org.oncobench.config.LoadedExperiment;
import org.oncobench.data.SplitAssignment;
import org.oncobench.data.synth.SynthSpec;
import org.oncobench.data.synth.SyntheticCohortGenerator;
import org.oncobench.train.ValidationTrainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * model.kind: auto's search (issue 28 item 5) on a small synthetic cohort: no test label reaches a choice or a score, the
 * same search chooses the same twice, and the budget bounds the search by its plan and its cap, not by luck.
 */
class AutoTuneTest {
    @TempDir
    static Path dir;
    static LoadedExperiment experiment;
    static ValidationTrainer trainer;

    @BeforeAll
    static void setUp() throws Exception {
        Path data = dir.resolve("data");
        new SyntheticCohortGenerator().generate(new SynthSpec(60, 6, 60, 5, 0, 8), data, p -> { });
        Path yaml = dir.resolve("auto.yaml");
        Files.writeString(yaml, """
                name: auto
                seed: 4
                data:
                  rows: {file: data/GDSC2_fitted_dose_response.csv, sample: COSMIC_ID, drug: DRUG_ID, target: LN_IC50}
                  sample_ids: {file: data/Model.csv, from: COSMICID, to: ModelID}
                  samples:
                    expression: {file: data/OmicsExpressionProteinCodingGenesTPMLogp1.csv, id: ModelID, select: {top_variance: 30}}
                  drugs:
                    fingerprints: {file: data/drugs.csv, id: DRUG_ID, bits: 64}
                  groups:
                    tissue: {file: data/Model.csv, id: ModelID, column: OncotreeLineage}
                split: {kind: cell-blind, test: 0.25, validation: 0.15}
                model: {kind: auto, tune: {budget: 30m, candidates: 3}}
                training: {epochs: 3, batch: 32}
                evaluation: {baselines: [drug_mean]}
                """);
        experiment = new ExperimentLoader().load(yaml, List.of());
        trainer = ValidationTrainer.load(experiment.config(), s -> { });
    }

    /** A job without its wall time: what must not change. */
    private static List<String> scores(AutoTune.Search s) {
        return s.jobs().stream().map(j -> j.trial() + "@" + j.rung() + "x" + j.epochs() + "=" + j.score() + " best " + j.bestEpoch()).toList();
    }

    @Test
    void poisonedTestLabelsChangeNoScoreAndNoChoiceAndTheSameSearchChoosesTheSame() {
        AutoTune.Search clean = new AutoTune(s -> { }).search(experiment, trainer);
        AutoTune.Search again = new AutoTune(s -> { }).search(experiment, trainer);
        float[] poisoned = trainer.cohort().targets().clone();
        int[] test = trainer.fold().assignment().rows(SplitAssignment.TEST);
        assertTrue(test.length > 50, "test rows " + test.length);
        for (int r : test) {
            poisoned[r] = 1000f + r; // garbage far outside the response's range
        }
        ValidationTrainer dirtyTrainer = new ValidationTrainer(trainer.cohort().withTargets(poisoned), trainer.fold());
        AutoTune.Search dirty = new AutoTune(s -> { }).search(experiment, dirtyTrainer);

        assertEquals(3, clean.plan().candidates(), "model.tune.candidates caps the plan");
        assertEquals(clean.plan().jobs(), clean.jobs().size(), "30m never cuts this search");
        assertFalse(clean.cut());
        assertEquals(List.of(1, 3), java.util.Arrays.stream(clean.plan().rungs()).boxed().toList(), "rungs: training.epochs / eta^2 up to 3");
        for (AutoTune.Search other : List.of(again, dirty)) {
            assertEquals(scores(clean), scores(other));
            assertEquals(clean.promoted(), other.promoted());
            assertEquals(clean.chosen(), other.chosen());
            assertEquals(clean.chosenScore(), other.chosenScore(), 0.0);
            assertEquals(clean.overrides(), other.overrides());
        }
        // the choice is the best score of the highest rung, and it is a real network's (not a constant's) validation RMSE
        AutoTune.Job best = clean.jobs().stream().filter(j -> j.rung() == clean.chosenRung()).min(java.util.Comparator.comparingDouble(AutoTune.Job::score))
                .orElseThrow();
        assertEquals(best.trial(), clean.chosen().trial());
        assertEquals(1, clean.chosenRung());
        assertTrue(clean.overrides().contains("training.restore_best=true") && clean.overrides().contains("model.tune={}"), clean.overrides().toString());
        // the poison is real: a constant scored on the poisoned test rows would be far off
        assertNotEquals(trainer.cohort().targets()[test[0]], dirtyTrainer.cohort().targets()[test[0]]);
    }

    @Test
    void theCapStopsTheSearchBeforeAJobThatWouldEndPastTheBudget() throws Exception {
        LoadedExperiment five = new ExperimentLoader().load(experiment.file(), List.of("model.tune.budget=5m"));
        // a clock that moves 100 s at every reading: the first job ends at 300 s of the 300 s budget, so no second one starts
        AtomicLong now = new AtomicLong();
        AutoTune.Search s = new AutoTune(line -> { }, () -> now.getAndAdd(100_000_000_000L)).search(five, trainer);
        assertTrue(s.plan().jobs() > 1 && s.plan().searchSeconds() + s.plan().finalSeconds() <= 300, "the plan fits the budget: " + s.plan());
        assertEquals(1, s.jobs().size());
        assertTrue(s.cut());
        assertTrue(s.notes().stream().anyMatch(n -> n.contains("not reproducible")), s.notes().toString());
        assertEquals(s.jobs().get(0).trial(), s.chosen().trial());
        assertEquals(0, s.chosenRung());
    }

    @Test
    void thePlanCountsSuccessiveHalvingsJobsWhichDoNotDependOnScores() {
        // the plan is the cost model's, not the clock's: simulated successive halving, whose job count does not depend on scores
        int[] rungs = AshaScheduler.budgets(3, 30, 3);
        assertEquals(List.of(3, 9, 30), java.util.Arrays.stream(rungs).boxed().toList());
        List<AshaScheduler.Job> nine = AutoTune.simulate(9, rungs, 3);
        assertEquals(9 + 3 + 1, nine.size(), "9 candidates at 3 epochs, 3 promoted to 9, 1 to 30");
        assertEquals(9 * 3 + 3 * 9 + 30, nine.stream().mapToInt(AshaScheduler.Job::epochs).sum());
        assertEquals(3, AutoTune.simulate(3, rungs, 3).stream().filter(j -> j.rung() == 0).count());
    }
}
