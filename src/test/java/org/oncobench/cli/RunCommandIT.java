package org.oncobench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oncobench.eval.ClassificationMetrics;
import org.oncobench.eval.RegressionMetrics;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the CLI end to end on a small synthetic cohort made by {@code data synth}. */
public class RunCommandIT {
    @TempDir
    static Path dir;
    static Path experiment;

    /** Exit code, standard output and standard error of one CLI call. */
    public record Result(int code, String out, String err) {
    }

    /**
     * A child command that reacts to SIGINT (Ctrl-C) even when this JVM was started with SIGINT ignored: a shell without
     * job control starts background commands that way (`mvn verify &` from a script), and the ignored disposition is
     * inherited, so a JVM child never installs its Ctrl-C handler. coreutils' env restores the default before exec
     * (the PID stays the child's).
     */
    public static List<String> withDefaultSigint(List<String> cmd) {
        List<String> out = new ArrayList<>();
        if (ENV_RESETS_SIGINT) {
            out.addAll(List.of("/usr/bin/env", "--default-signal=INT"));
        }
        out.addAll(cmd);
        return out;
    }

    private static final boolean ENV_RESETS_SIGINT = envResetsSigint();

    private static boolean envResetsSigint() {
        try {
            return Files.isExecutable(Path.of("/usr/bin/env"))
                    && new ProcessBuilder("/usr/bin/env", "--default-signal=INT", "true").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs the CLI in this JVM, as {@code oncobench ARGS...} would. */
    public static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Oncobench.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @BeforeAll
    static void cohort() throws IOException {
        Result synth = cli("data", "synth", "--out", dir.resolve("data").toString(), "--cell-lines", "100", "--drugs", "10", "--genes", "120",
                "--seed", "3", "--tiles", "1", "--tile-size", "16");
        assertEquals(0, synth.code(), synth.err());
        assertTrue(synth.out().contains("Wrote 100 cell lines x 10 drugs"), synth.out());
        experiment = dir.resolve("tiny.yaml");
        Files.writeString(experiment, """
                name: tiny
                seed: 11
                data:
                  rows: {file: data/GDSC2_fitted_dose_response.csv, sample: COSMIC_ID, drug: DRUG_ID, target: LN_IC50}
                  sample_ids: {file: data/Model.csv, from: COSMICID, to: ModelID}
                  samples:
                    expression: {file: data/OmicsExpressionProteinCodingGenesTPMLogp1.csv, id: ModelID, select: {top_variance: 80}}
                  drugs:
                    fingerprints: {file: data/drugs.csv, id: DRUG_ID, radius: 2, bits: 128}
                  groups:
                    tissue: {file: data/Model.csv, id: ModelID, column: OncotreeLineage}
                split: {kind: cell-blind, test: 0.25, validation: 0.1}
                model: {kind: mlp, hidden: [64, 16], dropout: 0.1}
                training: {epochs: 12, batch: 32, optimizer: {kind: adam, lr: 0.002}}
                """);
    }

    public static List<Path> runFolders(Path runs) throws IOException {
        if (!Files.isDirectory(runs)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(runs)) {
            return new ArrayList<>(s.filter(Files::isDirectory).sorted().toList());
        }
    }

    /**
     * A response file with every pair twice: each pair becomes one row (the mean of its copies), so a mixed split cannot
     * train on one copy and test on the other; the console and run.json count the merged rows; 'refuse' stops (exit 2).
     * Before, the file was accepted as it was and a mixed split put both copies of many pairs on two sides.
     */
    @Test
    void replicatedPairsBecomeOneRowAndNeverSpanTwoParts() throws Exception {
        List<String> lines = Files.readAllLines(dir.resolve("data/GDSC2_fitted_dose_response.csv"));
        List<String> twice = new ArrayList<>(lines);
        twice.addAll(lines.subList(1, lines.size()));
        Files.write(dir.resolve("data/replicated.csv"), twice);
        Path yaml = dir.resolve("replicated.yaml");
        Files.writeString(yaml, Files.readString(experiment).replace("data/GDSC2_fitted_dose_response.csv", "data/replicated.csv")
                .replace("split: {kind: cell-blind, test: 0.25, validation: 0.1}", "split: {kind: mixed, test: 0.25, validation: 0.1}")
                .replace("training: {epochs: 12,", "training: {epochs: 2,") + "evaluation: {baselines: [drug_mean], bootstrap: 0}\n");
        Path runs = dir.resolve("runs-replicated");
        Result r = cli("run", yaml.toString(), "--runs-dir", runs.toString());
        assertEquals(0, r.code(), r.err());
        int pairs = lines.size() - 1;
        assertTrue(r.err().contains(pairs + " (sample, drug) pairs appear more than once (" + pairs + " extra rows)"), r.err());
        Path run = runFolders(runs).get(0);
        List<String> split = Files.readAllLines(run.resolve("split.csv"));
        assertEquals(pairs, split.size() - 1, "one row per pair");
        assertEquals(pairs, split.stream().skip(1).map(l -> l.substring(0, l.lastIndexOf(','))).distinct().count());
        JsonNode data = new ObjectMapper().readTree(run.resolve("run.json").toFile()).path("data");
        assertEquals(2 * pairs, data.path("rows_read").asInt());
        assertEquals(pairs, data.path("replicate_rows_merged").asInt());
        assertEquals(pairs, data.path("rows").asInt());
        Result refused = cli("run", yaml.toString(), "--runs-dir", runs.toString(), "--set", "data.rows.replicates=refuse");
        assertEquals(2, refused.code(), refused.out());
        assertTrue(refused.err().contains("appear more than once") && refused.err().contains("replicated.csv"), refused.err());
        assertEquals(1, runFolders(runs).size(), "a refused file creates no run");
    }

    @Test
    void runWritesTheRunFolderAndBeatsTheDrugMean() throws Exception {
        Path runs = dir.resolve("runs-good");
        Result r = cli("run", experiment.toString(), "--runs-dir", runs.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("model (mlp)") && r.out().contains("drug_mean"), r.out());
        List<Path> folders = runFolders(runs);
        assertEquals(1, folders.size());
        Path run = folders.get(0);
        assertTrue(run.getFileName().toString().matches("\\d{8}-\\d{6}-tiny-[0-9a-f]{4}"), run.toString());
        for (String f : List.of("experiment.yaml", "metrics.json", "predictions.csv", "model.zip", "split.csv", "run.json")) {
            assertTrue(Files.isRegularFile(run.resolve(f)), f);
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode status = json.readTree(run.resolve("run.json").toFile());
        assertEquals("completed", status.get("status").asText());
        JsonNode m = json.readTree(run.resolve("metrics.json").toFile());
        assertEquals("regression", m.get("task").asText());
        assertEquals("cell-blind", m.get("split").get("kind").asText());
        assertEquals(25, m.get("split").get("test_samples").asInt());
        double rmse = m.get("test").get("rmse").asDouble();
        double drugMean = m.get("baselines").get("drug_mean").get("rmse").asDouble();
        assertTrue(rmse < 0.85 * drugMean, "model RMSE " + rmse + " vs drug mean " + drugMean);
        assertTrue(m.get("test").get("pearson").asDouble() > m.get("baselines").get("drug_mean").get("pearson").asDouble());
        assertTrue(m.get("per_drug").get("pearson_mean").asDouble() > 0.3, m.get("per_drug").toString());
        assertEquals(10, m.get("per_drug").get("drugs").size());
        assertTrue(m.get("per_group").get("tissue").get("groups").asInt() > 3);
        assertEquals(12, m.get("history").size());
        for (String key : List.of("rmse", "pearson", "spearman", "r2")) {
            assertTrue(m.get("baselines").get("drug_cell_additive").has(key), key);
        }
        List<String> predictions = Files.readAllLines(run.resolve("predictions.csv"));
        assertEquals("sample,drug,observed,predicted,fold,repeat", predictions.get(0));
        assertEquals(m.get("test").get("n").asInt() + 1, predictions.size());
        // the reported test metrics are those of the predictions the run wrote (predicted values rounded to 6 decimals there)
        double[] observed = predictions.stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[2])).toArray();
        double[] predicted = predictions.stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[3])).toArray();
        RegressionMetrics recomputed = RegressionMetrics.of(observed, predicted);
        assertEquals(recomputed.rmse(), m.get("test").get("rmse").asDouble(), 1e-5);
        assertEquals(recomputed.pearson(), m.get("test").get("pearson").asDouble(), 1e-5);
        assertEquals(recomputed.spearman(), m.get("test").get("spearman").asDouble(), 1e-3);
        assertEquals(recomputed.r2(), m.get("test").get("r2").asDouble(), 1e-5);
        try (ZipFile zip = new ZipFile(run.resolve("model.zip").toFile())) {
            assertNotNull(zip.getEntry("configuration.json"));
            assertNotNull(zip.getEntry("normalizer.bin"));
            assertNotNull(zip.getEntry("objects/input_schema.json"), "entries: " + zip.stream().map(e -> e.getName()).toList());
        }
        // The report: markdown and HTML with the model beside the baselines, and real PNG charts.
        String html = Files.readString(run.resolve("report.html"));
        assertTrue(html.contains(run.getFileName().toString()) && html.contains("drug_mean") && html.contains("<img src=\"data:image/png;base64,"), html);
        assertTrue(Files.readString(run.resolve("report.md")).contains("| model | "));
        for (String png : List.of("predicted_vs_observed.png", "per_drug_pearson.png", "training_curves.png")) {
            byte[] bytes = Files.readAllBytes(run.resolve(png));
            assertTrue(bytes.length > 5000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', png + " " + bytes.length);
        }
        // ridge on exactly the model's inputs is a default baseline: far better than the drug mean here, and its penalty is one of
        // the documented grid (n x {0.001, 0.01, 0.1, 1}) chosen on the validation rows
        double ridge = m.get("baselines").get("ridge").get("rmse").asDouble();
        assertTrue(ridge < 0.85 * drugMean, "ridge " + ridge + " vs drug mean " + drugMean);
        int trainRows = m.get("split").get("train_rows").asInt();
        double lambda = m.get("baseline_settings").get("ridge").get("lambda").asDouble();
        assertTrue(java.util.stream.DoubleStream.of(1e-3, 1e-2, 1e-1, 1).anyMatch(g -> Math.abs(g * trainRows - lambda) < 1e-6), "lambda " + lambda);
        // the tree ensembles are default baselines, printed beside the model, tuned on the validation rows (gbm's rounds by early
        // stopping, within the documented cap), and they find the signal the drug mean cannot
        assertTrue(r.out().contains("  gbm ") && r.out().contains("  rf ") && r.out().contains("beyond ME"), r.out());
        JsonNode gbm = m.get("baseline_settings").get("gbm");
        assertEquals("validation rows", gbm.get("chosen_by").asText(), gbm.toString());
        assertEquals(4, gbm.get("grid_size").asInt(), gbm.toString());
        assertTrue(gbm.get("rounds").asInt() >= 1 && gbm.get("rounds").asInt() <= 300, gbm.toString());
        assertEquals(100, m.get("baseline_settings").get("rf").get("trees").asInt());
        for (String tree : List.of("gbm", "rf")) {
            assertTrue(m.get("baselines").get(tree).get("rmse").asDouble() < 0.9 * drugMean, tree + " " + m.get("baselines").get(tree));
        }
        // the mean-effects predictor scores nothing beyond itself; the model does
        assertTrue(m.get("test").get("pearson_beyond_mean_effects").asDouble() > 0.3, m.get("test").toString());
        // 95% bootstrap intervals over the 25 test cell lines, around the reported estimates, and the paired difference from
        // the drug mean excludes zero; the per-drug Wilcoxon tests are Holm-corrected (never below the raw p)
        JsonNode sig = m.get("significance");
        assertEquals("test cell lines", sig.get("unit").asText());
        assertEquals(25, sig.get("units").asInt());
        assertEquals(1000, sig.get("resamples").asInt());
        JsonNode modelRmse = sig.get("intervals").get("model").get("rmse");
        assertEquals(rmse, modelRmse.get("estimate").asDouble(), 1e-9);
        assertTrue(modelRmse.get("low").asDouble() < rmse && rmse < modelRmse.get("high").asDouble(), modelRmse.toString());
        JsonNode vsDrugMean = sig.get("model_minus_baseline").get("drug_mean").get("rmse");
        assertTrue(vsDrugMean.get("high").asDouble() < 0, vsDrugMean.toString());
        JsonNode wilcoxon = sig.get("per_drug_tests").get("ridge");
        assertEquals(10, wilcoxon.get("drugs").asInt());
        assertTrue(wilcoxon.get("p_holm").asDouble() >= wilcoxon.get("p").asDouble(), wilcoxon.toString());
        assertTrue(r.out().contains("95% intervals: bootstrap over 25 test cell lines, 1000 resamples"), r.out());
        assertTrue(Files.readString(run.resolve("report.md")).contains("## 95% intervals and significance"));
        // The resolved experiment runs again from the run folder, and the same seed gives the same metrics.
        Result again = cli("run", run.resolve("experiment.yaml").toString(), "--runs-dir", runs.toString());
        assertEquals(0, again.code(), again.err());
        Path second = runFolders(runs).stream().filter(p -> !p.equals(run)).findFirst().orElseThrow();
        JsonNode m2 = json.readTree(second.resolve("metrics.json").toFile());
        assertEquals(m.get("test"), m2.get("test"));
        assertEquals(m.get("significance"), m2.get("significance"));
    }

