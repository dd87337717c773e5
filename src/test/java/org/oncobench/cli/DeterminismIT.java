package org.oncobench.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The same experiment twice gives bit-identical history.jsonl and predictions.csv (same machine, same build): pair and
 * per-sample tasks, a wide table of 10,500 genes without selection, k-fold with repeats, classification and regression.
 */
class DeterminismIT {
    @TempDir
    static Path dir;

    @BeforeAll
    static void data() throws IOException {
        RunCommandIT.Result synth = RunCommandIT.cli("data", "synth", "--out", dir.resolve("pairs").toString(), "--cell-lines", "60",
                "--drugs", "6", "--genes", "200", "--seed", "5", "--tiles", "1", "--tile-size", "8");
        assertEquals(0, synth.code(), synth.err());
        // a patient-like cohort: 70 samples x 10,500 genes (log-expression-like values), a binary label and a continuous score
        Random r = new Random(9);
        int n = 70;
        int p = 10_500;
        StringBuilder expr = new StringBuilder("sample_id");
        for (int j = 0; j < p; j++) {
            expr.append(",GENE").append(j);
        }
        expr.append('\n');
        StringBuilder pheno = new StringBuilder("sample_id,subtype,score\n");
        for (int i = 0; i < n; i++) {
            expr.append("P").append(i);
            double signal = 0;
            for (int j = 0; j < p; j++) {
                double v = 6 + 2 * r.nextGaussian();
                if (j < 30) {
                    signal += v - 6;
                }
                expr.append(',').append(String.format(Locale.ROOT, "%.4f", v));
            }
            expr.append('\n');
            pheno.append("P").append(i).append(',').append(signal + r.nextGaussian() * 3 > 0 ? "BCR/ABL" : "NEG").append(',')
                    .append(String.format(Locale.ROOT, "%.3f", signal / 10)).append('\n');
        }
        Files.writeString(dir.resolve("expr.csv"), expr);
        Files.writeString(dir.resolve("pheno.csv"), pheno);
    }

    static String experiment(String shape) {
        return switch (shape) {
            case "pairs-regression" -> """
                    name: det-pairs
                    seed: 3
                    data:
                      rows: {file: pairs/GDSC2_fitted_dose_response.csv, sample: COSMIC_ID, drug: DRUG_ID, target: LN_IC50}
                      sample_ids: {file: pairs/Model.csv, from: COSMICID, to: ModelID}
                      samples:
                        expression: {file: pairs/OmicsExpressionProteinCodingGenesTPMLogp1.csv, id: ModelID}
                      drugs:
                        fingerprints: {file: pairs/drugs.csv, id: DRUG_ID, bits: 128}
                    split: {kind: kfold, folds: 3, repeats: 2}
                    model: {kind: mlp, hidden: [32], dropout: 0.2}
                    training: {epochs: 3, batch: 64}
                    evaluation: {baselines: [drug_mean, ridge]}
                    """;
            case "wide-classification" -> """
                    name: det-wide-class
                    seed: 1
                    data:
                      rows: {file: pheno.csv, sample: sample_id, target: subtype}
                      samples:
                        expression: {file: expr.csv, id: sample_id}
                    task: {kind: classification, positive: BCR/ABL}
                    split: {kind: kfold, folds: 5, repeats: 2}
                    model: {kind: mlp, hidden: [64], dropout: 0.1}
                    training: {epochs: 3, batch: 16}
                    evaluation: {baselines: [class_prior]}
                    """;
            case "wide-regression" -> """
                    name: det-wide-reg
                    seed: 2
                    data:
                      rows: {file: pheno.csv, sample: sample_id, target: score}
                      samples:
                        expression: {file: expr.csv, id: sample_id}
                    split: {kind: mixed, test: 0.2, validation: 0.15}
                    model: {kind: mlp, hidden: [64, 16], dropout: 0.2}
                    training: {epochs: 4, batch: 16, early_stopping: {patience: 3}}
                    evaluation: {baselines: [global_mean, ridge]}
                    """;
            default -> throw new IllegalArgumentException(shape);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"pairs-regression", "wide-classification", "wide-regression"})
    void sameExperimentTwiceGivesIdenticalHistoryAndPredictions(String shape) throws Exception {
        assertSameTwice(shape, shape);
    }

