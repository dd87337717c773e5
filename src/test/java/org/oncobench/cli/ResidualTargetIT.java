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
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * model.target.residual_over end to end (issue 28, item 1): a run whose network learns y - drug mean, exported; the
 * bundle serves network + the training drug means it carries, and gives the run's own test predictions back.
 */
class ResidualTargetIT {
    @TempDir
    static Path dir;
    static Path bundle;
    static Path runDir;
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
        Path yaml = dir.resolve("res.yaml");
        Files.writeString(yaml, """
                name: res
                seed: 3
                data:
                  rows: {file: data/GDSC2_fitted_dose_response.csv, sample: COSMIC_ID, drug: DRUG_ID, target: LN_IC50}
                  sample_ids: {file: data/Model.csv, from: COSMICID, to: ModelID}
                  samples:
                    expression: {file: data/OmicsExpressionProteinCodingGenesTPMLogp1.csv, id: ModelID, select: {top_variance: 60}}
                  drugs:
                    fingerprints: {file: data/drugs.csv, id: DRUG_ID, bits: 128}
                split: {kind: cell-blind, test: 0.25, validation: 0.1}
                model: {kind: mlp, hidden: [32], target: {residual_over: drug_mean}}
                training: {epochs: 4, batch: 32}
                evaluation: {baselines: [drug_mean, ridge]}
                """);
        Path runs = dir.resolve("runs");
        RunCommandIT.Result r = RunCommandIT.cli("run", yaml.toString(), "--runs-dir", runs.toString());
        assertEquals(0, r.code(), r.err());
        runDir = RunCommandIT.runFolders(runs).get(0);
        bundle = dir.resolve("res.zip");
        RunCommandIT.Result e = RunCommandIT.cli("export", runDir.getFileName().toString(), "--out", bundle.toString(), "--runs-dir", runs.toString());
        assertEquals(0, e.code(), e.err());
    }

    static Predictor.Request request(String cosmic, String drugId, String smilesOf) {
        String model = modelOfCosmic.get(cosmic);
        return new Predictor.Request(new Predictor.Sample(model, Map.of("expression", expression.get(model))), Predictor.Drug.ofSmiles(drugId,
                smiles.get(smilesOf)));
    }

    @Test
    void bundleServesNetworkPlusDrugMeanAsTheRunPredicted() throws IOException {
        List<String> lines = Files.readAllLines(runDir.resolve("predictions.csv"));
        List<Predictor.Request> requests = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            String[] c = l.split(",");
            requests.add(request(c[0], c[1], c[1]));
        }
        List<Predictor.Prediction> got = Bundle.open(bundle).predictor().predict(requests);
        assertEquals(lines.size() - 1, got.size());
        for (int i = 0; i < got.size(); i++) {
            assertEquals(Double.parseDouble(lines.get(i + 1).split(",")[3]), got.get(i).value(), 1e-6, "row " + i);
        }
        // the run's model is better than the naive predictor it learned the residual of
        JsonNode metrics = ExportIT.JSON.readTree(runDir.resolve("metrics.json").toFile());
        assertTrue(metrics.path("test").path("rmse").asDouble() < metrics.path("baselines").path("drug_mean").path("rmse").asDouble(), metrics.toString());
    }

    @Test
    void bundleCarriesTheDrugMeansNoSampleIdsAndNoOnnx() throws IOException {
        Bundle b = Bundle.open(bundle);
        JsonNode table = b.schema().path("residual_target");
        assertEquals("drug_mean", table.path("residual_over").asText());
        assertEquals(8, table.path("drug_means").size());
        // the naive table is the training part's means (replicates averaged per pair, as the cohort merges them): nothing else
        Map<String, List<Double>> byPair = new HashMap<>();
        List<String> rows = Files.readAllLines(dir.resolve("data/GDSC2_fitted_dose_response.csv"));
        List<String> header = List.of(rows.get(0).split(","));
        int cosmic = header.indexOf("COSMIC_ID");
        int drug = header.indexOf("DRUG_ID");
        int y = header.indexOf("LN_IC50");
        for (String l : rows.subList(1, rows.size())) {
            String[] c = l.split(",");
            byPair.computeIfAbsent(c[cosmic] + "," + c[drug], k -> new ArrayList<>()).add(Double.parseDouble(c[y]));
        }
        List<String> split = Files.readAllLines(runDir.resolve("split.csv"));
        Map<String, List<Double>> trainByDrug = new HashMap<>();
        List<Double> train = new ArrayList<>();
        for (String l : split.subList(1, split.size())) {
            String[] c = l.split(",");
            if (c[2].equals("train")) {
                double pair = byPair.get(c[0] + "," + c[1]).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                train.add(pair);
                trainByDrug.computeIfAbsent(c[1], k -> new ArrayList<>()).add(pair);
            }
        }
        assertEquals(train.stream().mapToDouble(Double::doubleValue).average().orElseThrow(), table.path("global_mean").asDouble(), 1e-5);
        for (Map.Entry<String, List<Double>> e : trainByDrug.entrySet()) {
            assertEquals(e.getValue().stream().mapToDouble(Double::doubleValue).average().orElseThrow(),
                    table.path("drug_means").path(e.getKey()).asDouble(), 1e-5, "drug " + e.getKey());
        }
        String schema = b.schema().toString();
        for (Map.Entry<String, String> e : modelOfCosmic.entrySet()) {
            assertFalse(schema.contains("\"" + e.getKey() + "\"") || schema.contains("\"" + e.getValue() + "\""), "sample id in the schema");
        }
        assertFalse(b.hasOnnx(), "an ONNX graph of the network alone would miss the drug means");
    }

    @Test
    void anUnseenDrugGetsTheOverallTrainingMean() {
        Bundle b = Bundle.open(bundle);
        JsonNode table = b.schema().path("residual_target");
        String cosmic = modelOfCosmic.keySet().iterator().next();
        String drug = smiles.keySet().iterator().next();
        Predictor p = b.predictor();
        double known = p.predict(List.of(request(cosmic, drug, drug))).get(0).value();
        double unseen = p.predict(List.of(request(cosmic, "no-such-drug", drug))).get(0).value();
        assertEquals(known - table.path("drug_means").path(drug).asDouble() + table.path("global_mean").asDouble(), unseen, 1e-9);
    }

    @Test
    void servePredictsNetworkPlusDrugMeanAndRefusesRowsWithoutDrugIds() throws Exception {
        Bundle b = Bundle.open(bundle);
        String cosmic = modelOfCosmic.keySet().iterator().next();
        String drug = smiles.keySet().iterator().next();
        Predictor.Request q = request(cosmic, drug, drug);
        double direct = b.predictor().predict(List.of(q)).get(0).value();
        try (org.oncobench.export.RestServer server = new org.oncobench.export.RestServer(b, "127.0.0.1", 0, 2)) {
            server.start();
            String base = "http://127.0.0.1:" + server.port();
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            String body = ExportIT.JSON.writeValueAsString(Map.of("instances", List.of(Map.of(
                    "sample", Map.of("id", q.sample().id(), "expression", q.sample().tables().get("expression")),
                    "drug", Map.of("id", drug, "smiles", smiles.get(drug))))));
            java.net.http.HttpResponse<String> served = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/predict"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, served.statusCode(), served.body());
            assertEquals(direct, ExportIT.JSON.readTree(served.body()).path("predictions").get(0).path("value").asDouble(), 1e-9);
            int width = b.schema().path("inputs").get(0).path("width").asInt();
            List<Double> zeros = java.util.Collections.nCopies(width, 0.0);
            String infer = ExportIT.JSON.writeValueAsString(Map.of("inputs", List.of(
                    Map.of("name", "expression", "datatype", "FP32", "shape", List.of(1, width), "data", zeros),
                    Map.of("name", "fingerprints", "datatype", "BYTES", "shape", List.of(1), "data", List.of(smiles.get(drug))))));
            java.net.http.HttpResponse<String> refused = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/v2/models/res/infer"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(infer)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(400, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("residual over the training drug_mean"), refused.body());
        }
    }

    @Test
    void predictCommandAddsTheDrugMeansLikeTheApi() throws IOException {
        Path in = dir.resolve("score-input");
        Files.createDirectories(in);
        Files.write(in.resolve("expression.csv"), Files.readAllLines(dir.resolve("data").resolve("OmicsExpressionProteinCodingGenesTPMLogp1.csv")).subList(0, 4));
        Files.copy(dir.resolve("data").resolve("drugs.csv"), in.resolve("drugs.csv"));
        String cosmic = modelOfCosmic.entrySet().stream().filter(e -> e.getValue().equals("ACH-900002")).findFirst().orElseThrow().getKey();
        Files.writeString(in.resolve("pairs.csv"), "sample,drug\nACH-900002,9003\n");
        Path out = dir.resolve("scored.csv");
        RunCommandIT.Result r = RunCommandIT.cli("predict", bundle.toString(), "--input", in.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        double api = Bundle.open(bundle).predictor().predict(List.of(request(cosmic, "9003", "9003"))).get(0).value();
        assertEquals(api, Double.parseDouble(Files.readAllLines(out).get(1).split(",")[2]), 1e-6);
    }
}
