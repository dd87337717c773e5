package org.oncobench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oncobench.eval.WilcoxonSignedRank;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.oncobench.cli.RunCommandIT.cli;

/**
 * The run workbench from the command line over three real runs: runs show's summary, runs compare's --diff-only and
 * paired per-drug test, list overrides and filter mistakes, and tag / note / delete / restore / gc with the index in step
 * with the run folders after every step.
 */
class RunsWorkbenchIT {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static Path experiment;
    static Path runs;
    static String a;
    static String b;
    static String c;

    @BeforeAll
    static void threeRuns() throws IOException {
        RunCommandIT.Result synth = cli("data", "synth", "--out", dir.resolve("data").toString(), "--cell-lines", "100", "--drugs", "10",
                "--genes", "120", "--seed", "3", "--tiles", "1", "--tile-size", "16");
        assertEquals(0, synth.code(), synth.err());
        experiment = dir.resolve("bench.yaml");
        Files.writeString(experiment, """
                name: bench
                seed: 11
                data:
                  rows: {file: data/GDSC2_fitted_dose_response.csv, sample: COSMIC_ID, drug: DRUG_ID, target: LN_IC50}
                  sample_ids: {file: data/Model.csv, from: COSMICID, to: ModelID}
                  samples:
                    expression: {file: data/OmicsExpressionProteinCodingGenesTPMLogp1.csv, id: ModelID, select: {top_variance: 80}}
                  drugs:
                    fingerprints: {file: data/drugs.csv, id: DRUG_ID, radius: 2, bits: 128}
                split: {kind: cell-blind, test: 0.25, validation: 0.1}
                model: {kind: mlp, hidden: [32], dropout: 0.1}
                training: {epochs: 4, batch: 32, optimizer: {kind: adam, lr: 0.002}}
                evaluation: {baselines: [global_mean, drug_mean]}
                """);
        runs = dir.resolve("runs");
        a = run();
        b = run("--set", "model.hidden=[16]", "--set", "training.epochs=3");
        c = run("--set", "split.seed=7"); // another split: other test rows
    }

    static String run(String... overrides) {
        List<String> args = new ArrayList<>(List.of("run", experiment.toString(), "--runs-dir", runs.toString()));
        args.addAll(List.of(overrides));
        RunCommandIT.Result r = cli(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        Matcher m = Pattern.compile("Run (\\S+):").matcher(r.out());
        assertTrue(m.find(), r.out());
        return m.group(1);
    }

    static JsonNode metrics(String id) throws IOException {
        return JSON.readTree(runs.resolve(id).resolve("metrics.json").toFile());
    }

    @Test
    void showSummarisesOverridesConfigurationMetricsVerdictAndFiles() throws IOException {
        RunCommandIT.Result show = cli("runs", "show", b, "--runs-dir", runs.toString());
        assertEquals(0, show.code(), show.err());
        String out = show.out();
        assertTrue(out.contains("  overrides: model.hidden=[16] training.epochs=3"), out);
        assertTrue(out.contains("Configuration differences from " + experiment + " (file -> run):"), out);
        assertTrue(Pattern.compile("(?m)^  model\\.hidden\\s+\\[32\\] -> \\[16\\]$").matcher(out).find(), out);
        assertTrue(Pattern.compile("(?m)^  training\\.epochs\\s+4 -> 3$").matcher(out).find(), out);
        JsonNode m = metrics(b);
        JsonNode rmse = m.path("significance").path("intervals").path("model").path("rmse");
        String line = String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", m.path("test").path("rmse").asDouble(), rmse.path("low").asDouble(),
                rmse.path("high").asDouble());
        assertTrue(Pattern.compile("(?m)^  rmse\\s+" + Pattern.quote(line) + "$").matcher(out).find(), line + " in\n" + out);
        assertTrue(out.contains("Verdict: " + m.path("verdict").path("text").asText()), out);
        assertTrue(out.contains("  best baseline " + m.path("best_baseline").asText() + ": rmse "), out);
        long size = Files.size(runs.resolve(b).resolve("metrics.json"));
        assertTrue(Pattern.compile("(?m)^  metrics\\.json\\s+" + Pattern.quote(RunShowText.size(size)) + "$").matcher(out).find(), out);
        assertFalse(out.contains("name: bench"), "the YAML is behind --json, not in the summary:\n" + out);
        // a run of the file as it is
        assertTrue(cli("runs", "show", a, "--runs-dir", runs.toString()).out().contains("Configuration: as in " + experiment));
        // --json keeps everything
        JsonNode json = JSON.readTree(cli("runs", "show", b, "--json", "--runs-dir", runs.toString()).out());
        assertEquals("[16]", json.path("run").path("overrides").path("model.hidden").asText());
        assertEquals(List.of("4", "3"), List.of(json.path("config_differences").path("differences").path("training.epochs").get(0).asText(),
                json.path("config_differences").path("differences").path("training.epochs").get(1).asText()));
        assertEquals(m.path("test").path("rmse").asDouble(), json.path("metrics").path("test").path("rmse").asDouble(), 0);
    }