    /**
     * Every seed is a seed: 0 (ND4J's native generator reads a state of 0 as "seed from the clock"), a negative one whose
     * k-fold fold seeds pass through 0 (-1 + fold 1), and one above 2^32 (LightGBM's seed is a 32-bit int).
     */
    @ParameterizedTest
    @ValueSource(longs = {0L, -1L, 1L << 40})
    void everySeedIsDeterministic(long seed) throws Exception {
        assertSameTwice("pairs-regression", "seed" + seed, "--set", "seed=" + seed, "--set", "evaluation.baselines=[drug_mean,gbm]");
    }

    /** model.ensemble with bagging (issue 28): three members under derived seeds on seeded bootstrap rows, the same twice. */
    @Test
    void anEnsembleWithBaggingIsDeterministic() throws Exception {
        assertSameTwice("pairs-regression", "ensemble", "--set", "model.ensemble={members: 3, bagging: true}", "--set",
                "evaluation.baselines=[drug_mean]");
    }

    /** The residual MLP with layer norm and both kinds of input corruption (issue 28, item 2): the same twice. */
    @Test
    void aResidualMlpWithInputNoiseAndDropoutIsDeterministic() throws Exception {
        assertSameTwice("pairs-regression", "resmlp", "--set", "model.kind=resmlp", "--set", "model.norm=layer", "--set", "model.input_noise=0.1",
                "--set", "model.input_dropout=0.1", "--set", "evaluation.baselines=[drug_mean]");
    }

    /** model.kind film (with a residual target) and factorization (issue 28): the same twice. */
    @ParameterizedTest
    @ValueSource(strings = {"film", "factorization"})
    void pairModelsAreDeterministic(String kind) throws Exception {
        assertSameTwice("pairs-regression", kind, "--set", "model.kind=" + kind, "--set", "model.branch_hidden=[32]", "--set",
                "model.target={residual_over: drug_mean}", "--set", "evaluation.baselines=[drug_mean]");
    }

    /**
     * run --tune (issue 28 item 5): the search's plan, every job's validation score, the promotions and the choice (metrics.json's
     * tune), then the chosen run, the same twice: the budget fixes the plan, the clock only caps (30m never binds here).
     */
    @Test
    void aTunedRunIsDeterministic() throws Exception {
        assertSameTwice("pairs-regression", "tune", "--set", "split={kind: cell-blind, test: 0.25, validation: 0.15}", "--set",
                "model.tune.candidates=3", "--set", "evaluation.baselines=[drug_mean]", "--tune", "30m");
    }

    private static void assertSameTwice(String shape, String label, String... overrides) throws Exception {
        Path yaml = dir.resolve(shape + ".yaml");
        Files.writeString(yaml, experiment(shape));
        Path[] runs = new Path[2];
        for (int i = 0; i < 2; i++) {
            Path runsDir = dir.resolve("runs-" + label + "-" + i);
            List<String> args = new java.util.ArrayList<>(List.of("run", yaml.toString(), "--runs-dir", runsDir.toString()));
            args.addAll(List.of(overrides));
            RunCommandIT.Result r = RunCommandIT.cli(args.toArray(String[]::new));
            assertEquals(0, r.code(), r.err());
            runs[i] = RunCommandIT.runFolders(runsDir).get(0);
            if (i == 0) {
                Thread.sleep(20); // a generator seeded from the clock would now read another millisecond
            }
        }
        for (String file : List.of("history.jsonl", "predictions.csv", "split.csv")) {
            byte[] a = Files.readAllBytes(runs[0].resolve(file));
            byte[] b = Files.readAllBytes(runs[1].resolve(file));
            assertEquals(new String(a), new String(b), label + ": " + file + " differs between two runs");
        }
        assertEquals(metricsWithoutTimes(runs[0]), metricsWithoutTimes(runs[1]), label + ": metrics.json differs between two runs");
    }

    /** metrics.json without what may differ between identical runs: the run id and wall times (fit seconds included). */
    static String metricsWithoutTimes(Path run) throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode m = (com.fasterxml.jackson.databind.node.ObjectNode)
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.resolve("metrics.json").toFile());
        m.remove(List.of("run_id", "timing"));
        return m.toString().replaceAll("\"(fit_seconds|train_seconds|seconds)\":[0-9.eE+-]+", "\"$1\":0");
    }
}