    @Test
    void randomisingAnInformativeTableCostsTheModelAndANoiseTableDoesNot() throws Exception {
        // a table of pure noise beside the expression: permuting the expression across cell lines must hurt, the noise must not
        java.util.Random random = new java.util.Random(5);
        StringBuilder noise = new StringBuilder("ModelID");
        for (int c = 0; c < 20; c++) {
            noise.append(",n").append(c);
        }
        noise.append('\n');
        List<String> models = Files.readAllLines(dir.resolve("data/Model.csv"));
        for (String line : models.subList(1, models.size())) {
            noise.append(line.split(",")[0]);
            for (int c = 0; c < 20; c++) {
                noise.append(',').append(String.format(java.util.Locale.ROOT, "%.4f", random.nextGaussian()));
            }
            noise.append('\n');
        }
        Files.writeString(dir.resolve("data/noise.csv"), noise);
        Path yaml = dir.resolve("randomised.yaml");
        Files.writeString(yaml, Files.readString(experiment).replace("name: tiny", "name: randomised").replace("\n  drugs:",
                "\n    noise: {file: data/noise.csv, id: ModelID}\n  drugs:"));
        Path runs = dir.resolve("runs-randomised");
        Result r = cli("run", yaml.toString(), "--runs-dir", runs.toString(), "--set", "evaluation.baselines=[drug_mean]",
                "--set", "evaluation.randomization={tables: [expression, noise], kind: permute, repeats: 2}");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Randomisation tests (permute the rows of each table"), r.out());
        JsonNode m = new ObjectMapper().readTree(runFolders(runs).get(0).resolve("metrics.json").toFile());
        JsonNode tables = m.get("randomization").get("tables");
        JsonNode expression = tables.get("expression");
        JsonNode noiseTable = tables.get("noise");
        assertTrue(expression.get("relied_on").asBoolean(), expression.toString());
        assertTrue(expression.get("rmse").get("change_mean").asDouble() > 0.1, expression.toString());
        assertFalse(noiseTable.get("relied_on").asBoolean(), noiseTable.toString());
        // (retraining on other noise moves the score either way; what matters is that losing it does not cost the model)
        assertTrue(noiseTable.get("rmse").get("change_mean").asDouble() < 0.02, noiseTable.toString());
        // the model's own score is the run's (same fold, same seed)
        assertEquals(m.get("test").get("rmse").asDouble(), m.get("randomization").get("model").get("rmse").asDouble(), 1e-12);
        assertTrue(Files.readString(runFolders(runs).get(0).resolve("report.md")).contains("## Randomisation tests"));
    }

    @Test
    void learningCurveTrainsOnNestedFractionsOfTheTrainingCellLines() throws Exception {
        Path runs = dir.resolve("runs-curve");
        Result r = cli("run", experiment.toString(), "--runs-dir", runs.toString(), "--set", "evaluation.baselines=[drug_mean, ridge]",
                "--set", "evaluation.learning_curve=[0.25, 0.5, 1.0]", "--set", "evaluation.bootstrap=0");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Learning curve (test RMSE by the fraction of training cell lines)"), r.out());
        Path run = runFolders(runs).get(0);
        JsonNode m = new ObjectMapper().readTree(run.resolve("metrics.json").toFile());
        JsonNode points = m.get("learning_curve").get("points");
        assertEquals(3, points.size());
        int trainSamples = m.get("split").get("train_samples").asInt();
        assertEquals(List.of((int) Math.ceil(0.25 * trainSamples), (int) Math.ceil(0.5 * trainSamples), trainSamples),
                List.of(points.get(0).get("units").asInt(), points.get(1).get("units").asInt(), points.get(2).get("units").asInt()));
        assertEquals(m.get("split").get("train_rows").asInt(), points.get(2).get("train_rows").asInt());
        // at the whole training set the curve's model is the run's model: same rows, same seed, same scores
        assertEquals(m.get("test").get("rmse").asDouble(), points.get(2).get("scores").get("model").get("rmse").asDouble(), 1e-12);
        assertEquals(m.get("baselines").get("ridge").get("rmse").asDouble(), points.get(2).get("scores").get("ridge").get("rmse").asDouble(), 1e-12);
        // a quarter of the cell lines is worse for the network than all of them
        assertTrue(points.get(0).get("scores").get("model").get("rmse").asDouble() > m.get("test").get("rmse").asDouble(), points.toString());
        assertTrue(Files.size(run.resolve("learning_curve.png")) > 5000);
    }

    @Test
    void seedsRunAsOneGroupThatListsAsOneLineAndExpands() throws Exception {
        Path runs = dir.resolve("runs-seeds");
        Result r = cli("run", experiment.toString(), "--runs-dir", runs.toString(), "--seeds", "2", "--set", "training.epochs=3",
                "--set", "evaluation.baselines=[drug_mean, ridge]", "--set", "evaluation.bootstrap=0");
        assertEquals(0, r.code(), r.err());
        List<Path> folders = runFolders(runs).stream().filter(p -> !p.getFileName().toString().equals("groups")).toList();
        assertEquals(2, folders.size());
        ObjectMapper json = new ObjectMapper();
        String group = json.readTree(folders.get(0).resolve("run.json").toFile()).get("group").asText();
        assertTrue(group.endsWith("-tiny-seeds"), group);
        assertEquals(group, json.readTree(folders.get(1).resolve("run.json").toFile()).get("group").asText());
        // each member is an ordinary run of one seed: 11 and 12 (the experiment's seed on)
        List<Long> seeds = new ArrayList<>();
        List<Double> rmse = new ArrayList<>();
        for (Path f : folders) {
            seeds.add(new org.oncobench.config.ExperimentLoader().load(f.resolve("experiment.yaml"), List.of()).config().seed());
            rmse.add(json.readTree(f.resolve("metrics.json").toFile()).get("test").get("rmse").asDouble());
        }
        java.util.Collections.sort(seeds);
        assertEquals(List.of(11L, 12L), seeds);
        assertTrue(r.out().contains("Run group " + group + ": 2 runs, seeds [11, 12]"), r.out());
        // the group's summary: the mean and sd of the two runs' RMSE
        JsonNode summary = json.readTree(runs.resolve("groups").resolve(group + ".json").toFile()).get("summary").get("model").get("rmse");
        double mean = (rmse.get(0) + rmse.get(1)) / 2;
        assertEquals(mean, summary.get("mean").asDouble(), 1e-9);
        assertEquals(Math.abs(rmse.get(0) - rmse.get(1)) / Math.sqrt(2), summary.get("sd").asDouble(), 1e-9);
        // runs list: one line for the group (mean ± sd), its runs only with --expand
        Result list = cli("runs", "list", "--runs-dir", runs.toString());
        assertTrue(list.out().contains(group) && list.out().contains("2 completed") && list.out().contains(String.format(java.util.Locale.ROOT,
                "rmse %.3f ± %.3f", mean, summary.get("sd").asDouble())), list.out());
        folders.forEach(f -> assertFalse(list.out().contains(f.getFileName().toString()), list.out()));
        Result expanded = cli("runs", "list", "--expand", "--runs-dir", runs.toString());
        folders.forEach(f -> assertTrue(expanded.out().contains("  " + f.getFileName()), expanded.out()));
        // the browser's runs page: one group row that opens into its two runs
        try (org.oncobench.ui.WorkbenchServer server = org.oncobench.ui.WorkbenchServer.start(new org.oncobench.runs.RunStore(runs), "127.0.0.1", 0);
             org.oncobench.ui.HeadlessChromium browser = org.oncobench.ui.HeadlessChromium.launch(dir.resolve("chromium-seeds"))) {
            browser.open(server.url());
            browser.waitFor("document.querySelectorAll('#runs tr.group').length === 1", 20);
            assertEquals(0, browser.eval("document.querySelectorAll('#runs tr.member').length").asInt());
            assertTrue(browser.eval("document.querySelector('#runs tr.group').innerText").asText().contains("2 runs"));
            browser.click("#runs button.expand");
            browser.waitFor("document.querySelectorAll('#runs tr.member').length === 2", 10);
        }
    }

    @Test
    void crossStudyScoresTheExternalStudyWithoutLeakingItsCellLines() throws Exception {
        Path runs = dir.resolve("runs-cross");
        Result r = cli("run", "experiments/cross-study.yaml", "--runs-dir", runs.toString(), "--set", "training.epochs=8",
                "--set", "evaluation.baselines=[drug_mean, ridge]");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Cross-study: trained on the primary study, scored on CTRP-like"), r.out());
        Path run = runFolders(runs).get(0);
        JsonNode m = new ObjectMapper().readTree(run.resolve("metrics.json").toFile());
        JsonNode x = m.get("external").get("CTRP-like");
        // features aligned by symbol ("EGFR (1956)" = "EGFR"): the external study lacks every tenth non-target gene
        assertEquals(541, x.get("study").get("shared_features").get("expression").get("shared").asInt(), x.get("study").toString());
        // its drugs carry other ids and other SMILES strings: all 24 are matched by structure (InChIKey), none by id
        assertEquals(0, x.get("study").get("drugs_matched_by_id").asInt());
        assertEquals(24, x.get("study").get("drugs_matched_by_structure").asInt());
        assertEquals(0, x.get("study").get("drugs_unmatched").asInt());
        // a batch shift and a study offset: the model's scores drop across studies, and the external intervals are there
        assertTrue(x.get("test").get("rmse").asDouble() > m.get("test").get("rmse").asDouble(), x.get("test").toString());
        assertTrue(x.get("significance").get("intervals").get("model").get("rmse").get("low").asDouble() < x.get("test").get("rmse").asDouble());
        assertTrue(x.get("dropped_rows").asInt() > 0);
        assertTrue(Files.readString(run.resolve("report.md")).contains("## Cross-study: CTRP-like"));
        // no scored external cell line is among the primary study's training or validation cell lines (by DepMap id)
        Map<String, String> depmapOfCosmic = new java.util.HashMap<>();
        for (String line : Files.readAllLines(Path.of("datasets/synthetic/Model.csv")).subList(1, 241)) {
            depmapOfCosmic.put(line.split(",")[1], line.split(",")[0]);
        }
        Map<String, String> depmapOfCcle = new java.util.HashMap<>();
        List<String> info = Files.readAllLines(Path.of("datasets/synthetic-external/cellinfo.csv"));
        for (String line : info.subList(1, info.size())) {
            depmapOfCcle.put("CTRP-like:" + line.split(",")[0], line.split(",")[1]);
        }
        java.util.Set<String> trained = new java.util.HashSet<>();
        java.util.Set<String> scored = new java.util.HashSet<>();
        int externalRows = 0;
        for (String line : Files.readAllLines(run.resolve("split.csv")).subList(1, Files.readAllLines(run.resolve("split.csv")).size())) {
            String[] c = line.split(",");
            if (c[2].equals("train") || c[2].equals("validation")) {
                trained.add(depmapOfCosmic.get(c[0]));
            } else if (c[2].equals("external")) {
                scored.add(depmapOfCcle.get(c[0]));
                externalRows++;
            }
        }
        assertEquals(x.get("test").get("n").asInt(), externalRows);
        assertFalse(scored.isEmpty());
        scored.forEach(id -> assertFalse(trained.contains(id), id + " was trained on and scored externally"));

        // split.test: 0 trains on every primary cell line outside validation: more external cell lines are then dropped
        Result all = cli("run", "experiments/cross-study.yaml", "--runs-dir", dir.resolve("runs-cross-all").toString(), "--set", "split.test=0",
                "--set", "training.epochs=4", "--set", "evaluation.baselines=[drug_mean]");
        assertEquals(0, all.code(), all.err());
        assertTrue(all.out().contains("No within-study test rows (split.test: 0"), all.out());
        JsonNode m0 = new ObjectMapper().readTree(runFolders(dir.resolve("runs-cross-all")).get(0).resolve("metrics.json").toFile());
        assertEquals(0, m0.get("test").get("n").asInt());
        JsonNode x0 = m0.get("external").get("CTRP-like");
        assertTrue(x0.get("dropped_rows").asInt() > x.get("dropped_rows").asInt(), x0.get("dropped_rows") + " vs " + x.get("dropped_rows"));
        assertTrue(x0.get("test").get("rmse").asDouble() > 0 && x0.get("test").get("n").asInt() > 0, x0.get("test").toString());
    }

    @Test
    void earlyStoppingKeepsTheBestEpoch() throws Exception {
        Path runs = dir.resolve("runs-early");
        Result r = cli("run", experiment.toString(), "--runs-dir", runs.toString(), "--set", "training.epochs=200",
                "--set", "training.early_stopping={patience: 3}", "--set", "training.optimizer.lr=0.01");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("early stopping after epoch"), r.err());
        JsonNode m = new ObjectMapper().readTree(runFolders(runs).get(0).resolve("metrics.json").toFile());
        JsonNode t = m.get("training");
        assertTrue(t.get("stopped_early").asBoolean());
        int run = t.get("epochs_run").asInt();
        int best = t.get("best_epoch").asInt();
        assertEquals(best + 3, run, t.toString());
        assertTrue(run < 200);
        double bestValidation = Double.MAX_VALUE;
        for (JsonNode e : m.get("history")) {
            bestValidation = Math.min(bestValidation, e.get("validation").asDouble());
        }
        assertEquals(bestValidation, m.get("history").get(best - 1).get("validation").asDouble(), 1e-12);
        // the saved model is the best epoch's: scored on the validation rows, it gives that epoch's RMSE, not the last one's
        Path folder = runFolders(runs).get(0);
        double saved = validationRmseOfSavedModel(folder, runs);
        double last = m.get("history").get(run - 1).get("validation").asDouble();
        assertEquals(bestValidation, saved, 1e-4, "model.zip scored on the validation rows");
        assertTrue(Math.abs(saved - last) > 1e-3, "the last epoch (" + last + ") would score differently from the best (" + bestValidation + ")");
    }

