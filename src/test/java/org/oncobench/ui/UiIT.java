package org.oncobench.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oncobench.cli.RunCommandIT;
import org.oncobench.cli.RunCommandIT.Result;
import org.oncobench.runs.RunStore;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.oncobench.cli.RunCommandIT.cli;

/**
 * The browser UI end to end: {@code oncobench ui} and {@code oncobench run --ui} as child processes over a runs folder
 * with two finished runs and one running, driven through every page in headless Chromium; screenshots go to
 * {@code target/ui-screenshots/}.
 */
class UiIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path SHOTS = Path.of("target/ui-screenshots");
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    @TempDir
    static Path dir;
    static Path runs;
    static String runA;
    static String runB;
    static String running;
    static Process ui;
    static String uiUrl;
    static Process trainer;
    static String trainerUrl;
    static HeadlessChromium browser;

    static Path experiment(String name, String hidden, int epochs) throws IOException {
        return experimentIn(dir, name, hidden, epochs);
    }

    /** An experiment over the cohort synthesised into {@code dir/data}. */
    static Path experimentIn(Path dir, String name, String hidden, int epochs) throws IOException {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, """
                name: %s
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
                model: {kind: mlp, hidden: %s, dropout: 0.1}
                training: {epochs: %d, batch: 32, optimizer: {kind: adam, lr: 0.002}, stats_every: 5}
                """.formatted(name, hidden, epochs));
        return file;
    }

    static Process child(Path log, String... args) throws IOException {
        return child(dir, log, List.of(), args);
    }

    /** The CLI in a child JVM working in {@code dir}, with extra JVM options, its output to {@code log}. */
    static Process child(Path dir, Path log, List<String> jvmOptions, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", Path.of("target/oncobench.jar").toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(RunCommandIT.withDefaultSigint(cmd)).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        return pb.start();
    }

    /** Waits for a line of a child's log to match and returns the first group. */
    static String awaitLog(Process p, Path log, Pattern pattern) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            String text = Files.exists(log) ? Files.readString(log) : "";
            Matcher m = pattern.matcher(text);
            if (m.find()) {
                return m.group(1);
            }
            assertTrue(p.isAlive(), "child ended early:\n" + text);
            Thread.sleep(50);
        }
        throw new AssertionError("no " + pattern + " in " + log + " within 120 s:\n" + Files.readString(log));
    }

    @BeforeAll
    static void runsAndServers() throws Exception {
        Result synth = cli("data", "synth", "--out", dir.resolve("data").toString(), "--cell-lines", "100", "--drugs", "10", "--genes", "120",
                "--seed", "3", "--tiles", "1", "--tile-size", "16");
        assertEquals(0, synth.code(), synth.err());
        runs = dir.resolve("runs");
        Result a = cli("run", experiment("ui-a", "[32]", 4).toString(), "--runs-dir", runs.toString());
        assertEquals(0, a.code(), a.err());
        Result b = cli("run", experiment("ui-b", "[64, 16]", 6).toString(), "--runs-dir", runs.toString(),
                "--set", "evaluation.learning_curve=[0.5, 1.0]", "--set", "evaluation.randomization={tables: [expression], repeats: 1}");
        assertEquals(0, b.code(), b.err());
        runA = id(a.out());
        runB = id(b.out());

        // a run that trains until the test kills it, serving its own UI (run --ui)
        Path trainerLog = dir.resolve("trainer.log");
        trainer = child(trainerLog, "run", experiment("ui-live", "[64, 16]", 100_000).toString(), "--runs-dir", runs.toString(),
                "--set", "training.checkpoint_every=1000", "--ui", "--port", "0");
        trainerUrl = awaitLog(trainer, trainerLog, Pattern.compile("UI: (http://127\\.0\\.0\\.1:\\d+/)"));
        running = awaitLog(trainer, trainerLog, Pattern.compile("watch it: http://127\\.0\\.0\\.1:\\d+/runs/(\\S+)"));
        Path history = runs.resolve(running).resolve("history.jsonl");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!(Files.exists(history) && Files.readAllLines(history).size() >= 2) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }

        Path uiLog = dir.resolve("ui.log");
        ui = child(uiLog, "ui", "--runs-dir", runs.toString(), "--port", "0");
        uiUrl = awaitLog(ui, uiLog, Pattern.compile("on (http://127\\.0\\.0\\.1:\\d+/)"));
        browser = HeadlessChromium.launch(dir.resolve("chromium-profile"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        for (Process p : new Process[]{ui, trainer}) {
            if (p != null) {
                p.destroy();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    static String id(String summary) {
        Matcher m = Pattern.compile("Run (\\S+):").matcher(summary);
        assertTrue(m.find(), summary);
        return m.group(1);
    }

    static JsonNode metrics(String id) throws IOException {
        return JSON.readTree(runs.resolve(id).resolve("metrics.json").toFile());
    }

    static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void runsPageListsSortsFiltersAndSelectsForComparison() throws Exception {
        browser.open(uiUrl);
        browser.waitFor("document.body.dataset.rows === '3'", 20);
        String text = browser.text();
        for (String id : List.of(runA, runB, running)) {
            assertTrue(text.contains(id), id + " missing from the runs page:\n" + text);
        }
        assertEquals(1, browser.eval("[...document.querySelectorAll('#runs .badge.running')].length").asInt());
        assertEquals(2, browser.eval("[...document.querySelectorAll('#runs .badge.completed')].length").asInt());
        String rmseA = String.format(Locale.ROOT, "RMSE %.3f", metrics(runA).path("test").path("rmse").asDouble());
        assertEquals(rmseA, browser.eval("document.querySelector('tr[data-id=\"" + runA + "\"] td.metric').innerText").asText());
        browser.screenshot(SHOTS.resolve("runs.png"));

        // sort by the test metric, ascending: the finished run with the lower RMSE comes first, the running one last
        browser.click("th[data-key=value]");
        double rmseB = metrics(runB).path("test").path("rmse").asDouble();
        String better = rmseB < metrics(runA).path("test").path("rmse").asDouble() ? runB : runA;
        // the sorted rows come from the server: wait for them rather than read the table the click left (a fresh-clone
        // run read it before the answer arrived)
        browser.waitFor("document.querySelector('#runs tbody tr').dataset.id === '" + better + "'", 10);
        assertEquals(List.of(better, better.equals(runA) ? runB : runA, running), ids(browser.eval(
                "[...document.querySelectorAll('#runs tbody tr')].map(r => r.dataset.id)")));

        browser.type("#filter", "ui-b");
        browser.waitFor("document.body.dataset.rows === '1'", 5);
        assertEquals(runB, browser.eval("document.querySelector('#runs tbody tr').dataset.id").asText());
        browser.type("#filter", "");
        browser.waitFor("document.body.dataset.rows === '3'", 5);

        assertTrue(browser.eval("document.getElementById('compare').disabled").asBoolean());
        browser.click("input[value='" + runA + "']");
        browser.click("input[value='" + runB + "']");
        assertFalse(browser.eval("document.getElementById('compare').disabled").asBoolean());
        browser.click("#compare");
        browser.waitFor("location.pathname === '/compare' && document.readyState === 'complete'", 10);
        assertEquals(List.of(runA, runB), List.of(browser.eval("new URLSearchParams(location.search).get('ids')").asText().split(",")));
    }

    private static List<String> ids(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void runPageShowsMetricsCurvesPredictionsAndTables() throws Exception {
        JsonNode m = metrics(runB);
        browser.open(uiUrl + "runs/" + runB);
        browser.waitFor("document.getElementById('curves').dataset.points === '6' && Number(document.getElementById('scatter').dataset.points) > 0", 20);
        assertEquals(String.format(Locale.ROOT, "%.3f", m.path("test").path("rmse").asDouble()),
                browser.eval("document.querySelector('[data-card=\"Test RMSE\"]').innerText").asText());
        // the curves chart: training loss and validation RMSE, 6 epochs each
        assertEquals(List.of(6, 6), List.of(browser.eval("Chart.getChart('curves').data.datasets[0].data.length").asInt(),
                browser.eval("Chart.getChart('curves').data.datasets[1].data.length").asInt()));
        assertEquals(m.path("test").path("n").asInt(), browser.eval("Chart.getChart('scatter').data.datasets[0].data.length").asInt());
        // the metrics table has the model and every baseline
        String metricsTable = browser.eval("document.getElementById('metrics').innerText").asText();
        m.path("baselines").fieldNames().forEachRemaining(b -> assertTrue(metricsTable.contains(b), b + " missing:\n" + metricsTable));
        assertEquals(m.path("per_drug").path("drugs").size(), browser.eval("document.querySelectorAll('#per-drug tbody tr').length").asInt());
        // the intervals table: one row per predictor, the model's RMSE with its bootstrap interval as metrics.json has it
        JsonNode rmse = m.path("significance").path("intervals").path("model").path("rmse");
        assertEquals(m.path("baselines").size() + 1, browser.eval("document.querySelectorAll('#significance tbody tr').length").asInt());
        assertEquals(String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", rmse.path("estimate").asDouble(), rmse.path("low").asDouble(),
                rmse.path("high").asDouble()), browser.eval("document.querySelector('#significance tbody tr td:nth-child(2)').innerText").asText());
        assertTrue(browser.eval("document.getElementById('significance-summary').innerText").asText().contains("resamples"));
        // the headline card and the significance section print the run's one verdict, word for word as metrics.json has it
        JsonNode verdict = m.path("verdict");
        assertEquals(verdict.path("text").asText(), browser.eval("document.getElementById('verdict').innerText").asText());
        assertEquals(verdict.path("outcome").asText(), browser.eval("document.getElementById('verdict').dataset.outcome").asText());
        String text = verdict.path("text").asText();
        assertTrue(browser.eval("document.getElementById('significance-summary').innerText").asText()
                .contains(Character.toUpperCase(text.charAt(0)) + text.substring(1)), "the significance section's verdict");
        // the randomisation test's row and the learning curve's columns, as metrics.json has them
        JsonNode expression = m.path("randomization").path("tables").path("expression");
        String randomised = browser.eval("[...document.querySelectorAll('#randomization tbody tr')].find(r => r.cells[0].innerText === 'expression')"
                + ".innerText").asText();
        assertTrue(randomised.contains(String.format(Locale.ROOT, "%.3f", expression.path("rmse").path("mean").asDouble()))
                && randomised.contains(expression.path("relied_on").asBoolean() ? "yes" : "no"), randomised);
        assertEquals(2, browser.eval("document.querySelectorAll('#learning-curve thead th.num').length").asInt());
        assertEquals(String.format(Locale.ROOT, "%.3f", m.path("learning_curve").path("points").get(0).path("scores").path("model").path("rmse").asDouble()),
                browser.eval("document.querySelector('#learning-curve tbody tr.model td:nth-child(2)').innerText").asText());
        assertEquals(m.path("per_group").path("tissue").path("rows").size(),
                browser.eval("document.querySelectorAll('#per-group-tissue tbody tr').length").asInt());
        // per-drug table sorts by Pearson when its header is clicked twice (descending)
        browser.click("#per-drug th[data-key=pearson]");
        browser.click("#per-drug th[data-key=pearson]");
        double best = 0;
        for (JsonNode d : m.path("per_drug").path("drugs")) {
            best = Math.max(best, d.path("pearson").asDouble());
        }
        assertEquals(String.format(Locale.ROOT, "%.3f", best), browser.eval(
                "document.querySelector('#per-drug tbody tr td:nth-child(' + ([...document.querySelectorAll('#per-drug th')].findIndex(t => t.dataset.key === 'pearson') + 1) + ')').innerText").asText());
        assertTrue(browser.eval("document.getElementById('config').innerText").asText().contains("name: ui-b"));
        assertTrue(browser.eval("document.getElementById('provenance').innerText").asText().contains("GDSC2_fitted_dose_response.csv"));
        assertEquals("/dl4j/" + runB + "?session=" + runB, browser.eval("document.querySelector('a.dl4j').getAttribute('href')").asText());
        browser.screenshot(SHOTS.resolve("run.png"));
    }

    /**
     * The run page at 1400 px: it links the run's files and serves each as a download (its type, Content-Disposition
     * named after the run; only files that exist; a name off the list, a path or an escape is a 404); a regression run
     * shows no calibration panel; the validation RMSE axis starts at 0 instead of stretching its noise over the whole
     * height; the fairness table marks no group whose gap is within chance or that has too few samples; no table runs
     * off the page or is cut.
     */
    @Test
    void runPageServesItsFilesAndKeepsItsPanelsHonestAt1400px() throws Exception {
        browser.open(uiUrl + "runs/" + runA);
        browser.waitFor("document.getElementById('curves').dataset.points === '4' && Number(document.getElementById('scatter').dataset.points) > 0"
                + " && !document.getElementById('files-section').hidden && !document.getElementById('fairness-section').hidden", 20);
        Path dir = runs.resolve(runA);
        List<String> listed = ids(browser.eval("[...document.querySelectorAll('#files li')].map(l => l.dataset.file)"));
        List<String> expected = new ArrayList<>();
        for (String f : List.of("report.html", "report.md", "predictions.csv", "metrics.json", "model.zip", "explanations.csv", "experiment.yaml",
                "provenance.json")) {
            if (Files.isRegularFile(dir.resolve(f))) {
                expected.add(f);
            }
        }
        assertEquals(expected, listed);
        assertFalse(listed.contains("explanations.csv"), "run A explains nothing: no explanations.csv to list");
        Map<String, String> types = Map.of("report.html", "text/html; charset=utf-8", "predictions.csv", "text/csv; charset=utf-8",
                "metrics.json", "application/json; charset=utf-8", "model.zip", "application/zip");
        for (Map.Entry<String, String> t : types.entrySet()) {
            String href = browser.eval("document.querySelector('#files li[data-file=\"" + t.getKey() + "\"] a').getAttribute('href')").asText();
            assertEquals("/runs/" + runA + "/files/" + t.getKey(), href);
            HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(uiUrl + href.substring(1))).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, r.statusCode(), t.getKey());
            assertEquals(t.getValue(), r.headers().firstValue("Content-Type").orElse(""), t.getKey());
            assertEquals("attachment; filename=\"" + runA + "-" + t.getKey() + "\"", r.headers().firstValue("Content-Disposition").orElse(""));
            assertTrue(java.util.Arrays.equals(Files.readAllBytes(dir.resolve(t.getKey())), r.body()), t.getKey() + ": the bytes of the run's file");
        }
        // a prefix of the run id works as everywhere; names off the list, paths and escapes do not
        assertEquals(200, status("runs/" + runA.substring(0, runA.length() - 2) + "/files/metrics.json"));
        for (String bad : List.of("runs/" + runA + "/files/explanations.csv", "runs/" + runA + "/files/run.json", "runs/" + runA + "/files/..%2F..%2Fruns.mapdb",
                "runs/" + runA + "/files/%2Fetc%2Fpasswd", "runs/" + runA + "/files/checkpoints%2Flatest.zip", "runs/..%2F" + runA + "/files/metrics.json",
                "runs/nope/files/metrics.json")) {
            assertEquals(404, status(bad), bad);
        }
        // regression: no calibration panel, not even an empty frame
        assertEquals("none", browser.eval("getComputedStyle(document.getElementById('calibration-figure')).display").asText());
        // the validation RMSE axis starts at 0 (and the training loss's too)
        assertEquals(0, browser.eval("Chart.getChart('curves').scales.y2.min").asDouble());
        assertEquals(0, browser.eval("Chart.getChart('curves').scales.y.min").asDouble());
        // fairness: the worst group is marked only when its gap is larger than chance and it has 10 or more test samples
        JsonNode fair = metrics(runA).path("fairness").path("tissue");
        JsonNode dsp = fair.path("disparity");
        int flagged = 0;
        for (JsonNode g : fair.path("groups")) {
            if (dsp.path("larger_than_chance").asBoolean() && g.path("group").asText().equals(dsp.path("worst").asText()) && g.path("samples").asInt() >= 10) {
                flagged++;
            }
        }
        assertTrue(dsp.isObject(), "the fixture measures a disparity");
        assertEquals(flagged, browser.eval("document.querySelectorAll('#fairness tr.worse').length").asInt(),
                "worst " + dsp.path("worst") + " p " + dsp.path("permutation_p"));
        // no table is cut or widens the page at 1400 px: each fits its box or its box scrolls
        assertEquals(1400, browser.eval("window.innerWidth").asInt());
        assertTrue(browser.eval("document.documentElement.scrollWidth <= window.innerWidth").asBoolean(), "the page scrolls sideways");
        JsonNode clipped = browser.eval("[...document.querySelectorAll('main table')].filter(t => t.offsetParent !== null).filter(t => {"
                + " const box = t.closest('section, .two > div'); const b = box.getBoundingClientRect(), r = t.getBoundingClientRect();"
                + " return r.right > b.right + 1 && getComputedStyle(box).overflowX !== 'auto'; }).map(t => t.id)");
        assertEquals(0, clipped.size(), "tables cut at 1400 px: " + clipped);
        browser.eval("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"); // the charts painted
        browser.screenshot(SHOTS.resolve("run-files-1400.png"));
    }

    private static int status(String path) throws Exception {
        return get(uiUrl + path).statusCode();
    }

    @Test
    void comparePageOverlaysValidationCurvesAndDiffsMetricsAndConfig() throws Exception {
        browser.open(uiUrl + "compare?ids=" + runA + "," + runB);
        browser.waitFor("document.getElementById('curves').dataset.series === '2'", 20);
        assertEquals(List.of(4, 6), List.of(browser.eval("Chart.getChart('curves').data.datasets[0].data.length").asInt(),
                browser.eval("Chart.getChart('curves').data.datasets[1].data.length").asInt()));
        double a = metrics(runA).path("test").path("rmse").asDouble();
        double b = metrics(runB).path("test").path("rmse").asDouble();
        JsonNode row = browser.eval("[...document.querySelectorAll('#metrics tbody tr')].find(r => r.cells[0].innerText === 'test.rmse')"
                + ".innerText.split('\\t')");
        assertEquals(List.of("test.rmse", fmt(a), fmt(b), (b - a >= 0 ? "+" : "") + fmt(b - a)), ids(row));
        assertEquals(b < a ? "better" : "worse", browser.eval("[...document.querySelectorAll('#metrics tbody tr')]"
                + ".find(r => r.cells[0].innerText === 'test.rmse').cells[3].className.replace('num', '').trim()").asText());
        String diff = browser.eval("document.getElementById('config-diff').innerText").asText();
        assertTrue(diff.contains("model.hidden") && diff.contains("training.epochs") && diff.contains("name"), diff);
        assertFalse(diff.contains("split.kind"), "equal keys are not differences:\n" + diff);
        browser.screenshot(SHOTS.resolve("compare.png"));
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    @Test
    void runningRunUpdatesLiveWithoutReloadAndRunUiShowsDl4jStatisticsLive() throws Exception {
        browser.open(uiUrl + "runs/" + running);
        browser.waitFor("document.body.dataset.status === 'running' && Number(document.getElementById('curves').dataset.points) >= 2", 20);
        browser.eval("window.sameDocument = true");
        int before = browser.eval("Number(document.getElementById('curves').dataset.points)").asInt();
        JsonNode after = browser.waitUntil("Number(document.getElementById('curves').dataset.points)", 30, n -> n.asInt() >= before + 3);
        assertTrue(browser.eval("window.sameDocument === true").asBoolean(), "the page reloaded instead of updating");
        assertTrue(after.asInt() > before);
        assertTrue(browser.text().contains("● live"), "no live indicator");
        browser.screenshot(SHOTS.resolve("run-live.png"));

        // run --ui serves the same pages, and DL4J's statistics of its running run live
        assertDl4jFollowsTheTraining(trainerUrl, "dl4j-live-run-ui.png", 30);
        // the standalone UI follows the other process's stats.dl4j through refreshed copies
        assertDl4jFollowsTheTraining(uiUrl, "dl4j-live-ui.png", 30);
    }

    private static void assertDl4jFollowsTheTraining(String base, String shot, int seconds) throws Exception {
        HttpResponse<String> redirect = get(base + "dl4j/" + running);
        assertEquals(302, redirect.statusCode(), redirect.body());
        String location = redirect.headers().firstValue("Location").orElseThrow();
        assertTrue(location.matches("http://127\\.0\\.0\\.1:\\d+/train/" + running + "/overview"), location);
        browser.open(location);
        browser.waitFor("document.body.innerText.includes('Model Score vs. Iteration')", 20);
        String lastIteration = "fetch(location.pathname + '/data').then(r => r.json()).then(d => d.scoresIter.length ? d.scoresIter[d.scoresIter.length - 1] : 0)";
        JsonNode first = browser.waitUntil(lastIteration, 20, n -> n.asInt() > 0);
        JsonNode later = browser.waitUntil(lastIteration, seconds, n -> n.asInt() > first.asInt());
        assertTrue(later.asInt() > first.asInt(), "DL4J's statistics of the running run did not advance");
        browser.screenshot(SHOTS.resolve(shot));
    }

    @Test
    void runUiKeepsServingAfterTrainingWithTheFinishedStatistics() throws Exception {
        Path log = dir.resolve("run-ui-short.log");
        Path shortRuns = dir.resolve("runs-short");
        Process p = child(log, "run", experiment("ui-short", "[16]", 2).toString(), "--runs-dir", shortRuns.toString(), "--ui", "--port", "0");
        try {
            String page = awaitLog(p, log, Pattern.compile("the UI keeps serving (http://127\\.0\\.0\\.1:\\d+/runs/\\S+) until Ctrl-C"));
            String base = page.substring(0, page.indexOf("/runs/") + 1);
            String id = page.substring(page.indexOf("/runs/") + "/runs/".length());
            assertTrue(Files.readString(log).contains("Run " + id + ":"), "the summary table was not printed");
            assertEquals("completed", JSON.readTree(get(base + "api/runs/" + id).body()).path("run").path("status").asText());
            HttpResponse<String> redirect = get(base + "dl4j/" + id);
            assertEquals(302, redirect.statusCode(), redirect.body());
            JsonNode data = JSON.readTree(get(redirect.headers().firstValue("Location").orElseThrow() + "/data").body());
            assertTrue(data.path("scores").size() > 0, data.toString());
        } finally {
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "run --ui did not stop on SIGTERM");
        }
        assertFalse(Files.readString(log).contains("internal error"), Files.readString(log));
    }

    @Test
    void dl4jStatisticsOfAFinishedRunOpenFromTheRunPage() throws Exception {
        browser.open(uiUrl + "runs/" + runA);
        browser.waitFor("document.querySelector('a.dl4j') !== null", 20);
        browser.click("a.dl4j");
        browser.waitFor("location.pathname === '/train/" + runA + "/overview' && document.body.innerText.includes('Model Score vs. Iteration')", 20);
        JsonNode data = browser.waitUntil("fetch(location.pathname + '/data').then(r => r.json())", 20, d -> d.path("scores").size() > 0);
        assertTrue(data.path("scores").size() > 0, data.toString());
        browser.screenshot(SHOTS.resolve("dl4j-finished.png"));
        // the UI read a copy: the run's own stats.dl4j stays free, so the run could be resumed while the UI is open
        var storage = new org.deeplearning4j.ui.model.storage.FileStatsStorage(runs.resolve(runA).resolve("stats.dl4j").toFile());
        try {
            assertEquals(List.of(runA), storage.listSessionIDs());
        } finally {
            storage.close();
        }
    }

    @Test
    void pagesAreReadOnlyLoopbackOnlyAndRunIdsCannotEscapeTheRunsFolder() throws Exception {
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create(uiUrl + "api/runs")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        for (String escape : List.of("runs/..%2F..%2F..%2Fetc%2Fpasswd", "api/runs/..%2F..%2Fetc", "api/runs/%2Fetc%2Fpasswd", "dl4j/..",
                "api/runs/" + runA + "%2F..%2F..%2Fdata", "runs/.%2Fruns.mapdb")) {
            HttpResponse<String> r = get(uiUrl + escape);
            assertEquals(404, r.statusCode(), escape + " -> " + r.body());
            assertFalse(r.body().contains("root:"), escape);
        }
        assertEquals(200, get(uiUrl + "api/runs/" + runA).statusCode());
        // DL4J's UI beside it: read-only too (its upload and remote-receiver routes are POSTs)
        HttpResponse<String> redirect = get(uiUrl + "dl4j/" + runB);
        URI dl4j = URI.create(redirect.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> upload = HTTP.send(HttpRequest.newBuilder(dl4j.resolve("/tsne/upload")).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, upload.statusCode());
        // both servers listen on the loopback interface only: the kernel's table of listening sockets says where each is bound
        // (this holds on a machine without any other interface, where connecting from outside cannot be tried)
        for (int port : new int[]{URI.create(uiUrl).getPort(), dl4j.getPort()}) {
            List<String> bound = listeningAddresses(port);
            assertFalse(bound.isEmpty(), "nothing listens on port " + port);
            assertTrue(bound.stream().allMatch(a -> a.equals("127.0.0.1") || a.equals("::1") || a.equals("::ffff:127.0.0.1")),
                    "port " + port + " is bound to " + bound);
        }
        Optional<InetAddress> external = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .filter(i -> !isLoopback(i)).flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(addr -> addr instanceof Inet4Address).findFirst();
        if (external.isPresent()) {
            for (int port : new int[]{URI.create(uiUrl).getPort(), dl4j.getPort()}) {
                assertThrows(ConnectException.class, () -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(external.get(), port), 2000);
                    }
                }, "port " + port + " answers on " + external.get());
            }
        }
    }

    static HttpResponse<String> get(String url, String header, String value) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header(header, value).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void uiBoundBeyondLoopbackRequiresItsTokenAndTheBrowserKeepsItInACookie() throws Exception {
        Path log = dir.resolve("ui-any-address.log");
        Process open = child(log, "ui", "--runs-dir", runs.toString(), "--port", "0", "--host", "0.0.0.0");
        try {
            // printed once, like Jupyter's: the address to open, token included
            String printed = awaitLog(open, log, Pattern.compile("on (http://127\\.0\\.0\\.1:\\d+/\\?token=[0-9a-f]{48})"));
            String token = printed.substring(printed.indexOf("token=") + "token=".length());
            String base = printed.substring(0, printed.indexOf('?'));
            assertTrue(Files.readString(log).contains("warning: --host 0.0.0.0 makes the UI"), Files.readString(log));
            // the rule follows the bind address: over 127.0.0.1, nothing without the token
            for (String path : List.of("", "api/runs", "api/runs/" + runA, "runs/" + runA, "assets/app.js", "dl4j/" + runA)) {
                HttpResponse<String> r = get(base + path);
                assertEquals(401, r.statusCode(), path + " -> " + r.body());
                assertFalse(r.body().contains(runA), path);
            }
            assertEquals(401, get(base + "api/runs", "Authorization", "Bearer " + "0".repeat(48)).statusCode());
            assertEquals(401, get(base + "api/runs?token=" + "0".repeat(48)).statusCode());
            HttpResponse<String> bearer = get(base + "api/runs/" + runA, "Authorization", "Bearer " + token);
            assertEquals(200, bearer.statusCode(), bearer.body());
            assertEquals(runA, JSON.readTree(bearer.body()).path("run").path("id").asText(), bearer.body());
            // ?token= once: an HttpOnly cookie, and the same address without the token
            HttpResponse<String> once = get(base + "runs/" + runA + "?token=" + token);
            assertEquals(302, once.statusCode());
            assertEquals("/runs/" + runA, once.headers().firstValue("Location").orElseThrow());
            String setCookie = once.headers().firstValue("Set-Cookie").orElseThrow();
            assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"), setCookie);
            String cookie = setCookie.substring(0, setCookie.indexOf(';'));
            assertEquals(200, get(base + "api/runs", "Cookie", cookie).statusCode());
            // DL4J's UI beside it requires the token too, and takes the workbench's cookie (cookies do not depend on the port)
            HttpResponse<String> redirect = get(base + "dl4j/" + runA, "Cookie", cookie);
            assertEquals(302, redirect.statusCode(), redirect.body());
            String dl4j = redirect.headers().firstValue("Location").orElseThrow();
            assertEquals(401, get(dl4j).statusCode());
            assertEquals(200, get(dl4j, "Cookie", cookie).statusCode());

            // in a browser: the printed address opens the runs table, and the DL4J view opens from there
            try (HeadlessChromium fresh = HeadlessChromium.launch(dir.resolve("chromium-token-profile"))) {
                fresh.open(printed);
                fresh.waitFor("location.search === '' && Number(document.body.dataset.rows) >= 2", 20);
                assertTrue(fresh.text().contains(runA), fresh.text());
                fresh.screenshot(SHOTS.resolve("runs-with-token.png"));
                fresh.open(base + "dl4j/" + runA);
                fresh.waitFor("location.pathname === '/train/" + runA + "/overview' && document.body.innerText.includes('Model Score vs. Iteration')", 20);
            }
            // the token is printed once and stored nowhere: not in the log beyond that line, not in the runs folder
            String text = Files.readString(log);
            assertEquals(text.indexOf(token), text.lastIndexOf(token), text);
            try (var files = Files.walk(runs)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    byte[] bytes;
                    try {
                        bytes = Files.readAllBytes(f);
                    } catch (java.nio.file.NoSuchFileException gone) {
                        continue; // a live run's write-ahead log (stats.dl4j.wal.N) can be replaced between the listing and the read
                    }
                    assertFalse(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).contains(token), f.toString());
                }
            }
        } finally {
            open.destroy();
            open.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theDefaultLoopbackBindNeedsNoToken() throws Exception {
        assertFalse(Files.readString(dir.resolve("ui.log")).contains("token"), Files.readString(dir.resolve("ui.log")));
        assertEquals(200, get(uiUrl + "api/runs/" + runA).statusCode());
        assertEquals(200, get(uiUrl).statusCode());
    }

    /** The local addresses of the sockets listening on {@code port}, from Linux's /proc/net/tcp and tcp6. */
    static List<String> listeningAddresses(int port) throws IOException {
        List<String> out = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path f = Path.of(table);
            if (!Files.isReadable(f)) {
                continue;
            }
            for (String line : Files.readAllLines(f).subList(1, Files.readAllLines(f).size())) {
                String[] c = line.trim().split("\\s+");
                String[] local = c[1].split(":");
                if (!"0A".equals(c[3]) || Integer.parseInt(local[1], 16) != port) {
                    continue; // not listening, or another port
                }
                byte[] raw = java.util.HexFormat.of().parseHex(local[0]);
                byte[] address = new byte[raw.length];
                for (int w = 0; w < raw.length; w += 4) { // each 32-bit word is in the kernel's (little-endian) byte order
                    for (int b = 0; b < 4; b++) {
                        address[w + b] = raw[w + 3 - b];
                    }
                }
                String a = InetAddress.getByAddress(address).getHostAddress();
                out.add(a.equals("0:0:0:0:0:0:0:1") ? "::1" : a.equals("0:0:0:0:0:ffff:7f00:1") ? "::ffff:127.0.0.1" : a);
            }
        }
        return out;
    }

    private static boolean isLoopback(NetworkInterface i) {
        try {
            return i.isLoopback();
        } catch (IOException e) {
            return true;
        }
    }

    @Test
    void fiveHundredRunsLoadSortAndStayReadOnly() throws Exception {
        Path many = dir.resolve("many");
        Files.createDirectories(many);
        ObjectNode info = (ObjectNode) JSON.readTree(runs.resolve(runA).resolve("run.json").toFile());
        ObjectNode m = (ObjectNode) JSON.readTree(runs.resolve(runA).resolve("metrics.json").toFile());
        for (int i = 0; i < 500; i++) {
            String id = String.format(Locale.ROOT, "20261122-%06d-sweep-%04x", i, i);
            Path d = Files.createDirectories(many.resolve(id));
            info.put("id", id).put("name", "sweep" + (i % 7)).put("status", i % 50 == 0 ? "failed" : "completed");
            ((ObjectNode) m.path("test")).put("rmse", 0.7 + (i * 37 % 500) / 1000.0);
            Files.writeString(d.resolve("run.json"), JSON.writeValueAsString(info));
            Files.writeString(d.resolve("metrics.json"), JSON.writeValueAsString(m));
            Files.copy(runs.resolve(runA).resolve("experiment.yaml"), d.resolve("experiment.yaml"));
        }
        assertEquals(500, new RunStore(many).rebuild().indexed());
        List<String> before = listing(many);
        try (WorkbenchServer server = WorkbenchServer.start(new RunStore(many), "127.0.0.1", 0)) {
            List<Long> apiMillis = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                HttpResponse<String> r = get(server.url() + "api/runs");
                apiMillis.add((System.nanoTime() - t0) / 1_000_000);
                JsonNode page = JSON.readTree(r.body());
                assertEquals(500, page.path("total").asInt());
                assertEquals(100, page.path("runs").size(), "one page of 100 runs");
            }
            // the server filters (filter language), sorts and pages: failed runs are every 50th, sweep3 every 7th
            JsonNode failed = JSON.readTree(get(server.url() + "api/runs?q=" + java.net.URLEncoder.encode("status = failed and name in (sweep0, sweep3)",
                    java.nio.charset.StandardCharsets.UTF_8) + "&sort=value&order=asc").body());
            long expected = java.util.stream.IntStream.range(0, 500).filter(i -> i % 50 == 0 && (i % 7 == 0 || i % 7 == 3)).count();
            assertEquals(expected, failed.path("matched").asLong());
            HttpResponse<String> bad = get(server.url() + "api/runs?q=" + java.net.URLEncoder.encode("test.rmse <", java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(400, bad.statusCode());
            assertTrue(JSON.readTree(bad.body()).path("error").asText().contains("position 12"), bad.body());
            List<Long> pageMillis = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                browser.open(server.url() + "?load=" + i);
                browser.waitFor("document.body.dataset.rows === '100' && document.body.dataset.matched === '500'", 20);
                pageMillis.add(browser.eval("Number(document.body.dataset.renderedMs)").asLong());
            }
            // timings are printed for the reader; the benchmark (oncobench bench --cases ui) is where they are measured
            System.out.printf(Locale.ROOT, "500 runs: /api/runs %s ms; page rendered %s ms after navigation start%n", apiMillis, pageMillis);
            browser.screenshot(SHOTS.resolve("runs-500.png"));
            assertEquals("1–100 of 500 matching (500 runs)", browser.eval("document.getElementById('count').innerText").asText());
            // sorting 500 rows by the metric (on the server) puts the smallest RMSE first
            browser.click("th[data-key=value]");
            browser.waitFor("document.querySelector('#runs tbody tr td.metric').innerText === 'RMSE 0.700'", 10);
            // the next page continues the order; the last page holds the rest
            browser.click("#next");
            browser.waitFor("document.getElementById('count').innerText.startsWith('101–200')", 10);
            for (int i = 0; i < 3; i++) {
                browser.click("#next");
            }
            browser.waitFor("document.getElementById('count').innerText.startsWith('401–500')", 10);
            assertTrue(browser.eval("document.getElementById('next').disabled").asBoolean());
            // the filter language in the box; a syntax error is shown with its position, and the table keeps its rows
            browser.type("#filter", "name = sweep3 and status = failed");
            browser.waitFor("document.body.dataset.matched === '" + java.util.stream.IntStream.range(0, 500)
                    .filter(i -> i % 7 == 3 && i % 50 == 0).count() + "'", 10);
            browser.type("#filter", "name = sweep3 and (");
            browser.waitFor("document.body.dataset.filterError === 'true'", 10);
            assertTrue(browser.eval("document.getElementById('filter-error').innerText").asText().contains("position 20"));
        }
        assertEquals(before, listing(many), "the UI wrote into the runs folder");
    }

    private static List<String> listing(Path folder) throws IOException {
        try (Stream<Path> s = Files.walk(folder)) {
            return s.map(p -> folder.relativize(p) + " " + p.toFile().length()).sorted().toList();
        }
    }
}
