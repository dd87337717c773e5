package org.oncobench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oncobench.export.Bundle;
import org.oncobench.export.Predictor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * model.kind film and factorization end to end (issue 28, item 2): a FiLM run with a residual target and a two-member
 * ensemble exported and served (the bundle gives the run's test predictions back), a factorisation run the same (and
 * explained: integrated gradients complete through the dot product), a
 * k-fold factorisation run whose out-of-fold predictions cover every row once, and ONNX refused by name.
 */
class PairModelsIT {
    @TempDir
    static Path dir;
    static final Map<String, String> modelOfCosmic = new HashMap<>();
    static final Map<String, String> smiles = new HashMap<>();
    static Map<String, Map<String, Double>> expression;

    @BeforeAll
    static void setUp() throws IOException {
        Path data = dir.resolve("data");
        assertEquals(0, RunCommandIT.cli("data", "synth", "--out", data.toString(), "--cell-lines", "80", "--drugs", "8", "--genes", "80",
                "--seed", "9", "--tiles", "0").code());
        for (String line : Files.readAllLines(data.resolve("Model.csv")).subList(1, 81)) {
            String[] c = line.split(",");
            modelOfCosmic.put(c[1], c[0]);
        }
        for (String line : Files.readAllLines(data.resolve("drugs.csv")).subList(1, 9)) {
            String[] c = line.split(",");
            smiles.put(c[0], c[4]);
        }
        expression = ExportIT.matrix(data.resolve("OmicsExpressionProteinCodingGenesTPMLogp1.csv"));
        Files.writeString(dir.resolve("pair.yaml"), """
                name: pair
                seed: 3
                data:
                  rows: {file: data/GDSC2_fitted_dose_response.csv, sample: COSMIC_ID, drug: DRUG_ID, target: LN_IC50}
                  sample_ids: {file: data/Model.csv, from: COSMICID, to: ModelID}
                  samples:
                    expression: {file: data/OmicsExpressionProteinCodingGenesTPMLogp1.csv, id: ModelID, select: {top_variance: 60}}
                  drugs:
                    fingerprints: {file: data/drugs.csv, id: DRUG_ID, bits: 128}
                split: {kind: cell-blind, test: 0.25, validation: 0.1}
                model: {kind: film, hidden: [16], branch_hidden: [32, 16]}
                training: {epochs: 4, batch: 32}
                evaluation: {baselines: [drug_mean]}
                """);
    }

    static Path run(String label, String... sets) throws IOException {
        Path runs = dir.resolve("runs-" + label);
        List<String> args = new ArrayList<>(List.of("run", dir.resolve("pair.yaml").toString(), "--runs-dir", runs.toString()));
        for (String s : sets) {
            args.add("--set");
            args.add(s);
        }
        RunCommandIT.Result r = RunCommandIT.cli(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return RunCommandIT.runFolders(runs).get(0);
    }

    static Path export(Path run) {
        return export(run, false);
    }

    /** {@code onnxNote}: the export says the network has no ONNX translation, naming the vertex. */
    static Path export(Path run, boolean onnxNote) {
        Path bundle = dir.resolve(run.getFileName() + ".zip");
        RunCommandIT.Result e = RunCommandIT.cli("export", run.getFileName().toString(), "--out", bundle.toString(), "--runs-dir",
                run.getParent().toString());
        assertEquals(0, e.code(), e.err());
        if (onnxNote) {
            assertTrue(e.out().contains("note: no model.onnx in the bundle: cannot export this model to ONNX: vertex"), e.out() + e.err());
        }
        return bundle;
    }

    /** The bundle's predictions for the run's test rows equal the run's own (predictions.csv: sample, drug, observed, predicted). */
    static void bundleGivesTheRunsPredictionsBack(Path run, Path bundle) throws IOException {
        List<String> lines = Files.readAllLines(run.resolve("predictions.csv"));
        List<Predictor.Request> requests = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            String[] c = l.split(",");
            String model = modelOfCosmic.get(c[0]);
            requests.add(new Predictor.Request(new Predictor.Sample(model, Map.of("expression", expression.get(model))),
                    Predictor.Drug.ofSmiles(c[1], smiles.get(c[1]))));
        }
        List<Predictor.Prediction> got = Bundle.open(bundle).predictor().predict(requests);
        assertEquals(lines.size() - 1, got.size());
        Set<Double> distinct = new HashSet<>();
        for (int i = 0; i < got.size(); i++) {
            assertEquals(Double.parseDouble(lines.get(i + 1).split(",")[3]), got.get(i).value(), 1e-5, "row " + i);
            distinct.add(got.get(i).value());
        }
        assertTrue(distinct.size() > got.size() / 2, "the predictions hardly vary: " + distinct.size() + " distinct of " + got.size());
    }

    @Test
    void filmWithAResidualTargetAndAnEnsembleServesWhatTheRunPredicted() throws IOException {
        Path run = run("film", "model.target={residual_over: drug_mean}", "model.ensemble={members: 2}");
        JsonNode metrics = ExportIT.JSON.readTree(run.resolve("metrics.json").toFile());
        assertTrue(metrics.path("test").path("rmse").asDouble() < metrics.path("baselines").path("drug_mean").path("rmse").asDouble(),
                metrics.path("test").toString());
        bundleGivesTheRunsPredictionsBack(run, export(run));
    }

    @Test
    void factorizationServesWhatTheRunPredictedAndOnnxIsRefusedByName() throws IOException {
        Path run = run("fact", "model.kind=factorization", "model.embedding_dim=8", "model.branch_hidden=[32]",
                "evaluation.explain={rows: 40, top: 5}");
        assertTrue(Files.readString(run.resolve("experiment.yaml")).contains("embedding_dim: 8"));
        // integrated gradients through the dot product: the attributions add up to prediction minus baseline prediction
        JsonNode c = ExportIT.JSON.readTree(run.resolve("metrics.json").toFile()).path("explain").path("completeness");
        assertTrue(c.path("median_relative_error").asDouble() < 0.01, c.toString());
        bundleGivesTheRunsPredictionsBack(run, export(run, true));
        RunCommandIT.Result onnx = RunCommandIT.cli("export", run.getFileName().toString(), "--format", "onnx", "--out",
                dir.resolve("f.onnx").toString(), "--runs-dir", run.getParent().toString());
        assertEquals(2, onnx.code(), onnx.out() + onnx.err());
        assertTrue(onnx.err().contains("is a DotProductVertex vertex"), onnx.err());
        assertFalse(Files.exists(dir.resolve("f.onnx")));
    }

    @Test
    void kfoldFactorizationPredictsEveryRowOnceOutOfFold() throws IOException {
        Path run = run("kfold", "model.kind=factorization", "split={kind: kfold, folds: 3, validation: 0.1}", "training.epochs=2");
        List<String> lines = Files.readAllLines(run.resolve("predictions.csv"));
        Set<String> pairs = new HashSet<>();
        for (String l : lines.subList(1, lines.size())) {
            String[] c = l.split(",");
            assertTrue(pairs.add(c[0] + "," + c[1]), "pair predicted twice: " + l);
        }
        JsonNode metrics = ExportIT.JSON.readTree(run.resolve("metrics.json").toFile());
        assertEquals(pairs.size(), metrics.path("test").path("n").asInt());
        assertEquals(3, metrics.path("folds").size(), metrics.path("folds").toString());
    }
}