    @Test
    void compareTestsPerDrugOnTheSameRowsAndSaysWhyNotOtherwise() throws Exception {
        RunCommandIT.Result r = cli("runs", "compare", a, b, "--json", "--runs-dir", runs.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode test = JSON.readTree(r.out()).path("paired_tests").path(a + " vs " + b);
        // recomputed here: per-drug Pearson of each run over the same rows, B minus A, drugs with >= 10 test rows
        Map<String, List<double[]>> byDrug = new TreeMap<>();
        Map<String, Double> predictedB = new TreeMap<>();
        for (String l : Files.readAllLines(runs.resolve(b).resolve("predictions.csv")).subList(1, Files.readAllLines(runs.resolve(b)
                .resolve("predictions.csv")).size())) {
            String[] f = l.split(",");
            predictedB.put(f[0] + "/" + f[1], Double.parseDouble(f[3]));
        }
        for (String l : Files.readAllLines(runs.resolve(a).resolve("predictions.csv")).subList(1, Files.readAllLines(runs.resolve(a)
                .resolve("predictions.csv")).size())) {
            String[] f = l.split(",");
            byDrug.computeIfAbsent(f[1], k -> new ArrayList<>()).add(new double[]{Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                    predictedB.get(f[0] + "/" + f[1])});
        }
        List<Double> d = new ArrayList<>();
        for (List<double[]> rows : byDrug.values()) {
            if (rows.size() >= 10) {
                double[] o = rows.stream().mapToDouble(x -> x[0]).toArray();
                double pa = new PearsonsCorrelation().correlation(o, rows.stream().mapToDouble(x -> x[1]).toArray());
                double pb = new PearsonsCorrelation().correlation(o, rows.stream().mapToDouble(x -> x[2]).toArray());
                d.add(pb - pa);
            }
        }
        WilcoxonSignedRank expected = WilcoxonSignedRank.test(d.stream().mapToDouble(Double::doubleValue).toArray());
        assertEquals("pearson", test.path("metric").asText());
        assertEquals(10, test.path("min_rows_per_drug").asInt());
        assertEquals(d.size(), test.path("drugs").asInt());
        assertEquals(expected.statistic(), test.path("wilcoxon").path("statistic").asDouble(), 1e-9);
        assertEquals(expected.p(), test.path("wilcoxon").path("p").asDouble(), 1e-12);
        System.out.printf(Locale.ROOT, "paired test %s vs %s: %d drugs, W = %.1f, p = %.4f%n", a, b, d.size(), expected.statistic(), expected.p());
        String text = cli("runs", "compare", a, b, "--runs-dir", runs.toString()).out();
        long higher = d.stream().filter(x -> x > 0).count();
        assertTrue(text.contains("Paired test " + a + " vs " + b + ": wilcoxon signed-rank over drugs, two-sided, on per-drug pearson: " + d.size()
                + " drugs with at least 10 test rows; the second run's pearson is higher on " + higher + " of them; "
                + String.format(Locale.ROOT, "median difference (second - first) %+.3f; W = %.1f", test.path("median_difference").asDouble(),
                expected.statistic())), text);

        // another split: no test, and why
        String other = cli("runs", "compare", a, c, "--runs-dir", runs.toString()).out();
        assertTrue(other.contains("Paired test " + a + " vs " + c + ": no paired test: the runs were not tested on the same rows (" + a + " has "), other);
        assertTrue(other.contains("only in the first (e.g. "), other);

        // --diff-only: the baselines (same split and data, so the same numbers) drop out; the model's metrics stay
        String full = cli("runs", "compare", a, b, "--runs-dir", runs.toString()).out();
        String diff = cli("runs", "compare", a, b, "--diff-only", "--runs-dir", runs.toString()).out();
        assertTrue(full.contains("drug_mean.rmse") && !diff.contains("drug_mean.rmse"), diff);
        assertTrue(diff.contains("test.rmse"), diff);
        assertTrue(diff.contains("model.hidden: [32]  |  [16]"), diff);

        // the browser's compare page says the same
        try (org.oncobench.ui.WorkbenchServer server = org.oncobench.ui.WorkbenchServer.start(new org.oncobench.runs.RunStore(runs), "127.0.0.1", 0);
             org.oncobench.ui.HeadlessChromium browser = org.oncobench.ui.HeadlessChromium.launch(dir.resolve("chromium-compare"))) {
            browser.open(server.url() + "compare?ids=" + a + "," + b + "," + c);
            browser.waitFor("document.querySelectorAll('#paired li').length === 2", 20);
            String shown = browser.eval("document.querySelector('#paired li[data-run=\"" + b + "\"]').innerText").asText();
            assertTrue(shown.contains(d.size() + " drugs with at least 10 test rows") && shown.contains(String.format(Locale.ROOT, "W = %.1f",
                    expected.statistic())), shown);
            assertTrue(browser.eval("document.querySelector('#paired li[data-run=\"" + c + "\"]').innerText").asText()
                    .contains("no paired test: the runs were not tested on the same rows"));
            browser.screenshot(Path.of("target/ui-screenshots/compare-paired-test.png"));
        }
    }

    @Test
    void listShowsOverridesAndRefusesUnknownFields() {
        RunCommandIT.Result list = cli("runs", "list", "--runs-dir", runs.toString());
        String bLine = list.out().lines().filter(l -> l.startsWith(b)).findFirst().orElseThrow();
        assertTrue(bLine.contains("model.hidden=[16] training.epochs=3"), list.out());
        assertTrue(list.out().lines().filter(l -> l.startsWith(c)).findFirst().orElseThrow().contains("split.seed=7"), list.out());
        // the header's columns line up with every run's
        String header = list.out().lines().findFirst().orElseThrow();
        int status = header.indexOf("status");
        list.out().lines().skip(1).filter(l -> l.startsWith("2")).forEach(l -> assertEquals("completed", l.substring(status, status + 9), l));

        RunCommandIT.Result typo = cli("runs", "list", "--runs-dir", runs.toString(), "--filter", "test.rmsee < 2");
        assertEquals(2, typo.code(), typo.out());
        assertTrue(typo.err().contains("unknown field 'test.rmsee'; did you mean test.rmse?"), typo.err());
        RunCommandIT.Result param = cli("runs", "list", "--runs-dir", runs.toString(), "--filter", "training.epochs = 3");
        assertEquals(0, param.code(), param.err());
        assertTrue(param.out().contains(b) && !param.out().contains(a), param.out());
        RunCommandIT.Result none = cli("runs", "list", "--runs-dir", runs.toString(), "--filter", "test.rmse < 0.001");
        assertEquals(0, none.code(), none.err());
        assertEquals("0 of 3 runs match test.rmse < 0.001", none.out().trim());
    }

    /** The shortest prefix of {@code id}, at least its date and time, that no other run folder in {@code runs} starts with. */
    static String uniquePrefix(String id, Path runs) throws IOException {
        List<String> others;
        try (Stream<Path> s = Files.list(runs)) {
            others = s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(id) && n.matches("\\d{8}-.*")).toList();
        }
        for (int n = 15; n < id.length(); n++) {
            String prefix = id.substring(0, n);
            if (others.stream().noneMatch(o -> o.startsWith(prefix))) {
                return prefix;
            }
        }
        return id;
    }