    /** Exports the run and scores its validation rows with the bundle, through `predict`, against the observed LN_IC50. */
    static double validationRmseOfSavedModel(Path run, Path runs) throws IOException {
        Path bundle = run.resolveSibling(run.getFileName() + ".zip");
        assertEquals(0, cli("export", run.getFileName().toString(), "--out", bundle.toString(), "--runs-dir", runs.toString()).code());
        java.util.Map<String, String> modelOfCosmic = new java.util.HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("data/Model.csv")).subList(1, 101)) {
            String[] c = line.split(",");
            modelOfCosmic.put(c[1], c[0]);
        }
        java.util.Map<String, Double> observed = new java.util.HashMap<>();
        List<String> rows = Files.readAllLines(dir.resolve("data/GDSC2_fitted_dose_response.csv"));
        List<String> header = List.of(rows.get(0).split(","));
        for (String line : rows.subList(1, rows.size())) {
            String[] c = line.split(",");
            observed.put(c[header.indexOf("COSMIC_ID")] + "|" + c[header.indexOf("DRUG_ID")], Double.parseDouble(c[header.indexOf("LN_IC50")]));
        }
        Path in = Files.createDirectories(run.resolveSibling(run.getFileName() + "-validation"));
        StringBuilder pairs = new StringBuilder("sample,drug\n");
        List<Double> truth = new ArrayList<>();
        List<String> split = Files.readAllLines(run.resolve("split.csv"));
        for (String line : split.subList(1, split.size())) {
            String[] c = line.split(",");
            if (c[2].equals("validation")) {
                pairs.append(modelOfCosmic.get(c[0])).append(',').append(c[1]).append('\n');
                truth.add(observed.get(c[0] + "|" + c[1]));
            }
        }
        Files.writeString(in.resolve("pairs.csv"), pairs);
        Files.copy(dir.resolve("data/OmicsExpressionProteinCodingGenesTPMLogp1.csv"), in.resolve("expression.csv"));
        Files.copy(dir.resolve("data/drugs.csv"), in.resolve("drugs.csv"));
        Path out = in.resolve("out.csv");
        Result p = cli("predict", bundle.toString(), "--input", in.toString(), "--out", out.toString());
        assertEquals(0, p.code(), p.err());
        List<String> predicted = Files.readAllLines(out);
        double se = 0;
        for (int i = 0; i < truth.size(); i++) {
            double e = Double.parseDouble(predicted.get(i + 1).split(",")[2]) - truth.get(i);
            se += e * e;
        }
        return Math.sqrt(se / truth.size());
    }

    @Test
    void groupedKFoldWithImagesAndImputedMutations() throws Exception {
        Path runs = dir.resolve("runs-kfold");
        Path yaml = dir.resolve("kfold.yaml");
        Files.writeString(yaml, Files.readString(experiment)
                .replace("name: tiny", "name: tiny-kfold")
                .replace("  drugs:\n", "    mutations: {file: data/OmicsSomaticMutationsMatrixDamaging.csv, id: ModelID, missing: median}\n"
                        + "    images: {dir: data/images, size: [8, 8, 1]}\n  drugs:\n")
                .replace("split: {kind: cell-blind, test: 0.25, validation: 0.1}", "split: {kind: kfold, folds: 3, repeats: 1, group: tissue}")
                .replace("epochs: 12", "epochs: 3"));
        Result inspect = cli("data", "inspect", yaml.toString());
        assertEquals(0, inspect.code(), inspect.err());
        assertTrue(inspect.out().contains("Rows: 9"), inspect.out());
        assertTrue(inspect.out().matches("(?s).*images\\s+sample\\s+100\\s+64\\s+0.*"), inspect.out());
        assertTrue(inspect.out().contains("r1 f3"), inspect.out());
        Result r = cli("run", yaml.toString(), "--runs-dir", runs.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("kfold split, 3 folds x 1 repeat (grouped by tissue); target LN_IC50; mean ± sd across folds"), r.out());
        Path run = runFolders(runs).get(0);
        JsonNode m = new ObjectMapper().readTree(run.resolve("metrics.json").toFile());
        assertEquals(3, m.get("folds").size());
        assertEquals(80 + 120 + 64 + 128, m.get("model").get("inputs").asInt()); // top-80 expression, 120 mutations, 8x8 tiles, 128 bits
        double[] foldRmse = new double[3];
        for (int f = 0; f < 3; f++) {
            foldRmse[f] = m.get("folds").get(f).get("test").get("rmse").asDouble();
        }
        double foldMean = java.util.Arrays.stream(foldRmse).average().orElseThrow();
        double foldSd = Math.sqrt(java.util.Arrays.stream(foldRmse).map(v -> (v - foldMean) * (v - foldMean)).sum() / 2);
        assertEquals(foldMean, m.get("summary").get("model").get("rmse").get("mean").asDouble(), 1e-12);
        assertEquals(foldSd, m.get("summary").get("model").get("rmse").get("sd").asDouble(), 1e-12, "sample sd over the 3 folds");
        assertEquals(3, m.get("summary").get("model").get("rmse").get("folds").asInt());
        // every row predicted exactly once in the repeat, and no tissue on both sides of any fold
        List<String> predictions = Files.readAllLines(run.resolve("predictions.csv"));
        assertEquals(m.get("test").get("n").asInt() + 1, predictions.size());
        List<String> split = Files.readAllLines(run.resolve("split.csv"));
        assertEquals("sample,drug,repeat1_fold1,repeat1_fold2,repeat1_fold3", split.get(0));
        java.util.Map<String, String> tissueOfCosmic = new java.util.HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("data/Model.csv")).subList(1, 101)) {
            String[] cells = line.split(",");
            tissueOfCosmic.put(cells[1], cells[5]);
        }
        for (int fold = 2; fold < 5; fold++) {
            java.util.Map<String, String> partOfTissue = new java.util.HashMap<>();
            for (String line : split.subList(1, split.size())) {
                String[] cells = line.split(",");
                String tissue = tissueOfCosmic.get(cells[0]);
                String part = cells[fold].equals("test") ? "test" : "train";
                String before = partOfTissue.putIfAbsent(tissue, part);
                assertTrue(before == null || before.equals(part), tissue + " crosses fold " + (fold - 1));
            }
        }
        assertFalse(Files.exists(run.resolve("model.zip")), "k-fold estimates performance; it saves no model");
    }

    @Test
    void benchWritesMeasuredNumbers() throws Exception {
        Path out = dir.resolve("bench");
        Result r = cli("bench", "--cases", "mlp", "--epochs", "1", "--out", out.toString(), "--work", dir.resolve("bench-work").toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode b = new ObjectMapper().readTree(r.out());
        JsonNode mlp = b.get("mlp");
        System.out.println("bench mlp: " + mlp); // timings for the reader, not assertions
        // the quickstart MLP: 400 genes + 512 bits in, 256-64 hidden, 4,521 training rows, one timed epoch
        assertEquals(912, mlp.get("inputs").asInt());
        assertEquals(912 * 256 + 256 + 256 * 64 + 64 + 64 + 1, mlp.get("parameters").asLong());
        assertEquals(4521, mlp.get("train_rows").asInt());
        assertEquals(1, mlp.get("epochs_timed").asInt());
        // the throughput is the rows over the time of the epoch it reports
        assertEquals(4521 / mlp.get("epoch_seconds_median").asDouble(), mlp.get("samples_per_second").asDouble(),
                1e-6 * mlp.get("samples_per_second").asDouble());
        double share = mlp.get("pipeline_share").asDouble();
        assertTrue(share > 0 && share < 1, "the data pipeline is a part of the epoch: " + share);
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(2, files.filter(f -> f.getFileName().toString().matches("bench-\\d{8}-\\d{6}\\.(json|md)")).count());
        }
    }

    @Test
    void divergedTrainingFailsTheRunWithAnActionableMessage() throws Exception {
        Path runs = dir.resolve("runs-diverged");
        Result r = cli("run", experiment.toString(), "--runs-dir", runs.toString(), "--set", "training.optimizer.kind=sgd",
                "--set", "training.optimizer.lr=5", "--set", "training.epochs=4", "--set", "training.early_stopping={patience: 2}");
        assertUserError(r, "training diverged at epoch 1 (loss NaN); lower training.optimizer.lr");
        Path run = runFolders(runs).get(0);
        JsonNode status = new ObjectMapper().readTree(run.resolve("run.json").toFile());
        assertEquals("failed", status.get("status").asText());
        assertTrue(status.get("error").asText().contains("diverged"), status.toString());
        assertFalse(Files.exists(run.resolve("metrics.json")), "no metrics from a diverged model");
    }

    /** A per-sample label file over the first 40 cell lines of the tiny cohort: {@code counts} labels, in order. */
    static Path labels(String name, java.util.LinkedHashMap<String, Integer> counts) throws IOException {
        List<String> models = Files.readAllLines(dir.resolve("data/Model.csv")).subList(1, 41).stream().map(l -> l.split(",")[0]).toList();
        StringBuilder sb = new StringBuilder("ModelID,subtype\n");
        int i = 0;
        for (java.util.Map.Entry<String, Integer> e : counts.entrySet()) {
            for (int k = 0; k < e.getValue(); k++) {
                sb.append(models.get(i++)).append(',').append(e.getKey()).append('\n');
            }
        }
        Path file = dir.resolve(name + ".csv");
        Files.writeString(file, sb);
        Path yaml = dir.resolve(name + ".yaml");
        Files.writeString(yaml, """
                name: %s
                seed: 4
                data:
                  rows: {file: %s, sample: ModelID, target: subtype}
                  samples:
                    expression: {file: data/OmicsExpressionProteinCodingGenesTPMLogp1.csv, id: ModelID}
                task: {kind: classification, positive: A}
                split: {kind: mixed, test: 0.2, validation: 0.2}
                model: {kind: mlp, hidden: [16]}
                training: {epochs: 3, batch: 8}
                """.formatted(name, file.getFileName()));
        return yaml;
    }

    @Test
    void classificationSplitsAreStratifiedAndTheLabelsExplained() throws Exception {
        java.util.LinkedHashMap<String, Integer> three = new java.util.LinkedHashMap<>();
        three.put("A", 5);
        three.put("B", 20);
        three.put("C", 15);
        Path runs = dir.resolve("runs-labels");
        Result r = cli("run", labels("three", three).toString(), "--runs-dir", runs.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("'A' is the positive class and the other 2 (B, C) together the negative class (one-vs-rest)"), r.out());
        JsonNode m = new ObjectMapper().readTree(runFolders(runs).get(0).resolve("metrics.json").toFile());
        assertEquals("[\"B\",\"C\"]", m.get("classes").get("negative").toString());
        assertEquals(1, m.get("test").get("positives").asInt(), "5 positives, test 0.2: one in test");
        // one positive in test: AUC is defined, and it is the one the written predictions give
        List<String> labelled = Files.readAllLines(runFolders(runs).get(0).resolve("predictions.csv"));
        double auc = ClassificationMetrics.auc(labelled.stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[2])).toArray(),
                labelled.stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[3])).toArray());
        assertEquals(auc, m.get("test").get("auc").asDouble(), 1e-6, m.get("test").toString());

        java.util.LinkedHashMap<String, Integer> rare = new java.util.LinkedHashMap<>();
        rare.put("A", 1);
        rare.put("B", 39);
        Result single = cli("run", labels("rare", rare).toString(), "--runs-dir", dir.resolve("runs-rare").toString());
        assertUserError(single, "split: the test part holds a single class (8 negatives, 0 positives)");

        // a pair task's per-drug column names the metric it shows
        Result pairs = cli("run", experiment.toString(), "--runs-dir", dir.resolve("runs-pair-class").toString(), "--set",
                "task={kind: classification, threshold: 1.0, positive: below}", "--set", "training.epochs=2");
        assertEquals(0, pairs.code(), pairs.err());
        assertTrue(pairs.out().contains("per-drug AUC mean / median") && !pairs.out().contains("per-drug Pearson"), pairs.out());
    }

    @Test
    void idsWithCommasAndQuotesSurviveTheRunsCsvFiles() throws Exception {
        List<String> models = Files.readAllLines(dir.resolve("data/Model.csv")).subList(1, 31).stream().map(l -> l.split(",")[0]).toList();
        StringBuilder rows = new StringBuilder("name,subtype\n");
        StringBuilder map = new StringBuilder("name,ModelID\n");
        for (int i = 0; i < models.size(); i++) {
            String name = "\"HT-" + i + ", clone \"\"" + (char) ('a' + i % 3) + "\"\"\""; // HT-3, clone "a"
            rows.append(name).append(',').append(i % 3 == 0 ? "A" : "B").append('\n');
            map.append(name).append(',').append(models.get(i)).append('\n');
        }
        Files.writeString(dir.resolve("named.csv"), rows);
        Files.writeString(dir.resolve("names.csv"), map);
        Path yaml = dir.resolve("named.yaml");
        Files.writeString(yaml, """
                name: named
                data:
                  rows: {file: named.csv, sample: name, target: subtype}
                  sample_ids: {file: names.csv, from: name, to: ModelID}
                  samples:
                    expression: {file: data/OmicsExpressionProteinCodingGenesTPMLogp1.csv, id: ModelID}
                task: {kind: classification, positive: A}
                split: {kind: mixed, test: 0.3, validation: 0.2}
                model: {kind: mlp, hidden: [8]}
                training: {epochs: 2, batch: 8}
                """);
        Path runs = dir.resolve("runs-named");
        Result r = cli("run", yaml.toString(), "--runs-dir", runs.toString());
        assertEquals(0, r.code(), r.err());
        Path run = runFolders(runs).get(0);
        for (String file : List.of("predictions.csv", "split.csv")) {
            try (org.oncobench.data.DelimitedFile csv = org.oncobench.data.DelimitedFile.open(run.resolve(file))) {
                int rowsRead = 0;
                for (String[] row = csv.next(); row != null; row = csv.next()) {
                    assertTrue(row[0].matches("HT-\\d+, clone \"[abc]\""), file + ": " + row[0]);
                    rowsRead++;
                }
                assertTrue(rowsRead > 0, file);
            }
        }
    }

    static void assertUserError(Result r, String expected) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "no stack trace: " + r.err());
    }

    @Test
    void badInputExitsWithTwoAndRecordsNoRun() throws IOException {
        Path runs = dir.resolve("runs-bad");
        assertUserError(cli("run", dir.resolve("missing.yaml").toString(), "--runs-dir", runs.toString()), "missing.yaml: experiment file not found");

        Path malformed = dir.resolve("malformed.yaml");
        Files.writeString(malformed, "name: x\ndata: {rows: [\n");
        assertUserError(cli("run", malformed.toString(), "--runs-dir", runs.toString()), "malformed.yaml:");

        String good = Files.readString(experiment);
        Path unknown = dir.resolve("unknown.yaml");
        Files.writeString(unknown, good.replace("training: {", "trainig: {"));
        assertUserError(cli("run", unknown.toString(), "--runs-dir", runs.toString()), "trainig: unknown key (did you mean 'training'?)");

        assertUserError(cli("run", experiment.toString(), "--runs-dir", runs.toString(), "--set", "training.epochs=-1"),
                "training.epochs: -1 is out of range");
        assertUserError(cli("run", experiment.toString(), "--runs-dir", runs.toString(), "--set", "training.batch=big"),
                "training.batch: expected an integer but got 'big'");

        Path missingData = dir.resolve("missingdata.yaml");
        Files.writeString(missingData, good.replace("data/drugs.csv", "data/nodrugs.csv"));
        assertUserError(cli("run", missingData.toString(), "--runs-dir", runs.toString()), "data.drugs.fingerprints.file: file not found");

        Path ragged = dir.resolve("ragged.csv");
        List<String> lines = new ArrayList<>(Files.readAllLines(dir.resolve("data/drugs.csv")));
        lines.set(3, lines.get(3) + ",extra");
        Files.write(ragged, lines);
        Path raggedYaml = dir.resolve("ragged.yaml");
        Files.writeString(raggedYaml, good.replace("data/drugs.csv", "ragged.csv"));
        assertUserError(cli("run", raggedYaml.toString(), "--runs-dir", runs.toString()), "ragged.csv:4: ragged row: 6 cells where the header has 5");

        Path badIds = dir.resolve("badids.yaml");
        Files.writeString(badIds, good.replace("from: COSMICID", "from: SangerModelID"));
        assertUserError(cli("run", badIds.toString(), "--runs-dir", runs.toString()), "0 of");

        assertTrue(runFolders(runs).isEmpty(), "no run recorded: " + runFolders(runs));

        // the other commands treat bad input the same way
        assertUserError(cli("data", "synth", "--out", dir.resolve("x").toString(), "--genes", "5"), "--genes 5 is out of range; allowed: 20 to 100000");
        assertUserError(cli("data", "inspect", malformed.toString()), "malformed.yaml:");
        assertUserError(cli("resume", "20990101-000000-nothing-0000", "--runs-dir", runs.toString()), "no run '20990101-000000-nothing-0000'");
        assertUserError(cli("runs", "show", "../../etc", "--runs-dir", runs.toString()), "is not a run id");
        assertUserError(cli("predict", dir.resolve("none.zip").toString(), "--input", dir.toString(), "--out", dir.resolve("p.csv").toString()),
                "none.zip: bundle not found");
        assertUserError(cli("serve", experiment.toString(), "--port", "0"), "not an oncobench bundle");
        Result usage = cli("run");
        assertEquals(2, usage.code());
        assertTrue(usage.err().contains("Missing required parameter: 'EXPERIMENT.yaml'"), usage.err());
    }

    /**
     * An impossible network is refused before the data is read and before a run folder exists (issue 26 item 13): its size
     * is estimated from the experiment and the files' headers. Before, it failed after loading and left a failed run.
     */
    @Test
    void aModelTooLargeForMemoryIsRefusedBeforeAnyRunExists() throws Exception {
        Path runs = dir.resolve("runs-huge");
        Result r = cli("run", experiment.toString(), "--runs-dir", runs.toString(), "--set", "model.hidden=[65536,65536,65536]");
        // 80 expression features (top_variance 80 of 120 genes) + 128 fingerprint bits in, three layers of 65536, one output
        assertUserError(r, "model.hidden [65536, 65536, 65536] gives 8,603,828,225 parameters");
        assertTrue(r.err().contains("GB") && r.err().contains("smaller") && r.err().contains("expression 80, fingerprints 128 input features"), r.err());
        assertFalse(r.err().contains("reading data"), "refused before reading the data: " + r.err());
        assertTrue(runFolders(runs).isEmpty(), "no run folder: " + runFolders(runs));
        Result two = cli("run", experiment.toString(), "--runs-dir", runs.toString(), "--set", "model.hidden=[65536,65536]");
        assertUserError(two, "model.hidden [65536, 65536] gives 4,308,795,393 parameters"); // the network DL4J would build: the same count
        assertTrue(runFolders(runs).isEmpty(), "no run folder: " + runFolders(runs));
    }

    /**
     * Accepted but said (issue 26 item 13): rows whose drug id is in no drug table are counted, with their share, in the
     * console summary and in run.json; a {@code top_variance} above the table's gene count is noted in both.
     */
    @Test
    void unknownDrugsAndAnOversizedTopVarianceAreCountedInTheSummaryAndRunJson() throws Exception {
        List<String> drugs = Files.readAllLines(dir.resolve("data/drugs.csv"));
        String dropped = drugs.get(1).split(",")[0];
        Files.write(dir.resolve("data/drugs-less-one.csv"), java.util.stream.Stream.concat(Stream.of(drugs.get(0)), drugs.subList(2, drugs.size()).stream()).toList());
        long rows = Files.readAllLines(dir.resolve("data/GDSC2_fitted_dose_response.csv")).size() - 1;
        int drugColumn = headerIndex("DRUG_ID");
        long unknown = Files.readAllLines(dir.resolve("data/GDSC2_fitted_dose_response.csv")).stream().skip(1)
                .filter(l -> l.split(",")[drugColumn].equals(dropped)).count();
        Path yaml = dir.resolve("notes.yaml");
        Files.writeString(yaml, Files.readString(experiment).replace("data/drugs.csv", "data/drugs-less-one.csv")
                .replace("top_variance: 80", "top_variance: 5000").replace("training: {epochs: 12,", "training: {epochs: 2,")
                + "evaluation: {baselines: [drug_mean], bootstrap: 0}\n");
        Path runs = dir.resolve("runs-notes");
        Result r = cli("run", yaml.toString(), "--runs-dir", runs.toString());
        assertEquals(0, r.code(), r.err());
        String share = String.format(java.util.Locale.ROOT, "%.1f%%", 100.0 * unknown / rows);
        String drugNote = "note: " + unknown + " of " + rows + " rows (" + share + ") have a drug id (DRUG_ID) that is in no drug table, e.g. " + dropped;
        String topNote = "note: data.samples.expression.select.top_variance 5000 is more than the table's 120 features: all 120 are used";
        String summary = r.out().substring(r.out().indexOf("Test set:"));
        assertTrue(summary.contains(drugNote), summary);
        assertTrue(summary.contains(topNote), summary);
        JsonNode data = new ObjectMapper().readTree(runFolders(runs).get(0).resolve("run.json").toFile()).get("data");
        assertEquals(unknown, data.get("rows_unmatched_drug").asLong());
        assertEquals(Math.round(1e4 * unknown / (double) rows) / 1e4, data.get("rows_unmatched_drug_share").asDouble(), 0.0);
        assertTrue(data.get("notes").toString().contains(topNote.replace("\"", "")) && data.get("notes").toString().contains("(" + share + ")"), data.toString());
    }

    private static int headerIndex(String column) throws IOException {
        return java.util.Arrays.asList(Files.readAllLines(dir.resolve("data/GDSC2_fitted_dose_response.csv")).get(0).split(",")).indexOf(column);
    }

    /**
     * After a run with explanations and intervals, the console prints their headlines beside the metrics (issue 26 item 8):
     * coverage at the configured level and the mean width, and the five most important features, as metrics.json has them.
     */
    @Test
    void theConsoleShowsCoverageAndTheTopFeatures() throws Exception {
        Path yaml = dir.resolve("headlines.yaml");
        Files.writeString(yaml, Files.readString(experiment).replace("split: {kind: cell-blind, test: 0.25, validation: 0.1}",
                        "split: {kind: cell-blind, test: 0.2, validation: 0.1, calibration: 0.15}").replace("training: {epochs: 12,", "training: {epochs: 2,")
                + "evaluation: {baselines: [drug_mean], bootstrap: 0, explain: {rows: 40, top: 4, steps: 8}, uncertainty: {kind: mc_dropout, samples: 5, level: 0.8}}\n");
        Path runs = dir.resolve("runs-headlines");
        Result r = cli("run", yaml.toString(), "--runs-dir", runs.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode m = new ObjectMapper().readTree(runFolders(runs).get(0).resolve("metrics.json").toFile());
        JsonNode u = m.get("uncertainty");
        String coverage = String.format(java.util.Locale.ROOT, "  prediction intervals at 80%%: test coverage %.3f, mean width %.3f (%s; %d calibration rows)",
                u.get("coverage").asDouble(), u.get("mean_width").asDouble(), u.get("method").asText(), u.get("calibration_rows").asInt());
        assertTrue(r.out().contains(coverage), coverage + "\n" + r.out());
        List<Map.Entry<String, Double>> all = new ArrayList<>();
        m.get("explain").get("tables").fields().forEachRemaining(t -> t.getValue().get("top").forEach(f ->
                all.add(Map.entry(t.getKey() + ": " + f.get("feature").asText(), f.get("mean_abs_attribution").asDouble()))));
        all.sort((a, b) -> Double.compare(b.getValue(), a.getValue()));
        assertTrue(all.size() >= 5, all.toString());
        String out = r.out();
        int at = out.indexOf("  top features (mean |attribution|, integrated gradients over 40 test rows; explanations.csv):");
        assertTrue(at >= 0, out);
        List<String> lines = out.substring(at).lines().skip(1).limit(6).toList();
        for (int i = 0; i < 5; i++) {
            assertEquals(String.format(java.util.Locale.ROOT, "    %d. %-40s %.4f", i + 1, all.get(i).getKey(), all.get(i).getValue()), lines.get(i));
        }
        assertFalse(lines.get(5).startsWith("    6."), "five features: " + lines);
    }

    @Test
    void outOfMemoryIsOneLineAndExitOne() throws Exception {
        Path jar = Path.of("target/oncobench.jar").toAbsolutePath();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx24m", "-jar", jar.toString(),
                "data", "synth", "--out", dir.resolve("oom").toString(), "--cell-lines", "1000", "--drugs", "250", "--genes", "19000")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(1, p.waitFor(), output);
        assertTrue(output.contains("error: out of memory (Java heap space); give Java more with ONCOBENCH_JAVA_OPTS"), output);
        assertTrue(output.contains("ONCOBENCH_JAVA_OPTS"), output);
        assertFalse(output.contains("\tat ") || output.contains("Exception in thread"), "no stack trace: " + output);
    }

    @Test
    void aCorruptImageTileGivesOneMessageAndNoNativeNoise() throws Exception {
        Path data = dir.resolve("corrupt-tiles");
        assertEquals(0, cli("data", "synth", "--out", data.toString(), "--cell-lines", "20", "--drugs", "3", "--genes", "30", "--seed", "1",
                "--tiles", "1", "--tile-size", "8").code());
        Path tile;
        try (Stream<Path> s = Files.walk(data.resolve("images"))) {
            tile = s.filter(f -> f.toString().endsWith(".png")).sorted().findFirst().orElseThrow();
        }
        Files.write(tile, "\u0089PNG\r\n\u001a\nxxxxxxxxxxxxxxxxxxxxxxxx".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        Path yaml = dir.resolve("tiles.yaml");
        Files.writeString(yaml, """
                data:
                  rows: {file: corrupt-tiles/GDSC2_fitted_dose_response.csv, sample: COSMIC_ID, drug: DRUG_ID, target: LN_IC50}
                  sample_ids: {file: corrupt-tiles/Model.csv, from: COSMICID, to: ModelID}
                  samples:
                    images: {dir: corrupt-tiles/images, size: [8, 8, 1]}
                """);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                Path.of("target/oncobench.jar").toAbsolutePath().toString(), "data", "inspect", yaml.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(2, p.waitFor(), output);
        assertTrue(output.contains(tile + ": cannot read image"), output);
        assertFalse(output.contains("pixReadMem") || output.contains("libpng"), "native libraries printed: " + output);
    }

    @Test
    void realProcessGivesExitCodeTwoWithoutStackTrace() throws Exception {
        Path jar = Path.of("target/oncobench.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "run after package: " + jar);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(), "run",
                dir.resolve("nope.yaml").toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(2, p.waitFor(), output);
        assertEquals("error: " + dir.resolve("nope.yaml") + ": experiment file not found", output.strip());
    }
}
