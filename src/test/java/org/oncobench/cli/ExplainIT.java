package org.oncobench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oncobench.runs.RunStore;
import org.oncobench.ui.HeadlessChromium;
import org.oncobench.ui.WorkbenchServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A quickstart run with {@code evaluation.explain}: the embedded cohort's generator plants each drug's target gene as a
 * driver of its response when the target acts through expression (EGFR, ERBB2, MTOR, CDK4, MET, BCL2); the attributions
 * must put that gene first for every such drug. Integrated gradients are complete on this network (median error under
 * 1% at 64 steps); permutation importance agrees that expression matters; the report and the UI show it all.
 */
class ExplainIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> EXPRESSION_TARGETS = List.of("EGFR", "ERBB2", "MTOR", "CDK4", "MET", "BCL2");
    @TempDir
    static Path dir;
    static Path run;
    static JsonNode explain;

    @BeforeAll
    static void explainedRun() throws Exception {
        Path data = Path.of("datasets/synthetic").toAbsolutePath();
        Path experiment = dir.resolve("explained.yaml");
        // the calibration part comes out of validation and test, so the network trains on 70% of the cell lines as the quickstart's
        Files.writeString(experiment, Files.readString(Path.of("experiments/quickstart.yaml")).replace("../datasets/synthetic", data.toString())
                .replace("split: {kind: cell-blind, test: 0.2, validation: 0.1}", "split: {kind: cell-blind, test: 0.15, validation: 0.05, calibration: 0.1}")
                .replaceFirst("evaluation: \\{baselines: \\[[^]]*]}", "evaluation: {baselines: [drug_mean, ridge], bootstrap: 0, explain: {rows: 500, top: 8}, uncertainty: {kind: mc_dropout, samples: 20, level: 0.85}}"));
        RunCommandIT.Result r = RunCommandIT.cli("run", experiment.toString(), "--runs-dir", dir.resolve("runs").toString());
        assertEquals(0, r.code(), r.err());
        run = RunCommandIT.runFolders(dir.resolve("runs")).get(0);
        explain = JSON.readTree(run.resolve("metrics.json").toFile()).path("explain");
    }

    @Test
    void plantedDriversRankFirstForTheirDrugs() throws Exception {
        Map<String, String> targets = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("datasets/synthetic/drugs.csv")).subList(1, 31)) {
            String[] c = line.split(",");
            targets.put(c[0], c[2]);
        }
        int checked = 0;
        List<String> notFirst = new java.util.ArrayList<>();
        for (var it = explain.path("per_drug").fields(); it.hasNext(); ) {
            var e = it.next();
            String target = targets.get(e.getKey());
            if (EXPRESSION_TARGETS.contains(target)) {
                JsonNode top = e.getValue().path("top");
                String first = top.get(0).path("feature").asText();
                boolean inTop3 = false;
                for (int k = 0; k < Math.min(3, top.size()); k++) {
                    inTop3 |= top.get(k).path("feature").asText().startsWith(target + " (");
                }
                assertTrue(inTop3, "drug " + e.getKey() + " (target " + target + "): planted gene not among the top 3: " + top);
                if (!first.startsWith(target + " (")) {
                    notFirst.add(e.getKey() + " (" + target + "): " + first);
                }
                checked++;
            }
        }
        assertTrue(checked >= 12, "drugs with an expression target among the explained rows: " + checked);
        assertTrue(notFirst.size() <= 1, "the planted gene ranks first for all but at most one drug: " + notFirst);
        assertEquals("expression", explain.path("per_drug_table").asText());
    }

    @Test
    void attributionsAreCompleteAndPermutationImportanceAgrees() throws Exception {
        JsonNode c = explain.path("completeness");
        assertTrue(c.path("median_relative_error").asDouble() < 0.01, c.toString());
        assertTrue(c.path("within_1_percent").asDouble() > 0.5, c.toString());
        assertEquals(500, explain.path("rows_explained").asInt());
        // the table shares sum to 1; shuffling expression costs RMSE, as its share of attribution says it should
        double shares = 0;
        for (JsonNode t : explain.path("tables")) {
            shares += t.path("share").asDouble();
        }
        assertEquals(1.0, shares, 1e-9);
        JsonNode perm = explain.path("permutation");
        assertTrue(perm.path("tables").path("expression").path("score_drop_mean").asDouble() > 0.3, perm.toString());
        assertEquals(10, perm.path("features").size());
        // explanations.csv: 8 features per explained row, best first, and the same predictions as predictions.csv
        List<String> lines = Files.readAllLines(run.resolve("explanations.csv"));
        assertEquals(1 + 500 * 8, lines.size());
        Map<String, Double> predicted = new HashMap<>();
        for (String line : Files.readAllLines(run.resolve("predictions.csv")).subList(1, 100)) {
            String[] p = line.split(",");
            predicted.put(p[0] + "," + p[1], Double.parseDouble(p[3]));
        }
        int matched = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] e = line.split(",");
            Double p = predicted.get(e[0] + "," + e[1]);
            if (p != null) {
                assertEquals(p, Double.parseDouble(e[2]), 1e-3 * Math.max(1, Math.abs(p)), line);
                matched++;
            }
        }
        assertTrue(matched > 0);
        // value: each feature as the input file has it (not standardised), the unit /explain reports
        Map<String, String> modelOf = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("datasets/synthetic/Model.csv")).subList(1, 241)) {
            String[] m = line.split(",");
            modelOf.put(m[1], m[0]);
        }
        List<String> expr = Files.readAllLines(Path.of("datasets/synthetic/OmicsExpressionProteinCodingGenesTPMLogp1.csv"));
        List<String> genes = List.of(expr.get(0).split(","));
        Map<String, String[]> exprOf = new HashMap<>();
        expr.subList(1, expr.size()).forEach(line -> exprOf.put(line.substring(0, line.indexOf(',')), line.split(",")));
        int compared = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] e = line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)");
            if (e[4].equals("expression") && compared < 200) {
                double file = Double.parseDouble(exprOf.get(modelOf.get(e[0]))[genes.indexOf(e[5].replace("\"", ""))]);
                assertEquals(file, Double.parseDouble(e[6]), 1e-4 * Math.max(1, Math.abs(file)), line);
                compared++;
            }
        }
        assertEquals(200, compared);
        String report = Files.readString(run.resolve("report.md"));
        assertTrue(report.contains("## What drove the predictions"), report);
        assertTrue(Files.size(run.resolve("importance.png")) > 5_000);
    }

    /**
     * Conformal intervals calibrated on the split's calibration rows (which chose nothing) cover about the nominal share of
     * the test rows, at every reported level and at the configured one, 0.85, which is not on the reported grid.
     */
    @Test
    void intervalsCoverTheNominalShareOfTestRowsAndTheBundleAnswersWithThem() throws Exception {
        JsonNode u = JSON.readTree(run.resolve("metrics.json").toFile()).path("uncertainty");
        assertEquals(0.85, u.path("level").asDouble());
        assertTrue(u.path("levels").has("0.85") && u.path("levels").has("0.90"), u.path("levels").toString());
        assertEquals(u.path("levels").path("0.85").path("coverage").asDouble(), u.path("coverage").asDouble());
        int calibrationRows = 0;
        for (String line : Files.readAllLines(run.resolve("split.csv"))) {
            calibrationRows += line.endsWith(",calibration") ? 1 : 0;
        }
        assertEquals(calibrationRows, u.path("calibration_rows").asInt(), "calibrated on the split's calibration part");
        assertTrue(calibrationRows > 500, "split.calibration: 0.1 of the 240 cell lines, about 650 rows: " + calibrationRows);
        for (var it = u.path("levels").fields(); it.hasNext(); ) {
            var l = it.next();
            double nominal = Double.parseDouble(l.getKey());
            double coverage = l.getValue().path("coverage").asDouble();
            assertTrue(Math.abs(coverage - nominal) < 0.06, "nominal " + nominal + ": test coverage " + coverage);
        }
        assertTrue(u.path("mean_width").asDouble() > 0.5 && u.path("mean_width").asDouble() < 6, u.toString());
        assertTrue(Files.readString(run.resolve("report.md")).contains("## How sure: prediction intervals"));
        assertTrue(Files.size(run.resolve("coverage.png")) > 5_000);
        // fairness by tissue: every tissue listed with its rows, the disparity tested
        JsonNode tissue = JSON.readTree(run.resolve("metrics.json").toFile()).path("fairness").path("tissue");
        assertTrue(tissue.path("groups").size() >= 5, tissue.toString());
        // the permutation p-value is the add-one estimate (1 + k) / (1 + 1000) over 1000 label shuffles, and the verdict follows it
        double p = tissue.path("disparity").path("permutation_p").asDouble();
        double k = p * 1001 - 1;
        assertEquals(Math.rint(k), k, 1e-6, "p = " + p + " is not (1 + k) / 1001");
        assertTrue(k >= 0 && k <= 1000, "p = " + p);
        assertEquals(p < 0.05, tissue.path("disparity").path("larger_than_chance").asBoolean(), tissue.toString());

        Path bundle = dir.resolve("explained.zip");
        RunCommandIT.Result export = RunCommandIT.cli("export", run.getFileName().toString(), "--out", bundle.toString(), "--runs-dir",
                dir.resolve("runs").toString());
        assertEquals(0, export.code(), export.err());
        String card;
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(bundle.toFile())) {
            card = new String(zip.getInputStream(zip.getEntry("model-card.md")).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertTrue(card.contains("By tissue: worst group"), card);
        // predict: low and high beside each prediction, around it
        Path in = dir.resolve("score");
        Files.createDirectories(in);
        Files.write(in.resolve("expression.csv"), Files.readAllLines(Path.of("datasets/synthetic/OmicsExpressionProteinCodingGenesTPMLogp1.csv")).subList(0, 4));
        Files.copy(Path.of("datasets/synthetic/drugs.csv"), in.resolve("drugs.csv"));
        Path out = dir.resolve("scored.csv");
        RunCommandIT.Result scored = RunCommandIT.cli("predict", bundle.toString(), "--input", in.toString(), "--out", out.toString());
        assertEquals(0, scored.code(), scored.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals("sample,drug,predicted,low,high", lines.get(0));
        assertEquals(1 + 3 * 30, lines.size());
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",");
            double v = Double.parseDouble(c[2]);
            double low = Double.parseDouble(c[3]);
            double high = Double.parseDouble(c[4]);
            assertTrue(low < v && v < high && high - low < 10, line);
        }
    }

    /**
     * Served intervals at the configured level (0.85, off the reported grid: a bundle once answered (-inf, +inf) there)
     * are finite and do not depend on the other instances of a request: a row sent alone gets the interval it gets as the
     * 38th of 100 rows (Monte Carlo dropout seeded by each row's inputs, batch normalisation at its running statistics).
     */
    @Test
    void servedIntervalsAtTheConfiguredLevelDoNotDependOnTheRestOfTheRequest() throws Exception {
        Path bundle = dir.resolve("served.zip");
        RunCommandIT.Result export = RunCommandIT.cli("export", run.getFileName().toString(), "--out", bundle.toString(), "--runs-dir",
                dir.resolve("runs").toString());
        assertEquals(0, export.code(), export.err());
        Path data = Path.of("datasets/synthetic");
        List<String> expression = Files.readAllLines(data.resolve("OmicsExpressionProteinCodingGenesTPMLogp1.csv"));
        String[] header = expression.get(0).split(",");
        List<String> drugs = Files.readAllLines(data.resolve("drugs.csv")).subList(1, 31);
        List<Map<String, Object>> instances = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String[] e = expression.get(1 + i % 40).split(",");
            Map<String, Double> genes = new java.util.LinkedHashMap<>();
            for (int g = 1; g < e.length; g++) {
                genes.put(header[g], Double.parseDouble(e[g]));
            }
            String[] d = drugs.get(i % 30).split(",");
            instances.add(Map.of("sample", Map.of("id", e[0], "expression", genes), "drug", Map.of("id", d[0], "smiles", d[4])));
        }
        try (org.oncobench.export.RestServer server = new org.oncobench.export.RestServer(org.oncobench.export.Bundle.open(bundle), "127.0.0.1", 0, 2)) {
            server.start();
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            java.util.function.Function<List<Map<String, Object>>, JsonNode> predict = body -> {
                try {
                    java.net.http.HttpResponse<String> resp = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                            "http://127.0.0.1:" + server.port() + "/predict")).POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                            JSON.writeValueAsString(Map.of("instances", body)))).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, resp.statusCode(), resp.body());
                    return JSON.readTree(resp.body()).path("predictions");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            JsonNode all = predict.apply(instances);
            assertEquals(100, all.size());
            for (int i : new int[]{0, 37, 99}) {
                JsonNode inBatch = all.get(i);
                JsonNode alone = predict.apply(List.of(instances.get(i))).get(0);
                assertEquals(0.85, alone.path("level").asDouble());
                double low = alone.path("interval").get(0).asDouble();
                double high = alone.path("interval").get(1).asDouble();
                assertTrue(Double.isFinite(low) && Double.isFinite(high) && low < alone.path("value").asDouble() && high > alone.path("value").asDouble(),
                        alone.toString());
                double width = high - low;
                assertEquals(inBatch.path("interval").get(0).asDouble(), low, 1e-5 * width, "row " + i + ": " + inBatch + " vs " + alone);
                assertEquals(inBatch.path("interval").get(1).asDouble(), high, 1e-5 * width, "row " + i + ": " + inBatch + " vs " + alone);
            }
        }
    }

    /**
     * An ensemble of three seeds: intervals scaled by the members' spread, calibrated on the calibration rows; the bundle
     * carries the members, and its intervals for the run's own test rows are the ones the run measured its coverage with.
     */
    @Test
    void ensembleIntervalsTravelWithTheBundle() throws Exception {
        Path data = Path.of("datasets/synthetic").toAbsolutePath();
        Path experiment = dir.resolve("ensemble.yaml");
        Files.writeString(experiment, Files.readString(Path.of("experiments/quickstart.yaml")).replace("../datasets/synthetic", data.toString())
                .replace("training: {epochs: 30,", "training: {epochs: 6,")
                .replace("split: {kind: cell-blind, test: 0.2, validation: 0.1}", "split: {kind: cell-blind, test: 0.2, validation: 0.1, calibration: 0.2}")
                .replaceFirst("evaluation: \\{baselines: \\[[^]]*]}", "evaluation: {baselines: [drug_mean], bootstrap: 0, uncertainty: {kind: ensemble, samples: 3}}"));
        Path runs = dir.resolve("ensemble-runs");
        RunCommandIT.Result r = RunCommandIT.cli("run", experiment.toString(), "--runs-dir", runs.toString());
        assertEquals(0, r.code(), r.err());
        Path ens = RunCommandIT.runFolders(runs).get(0);
        assertTrue(Files.isRegularFile(ens.resolve("ensemble/member-1.zip")) && Files.isRegularFile(ens.resolve("ensemble/member-2.zip")));
        JsonNode u = JSON.readTree(ens.resolve("metrics.json").toFile()).path("uncertainty");
        assertEquals(3, u.path("calibration").path("samples").asInt());
        assertTrue(Math.abs(u.path("coverage").asDouble() - 0.9) < 0.07, u.toString());
        Path bundle = dir.resolve("ensemble.zip");
        RunCommandIT.Result export = RunCommandIT.cli("export", ens.getFileName().toString(), "--out", bundle.toString(), "--runs-dir", runs.toString());
        assertEquals(0, export.code(), export.err());
        // the bundle's intervals on the run's test rows cover about what the run measured
        org.oncobench.export.Predictor p = org.oncobench.export.Bundle.open(bundle).predictor();
        assertTrue(p.hasCalibration());
        List<String> rows = Files.readAllLines(data.resolve("OmicsExpressionProteinCodingGenesTPMLogp1.csv"));
        String[] header = rows.get(0).split(",");
        Map<String, String> smiles = new HashMap<>();
        for (String line : Files.readAllLines(data.resolve("drugs.csv")).subList(1, 31)) {
            String[] c = line.split(",");
            smiles.put(c[0], c[4]);
        }
        List<String[]> tests = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(ens.resolve("predictions.csv")).subList(1, 301)) {
            tests.add(line.split(","));
        }
        Map<String, String> modelOf = new HashMap<>();
        for (String line : Files.readAllLines(data.resolve("Model.csv")).subList(1, 241)) {
            String[] c = line.split(",");
            modelOf.put(c[1], c[0]);
        }
        Map<String, Map<String, Double>> exprOf = new HashMap<>();
        for (String line : rows.subList(1, rows.size())) {
            String[] c = line.split(",");
            Map<String, Double> m = new HashMap<>();
            for (int i = 1; i < c.length; i++) {
                m.put(header[i], Double.parseDouble(c[i]));
            }
            exprOf.put(c[0], m);
        }
        List<org.oncobench.export.Predictor.Request> requests = new java.util.ArrayList<>();
        for (String[] t : tests) {
            requests.add(new org.oncobench.export.Predictor.Request(new org.oncobench.export.Predictor.Sample(t[0],
                    Map.of("expression", exprOf.get(modelOf.get(t[0])))), org.oncobench.export.Predictor.Drug.ofSmiles(t[1], smiles.get(t[1]))));
        }
        List<org.oncobench.export.Predictor.Prediction> answers = p.predict(requests);
        int covered = 0;
        for (int i = 0; i < tests.size(); i++) {
            double[] iv = answers.get(i).interval();
            assertEquals(Double.parseDouble(tests.get(i)[3]), answers.get(i).value(), 1e-3);
            assertTrue(iv[0] < answers.get(i).value() && answers.get(i).value() < iv[1]);
            covered += Double.parseDouble(tests.get(i)[2]) >= iv[0] && Double.parseDouble(tests.get(i)[2]) <= iv[1] ? 1 : 0;
        }
        assertTrue(Math.abs(covered / 300.0 - 0.9) < 0.08, "bundle intervals cover " + covered + " of 300 test rows");
    }

    @Test
    void theRunPageShowsImportanceAndOnePredictionsExplanation() throws Exception {
        try (WorkbenchServer server = WorkbenchServer.start(new RunStore(dir.resolve("runs")), "127.0.0.1", 0);
             HeadlessChromium browser = HeadlessChromium.launch(dir.resolve("chromium"))) {
            browser.open(server.url() + "runs/" + run.getFileName());
            browser.waitFor("!document.getElementById('explain-section').hidden && !!document.body.dataset.explained", 30);
            assertEquals(2, browser.eval("document.querySelectorAll('#explain-tables tbody tr').length").asInt());
            assertEquals(explain.path("per_drug").size(), browser.eval("document.querySelectorAll('#explain-drugs tbody tr').length").asInt());
            assertEquals(500, browser.eval("document.getElementById('explain-row').options.length").asInt());
            // pick another prediction: its top features, as explanations.csv lists them
            browser.eval("(() => { const s = document.getElementById('explain-row'); s.value = '7'; s.dispatchEvent(new Event('change')); })()");
            List<String> lines = Files.readAllLines(run.resolve("explanations.csv"));
            String[] first = lines.get(1 + 7 * 8).split(",");
            assertEquals(first[0] + "|" + first[1], browser.eval("document.body.dataset.explained").asText());
            assertEquals(8, browser.eval("document.querySelectorAll('#explain-one tbody tr').length").asInt());
            assertEquals(first[5].replace("\"", ""), browser.eval("document.querySelector('#explain-one tbody tr td:nth-child(3)').innerText").asText());
            // intervals per level and the fairness table, as metrics.json has them
            JsonNode m = JSON.readTree(run.resolve("metrics.json").toFile());
            assertEquals(m.path("uncertainty").path("levels").size(), browser.eval("document.querySelectorAll('#uncertainty tbody tr').length").asInt());
            assertEquals(m.path("fairness").path("tissue").path("groups").size(),
                    browser.eval("document.querySelectorAll('#fairness table[data-column=tissue] tbody tr').length").asInt());
            Files.createDirectories(Path.of("target/ui-screenshots"));
            browser.screenshot(Path.of("target/ui-screenshots/explain.png"));
        }
    }
}