    /** The runs list names, and the run folders (with a run.json) of the runs folder: the same set after every step. */
    static void assertIndexMatchesFolders(Path runs, int expected) throws IOException {
        JsonNode listed = JSON.readTree(cli("runs", "list", "--json", "--runs-dir", runs.toString()).out());
        Set<String> ids = new TreeSet<>();
        listed.forEach(r -> ids.add(r.path("id").asText()));
        Set<String> folders;
        try (Stream<Path> s = Files.list(runs)) {
            folders = s.filter(p -> Files.isRegularFile(p.resolve("run.json"))).map(p -> p.getFileName().toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(folders, ids, "runs list agrees with the folders");
        assertEquals(expected, ids.size());
    }

    @Test
    void tagNoteDeleteRestoreGcEndToEndKeepTheIndexInStep() throws IOException {
        // a copy of the runs folder, so the other tests keep their three runs
        Path copy = dir.resolve("manage");
        try (Stream<Path> s = Files.walk(runs)) {
            for (Path p : s.toList()) {
                Path to = copy.resolve(runs.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else if (!p.getFileName().toString().startsWith("runs.mapdb")) {
                    Files.copy(p, to);
                }
            }
        }
        assertEquals(0, cli("runs", "rebuild", "--runs-dir", copy.toString()).code());
        assertIndexMatchesFolders(copy, 3);

        // a prefix no other run shares (runs started in the same second share their first 15 characters)
        RunCommandIT.Result tag = cli("runs", "tag", uniquePrefix(a, copy), "owner=ana", "paper=fig2", "--runs-dir", copy.toString());
        assertEquals(0, tag.code(), tag.err());
        assertEquals("Run " + a + " tags: owner=ana,paper=fig2", tag.out().trim());
        assertEquals(0, cli("runs", "note", a, "baseline run", "--runs-dir", copy.toString()).code());
        String listed = cli("runs", "list", "--runs-dir", copy.toString(), "--filter", "tags.owner = 'ana'").out();
        assertTrue(listed.contains(a) && listed.contains("owner=ana,paper=fig2 \"baseline run\"") && !listed.contains(b), listed);
        assertIndexMatchesFolders(copy, 3);

        RunCommandIT.Result delete = cli("runs", "delete", a, c, "--runs-dir", copy.toString());
        assertEquals(0, delete.code(), delete.err());
        assertTrue(Files.isDirectory(copy.resolve(".trash").resolve(a)) && Files.isDirectory(copy.resolve(".trash").resolve(c)));
        assertIndexMatchesFolders(copy, 1);
        String trash = cli("runs", "list", "--trash", "--runs-dir", copy.toString()).out();
        assertTrue(trash.contains(a) && trash.contains(c) && !trash.contains(b), trash);

        RunCommandIT.Result restore = cli("runs", "restore", a, "--runs-dir", copy.toString());
        assertEquals(0, restore.code(), restore.err());
        assertIndexMatchesFolders(copy, 2);
        // restored with its tags and note
        assertTrue(cli("runs", "list", "--runs-dir", copy.toString(), "--filter", "note = 'baseline run'").out().contains(a));

        RunCommandIT.Result gc = cli("runs", "gc", "--older-than", "0d", "--runs-dir", copy.toString());
        assertEquals(0, gc.code(), gc.err());
        assertTrue(gc.out().contains("Removed " + c) && gc.out().contains("Removed 1 run from the trash"), gc.out());
        assertFalse(Files.exists(copy.resolve(".trash").resolve(c)));
        assertIndexMatchesFolders(copy, 2);
        assertTrue(cli("runs", "list", "--trash", "--runs-dir", copy.toString()).out().startsWith("the trash is empty"));
        // a bad reference deletes nothing
        RunCommandIT.Result bad = cli("runs", "delete", a, "nosuchrun", "--runs-dir", copy.toString());
        assertEquals(2, bad.code());
        assertIndexMatchesFolders(copy, 2);
    }
}
