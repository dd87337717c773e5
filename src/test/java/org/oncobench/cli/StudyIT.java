package org.oncobench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code oncobench study} end to end, as child processes (one thread each, so two studies of the same file give the
 * same numbers): successive halving with promoted runs continuing from their checkpoints, the study folder, the
 * leaderboard with its CD test, show/export, the runs filter over trials, and a study killed with SIGKILL that resumes
 * without repeating or losing a job and ends where the uninterrupted study ends.
 */
class StudyIT {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static Path study;
    static Path runs;
    static String studyId;

    @BeforeAll
    static void uninterruptedStudy() throws Exception {
        Path data = Path.of("datasets/synthetic").toAbsolutePath();
        Path experiment = dir.resolve("base.yaml");
        Files.writeString(experiment, """
                name: base
                seed: 5
                data:
                  rows: {file: %1$s/GDSC2_fitted_dose_response.csv, sample: COSMIC_ID, drug: DRUG_ID, target: LN_IC50}
                  sample_ids: {file: %1$s/Model.csv, from: COSMICID, to: ModelID}
                  samples:
                    expression: {file: %1$s/OmicsExpressionProteinCodingGenesTPMLogp1.csv, id: ModelID, select: {top_variance: 200}}
                  drugs:
                    fingerprints: {file: %1$s/drugs.csv, id: DRUG_ID, bits: 256}
                split: {kind: cell-blind, test: 0.2, validation: 0.1}
                model: {kind: mlp, hidden: [64, 16], dropout: 0.1}
                training: {epochs: 9, batch: 128}
                """.formatted(data));
        study = dir.resolve("tiny-study.yaml");
        Files.writeString(study, """
                name: tiny-study
                experiment: base.yaml
                seeds: [1, 2]
                seed: 3
                set:
                  evaluation: {baselines: [drug_mean, ridge]}
                  training.checkpoint_every: 1
                grid:
                  model.kind: [mlp, twin]
                random:
                  model.dropout: {uniform: [0.0, 0.4]}
                trials: 2
                search: {kind: asha, metric: validation.rmse, min_epochs: 1, max_epochs: 3, eta: 3}
                """);
        runs = dir.resolve("runs");
        Process p = child(dir.resolve("first.log"), "study", study.toString(), "--runs-dir", runs.toString());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the study did not finish in 300 s");
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("first.log")));
        studyId = onlyStudy(runs);
    }

    static Process child(Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g", "-jar",
                Path.of("target/oncobench.jar").toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        return pb.start();
    }

    static String onlyStudy(Path runsDir) throws IOException {
        try (var s = Files.list(runsDir.resolve("studies"))) {
            List<Path> studies = s.toList();
            assertEquals(1, studies.size(), studies.toString());
            return studies.get(0).getFileName().toString();
        }
    }

    static boolean isEmpty(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    static List<JsonNode> events(Path runsDir, String id) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(runsDir.resolve("studies").resolve(id).resolve("trials.jsonl"))) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    /**
     * A study chooses on validation rows and reports test rows, so every seed must hold out the same rows: were the split
     * drawn from each seed, a trial's mean validation score would use cell lines that other seeds test on.
     */
    @Test
    void everySeedOfTheStudyHoldsOutTheSameRows() throws Exception {
        JsonNode board = JSON.readTree(runs.resolve("studies").resolve(studyId).resolve("leaderboard.json").toFile());
        Map<Long, Set<String>> testBySeed = new HashMap<>();
        Map<Long, Set<String>> validationBySeed = new HashMap<>();
        Set<Long> splitSeeds = new HashSet<>();
        for (JsonNode t : board.path("trials")) {
            for (JsonNode r : t.path("runs")) {
                Path run = runs.resolve(r.asText());
                JsonNode info = JSON.readTree(run.resolve("run.json").toFile());
                long seed = info.path("params").path("seed").asLong();
                splitSeeds.add(info.path("split_seed").asLong());
                List<String> lines = Files.readAllLines(run.resolve("split.csv"));
                Set<String> test = new HashSet<>();
                Set<String> validation = new HashSet<>();
                for (String line : lines.subList(1, lines.size())) {
                    String key = line.substring(0, line.lastIndexOf(','));
                    String part = line.substring(line.lastIndexOf(',') + 1);
                    (part.equals("test") ? test : part.equals("validation") ? validation : new HashSet<String>()).add(key);
                }
                testBySeed.merge(seed, test, (a, b) -> {
                    assertEquals(a, b, "two trials of seed " + seed + " test on different rows");
                    return a;
                });
                validationBySeed.put(seed, validation);
            }
        }
        assertEquals(Set.of(1L, 2L), testBySeed.keySet());
        assertEquals(Set.of(5L), splitSeeds, "every run's split is drawn from the experiment's seed (5), recorded in run.json");
        for (long a : testBySeed.keySet()) {
            for (long b : validationBySeed.keySet()) {
                Set<String> overlap = new HashSet<>(testBySeed.get(a));
                overlap.retainAll(validationBySeed.get(b));
                assertTrue(overlap.isEmpty(), overlap.size() + " test rows of seed " + a + " are validation rows of seed " + b);
            }
        }
        assertEquals(testBySeed.get(1L), testBySeed.get(2L));
        assertFalse(testBySeed.get(1L).isEmpty());
    }

    @Test
    void successiveHalvingPromotesTheBestAndContinuesFromCheckpoints() throws Exception {
        Path folder = runs.resolve("studies").resolve(studyId);
        for (String f : List.of("study.yaml", "experiment.yaml", "study.json", "trials.jsonl", "leaderboard.json", "cd.svg")) {
            assertTrue(Files.isRegularFile(folder.resolve(f)), f + " missing from the study folder");
        }
        List<JsonNode> events = events(runs, studyId);
        // ASHA's rule, checked against the log: a rung-1 job starts only for a trial in the top third of rung 0's results so far
        Map<Integer, Double> rung0 = new HashMap<>();
        int promotions = 0;
        for (JsonNode e : events) {
            if (e.path("event").asText().equals("result") && e.path("rung").asInt() == 0) {
                rung0.put(e.path("trial").asInt(), e.path("score").asDouble());
            }
            if (e.path("event").asText().equals("start") && e.path("rung").asInt() == 1) {
                promotions++;
                int trial = e.path("trial").asInt();
                List<Double> sorted = rung0.values().stream().sorted().toList();
                int top = rung0.size() / 3;
                assertTrue(top >= promotions, "promotion " + promotions + " with only " + rung0.size() + " finished at rung 0");
                assertTrue(rung0.get(trial) <= sorted.get(top - 1), "trial " + trial + " promoted from outside the top third: " + rung0);
                assertEquals(1, e.path("from_epochs").asInt());
                assertEquals(3, e.path("epochs").asInt());
            }
        }
        assertEquals(1, promotions, "4 trials at rung 0: the top third is one trial");
        JsonNode board = JSON.readTree(folder.resolve("leaderboard.json").toFile());
        assertEquals((4 * 1 + promotions * 2) * 2, board.path("budget").path("epochs_trained").asInt(), "epochs: 4 trials x 1 + 1 x 2 more, 2 seeds");
        assertEquals(4 * 3 * 2, board.path("budget").path("full_search_epochs").asInt());
        assertEquals(4, board.path("trials").size());

        // every (trial, seed) is one run, tagged; the promoted trial's runs trained to 3 epochs in the same folder
        JsonNode trials = board.path("trials");
        JsonNode promoted = null;
        for (JsonNode t : trials) {
            assertEquals(2, t.path("runs").size());
            for (JsonNode r : t.path("runs")) {
                Path run = runs.resolve(r.asText());
                JsonNode info = JSON.readTree(run.resolve("run.json").toFile());
                assertEquals(studyId, info.path("study").asText());
                assertEquals(t.path("trial").asInt(), info.path("params").path("trial").asInt());
                assertEquals(t.path("rung").asInt() == 1 ? 3 : 1, Files.readAllLines(run.resolve("history.jsonl")).size());
            }
            if (t.path("rung").asInt() == 1) {
                promoted = t;
            }
        }
        // the chosen trial: the promoted one (highest rung), whose score is the mean of its runs' validation RMSE
        assertEquals(promoted.path("trial").asInt(), board.path("best").path("trial").asInt());
        double mean = 0;
        for (JsonNode r : promoted.path("runs")) {
            mean += JSON.readTree(runs.resolve(r.asText()).resolve("metrics.json").toFile()).path("training").path("validation").path("rmse").asDouble() / 2;
        }
        assertEquals(mean, board.path("best").path("validation").asDouble(), 1e-12);

        // continuing from the checkpoint gives exactly what training the 3 epochs in one go gives
        Path promotedRun = runs.resolve(promoted.path("runs").get(0).asText());
        assertEquals(3, new YAMLMapper().readTree(promotedRun.resolve("experiment.yaml").toFile()).path("training").path("epochs").asInt());
        Path again = dir.resolve("again");
        Process p = child(dir.resolve("again.log"), "run", promotedRun.resolve("experiment.yaml").toString(), "--runs-dir", again.toString());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("again.log")));
        Path straight = RunCommandIT.runFolders(again).get(0);
        assertEquals(Files.readAllLines(straight.resolve("history.jsonl")), Files.readAllLines(promotedRun.resolve("history.jsonl")));

        // best per kind beside the baselines; the CD test ranks the two kinds and both baselines over the 30 drugs
        assertEquals(Set.of("mlp", "twin"), kinds(board));
        JsonNode cd = board.path("critical_difference");
        assertEquals(4, cd.path("mean_ranks").size(), cd.toString());
        assertEquals(30, cd.path("blocks").asInt());
        double rankSum = 0;
        for (JsonNode r : cd.path("mean_ranks")) {
            rankSum += r.asDouble();
        }
        assertEquals(4 * 5 / 2.0, rankSum, 1e-9, "mean ranks of 4 predictors sum to 1+2+3+4");
        assertTrue(Files.readString(folder.resolve("cd.svg")).contains("class=\"cd-predictor\""));

        RunCommandIT.Result show = RunCommandIT.cli("study", "show", studyId, "--runs-dir", runs.toString());
        assertEquals(0, show.code(), show.err());
        assertTrue(show.out().contains("chosen on validation rows: trial " + promoted.path("trial").asInt()), show.out());
        assertTrue(show.out().contains("critical difference over 30 drugs"), show.out());

        Path bundle = dir.resolve("best.zip");
        RunCommandIT.Result export = RunCommandIT.cli("study", "export", studyId, "--out", bundle.toString(), "--runs-dir", runs.toString());
        assertEquals(0, export.code(), export.err());
        assertTrue(export.out().contains("chosen trial " + promoted.path("trial").asInt()), export.out());
        // the bundle is one of the chosen trial's runs: its metrics are that run's
        String exportedRun = export.out().replaceAll("(?s).*, run (\\S+) \\(validation.*", "$1");
        assertTrue(promoted.path("runs").toString().contains(exportedRun), exportedRun + " not among " + promoted.path("runs"));
        JsonNode bundled = JSON.readTree(org.oncobench.export.Bundle.open(bundle).text("metrics.json"));
        assertEquals(JSON.readTree(runs.resolve(exportedRun).resolve("metrics.json").toFile()).path("test").path("rmse").asDouble(),
                bundled.path("test").path("rmse").asDouble());

        // the runs filter finds a study's trials by parameter
        RunCommandIT.Result twin = RunCommandIT.cli("runs", "list", "--json", "--runs-dir", runs.toString(), "--filter",
                "study = " + studyId + " and model.kind = twin");
        assertEquals(0, twin.code(), twin.err());
        assertEquals(2 * 2, JSON.readTree(twin.out()).size(), "2 twin trials x 2 seeds");
        RunCommandIT.Result bad = RunCommandIT.cli("runs", "list", "--runs-dir", runs.toString(), "--filter", "model.kind = twin and (");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("position 24"), bad.err());
    }

    /** The study page in headless Chromium: leaderboard rows, best per kind beside the baselines, the CD diagram, parallel coordinates. */
    @Test
    void theStudyPageShowsTheLeaderboardTheCdDiagramAndParallelCoordinates() throws Exception {
        JsonNode board = JSON.readTree(runs.resolve("studies").resolve(studyId).resolve("leaderboard.json").toFile());
        try (org.oncobench.ui.WorkbenchServer server = org.oncobench.ui.WorkbenchServer.start(new org.oncobench.runs.RunStore(runs), "127.0.0.1", 0);
             org.oncobench.ui.HeadlessChromium browser = org.oncobench.ui.HeadlessChromium.launch(dir.resolve("chromium-profile"))) {
            browser.open(server.url() + "studies");
            browser.waitFor("document.body.dataset.rows === '1'", 20);
            assertEquals(studyId, browser.eval("document.querySelector('#studies tbody tr').dataset.id").asText());
            browser.click("#studies tbody a");
            browser.waitFor("document.body.dataset.loaded === 'true'", 20);
            // every trial in the trials table, best first (the chosen trial heads it)
            assertEquals(4, browser.eval("document.querySelectorAll('#trials tbody tr').length").asInt());
            assertEquals(board.path("best").path("trial").asText(), browser.eval("document.querySelector('#trials tbody tr').dataset.trial").asText());
            // best per kind beside both baselines
            assertEquals(List.of("mlp", "twin"), List.of(browser.eval("[...document.querySelectorAll('#per-kind tr.model-kind')].map(r => r.dataset.kind).sort()")
                    .get(0).asText(), browser.eval("[...document.querySelectorAll('#per-kind tr.model-kind')].map(r => r.dataset.kind).sort()").get(1).asText()));
            assertEquals(2, browser.eval("document.querySelectorAll('#per-kind tr.baseline').length").asInt());
            // the CD diagram: one marker per predictor at its mean rank, as leaderboard.json has them
            assertEquals(4, browser.eval("document.querySelectorAll('#cd svg .cd-predictor').length").asInt());
            JsonNode ranks = board.path("critical_difference").path("mean_ranks");
            String first = ranks.fieldNames().next();
            assertEquals(ranks.path(first).asDouble(), browser.eval("Number(document.querySelector('#cd .cd-predictor[data-name=\"" + first
                    + "\"]').dataset.rank)").asDouble(), 1e-4);
            // parallel coordinates: one line per trial with a score, an axis per searched key plus the metric
            assertEquals(4, browser.eval("document.querySelectorAll('#parallel .pc-trial').length").asInt());
            assertEquals(3, browser.eval("document.querySelectorAll('#parallel .pc-axis').length").asInt());
            Files.createDirectories(Path.of("target/ui-screenshots"));
            browser.screenshot(Path.of("target/ui-screenshots/study.png"));
        }
    }

    private static Set<String> kinds(JsonNode board) {
        Set<String> out = new HashSet<>();
        board.path("per_kind").forEach(k -> out.add(k.path("kind").asText()));
        board.path("per_kind").forEach(k -> assertTrue(k.path("baselines").has("ridge") && k.path("baselines").has("drug_mean")));
        return out;
    }

    @Test
    void aKilledStudyResumesWithoutRepeatingOrLosingAJob() throws Exception {
        Path killed = dir.resolve("killed-runs");
        Process p = child(dir.resolve("killed.log"), "study", study.toString(), "--runs-dir", killed.toString());
        // kill -9 once two jobs are done and a third has started training
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        String id = null;
        while (System.nanoTime() < deadline) {
            // studies/ exists a moment before the study's own folder inside it: wait for the folder
            if (Files.isDirectory(killed.resolve("studies")) && !isEmpty(killed.resolve("studies"))) {
                id = onlyStudy(killed);
                Path log = killed.resolve("studies").resolve(id).resolve("trials.jsonl");
                if (Files.exists(log)) {
                    List<String> lines = Files.readAllLines(log);
                    long results = lines.stream().filter(l -> l.contains("\"event\":\"result\"")).count();
                    long starts = lines.stream().filter(l -> l.contains("\"event\":\"start\"")).count();
                    if (results >= 2 && starts > results) {
                        break;
                    }
                }
            }
            assertTrue(p.isAlive(), "the study ended before it could be killed: " + Files.readString(dir.resolve("killed.log")));
            Thread.sleep(20);
        }
        p.destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        List<JsonNode> before = events(killed, id);
        RunCommandIT.Result refused = RunCommandIT.cli("study", "resume", "no-such-study", "--runs-dir", killed.toString());
        assertEquals(2, refused.code());

        Process resume = child(dir.resolve("resume.log"), "study", "resume", id, "--runs-dir", killed.toString());
        assertTrue(resume.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, resume.exitValue(), Files.readString(dir.resolve("resume.log")));
        List<JsonNode> after = events(killed, id);
        assertEquals(before, after.subList(0, before.size()), "the log before the kill is kept as it was");
        // no job finished twice, and every started job finished
        Set<String> finished = new HashSet<>();
        Set<String> started = new HashSet<>();
        for (JsonNode e : after) {
            String job = e.path("trial").asInt() + "@" + e.path("rung").asInt();
            if (e.path("event").asText().equals("result")) {
                assertTrue(finished.add(job), "job " + job + " finished twice");
            }
            if (e.path("event").asText().equals("start")) {
                started.add(job);
            }
        }
        assertEquals(started, finished);
        // one run per (trial, seed): the killed job's runs were resumed, not started again
        Map<String, Integer> perTrialSeed = new TreeMap<>();
        for (Path run : RunCommandIT.runFolders(killed).stream().filter(d -> !d.getFileName().toString().equals("studies")).toList()) {
            JsonNode info = JSON.readTree(run.resolve("run.json").toFile());
            perTrialSeed.merge(info.path("params").path("trial").asInt() + "/" + info.path("params").path("seed").asInt(), 1, Integer::sum);
            assertEquals("completed", info.path("status").asText(), run.toString());
        }
        assertEquals(8, perTrialSeed.size());
        assertTrue(perTrialSeed.values().stream().allMatch(n -> n == 1), perTrialSeed.toString());
        // and the study ends exactly where the uninterrupted one ended
        assertEquals(scores(runs, studyId), scores(killed, id));
        assertEquals("completed", JSON.readTree(killed.resolve("studies").resolve(id).resolve("study.json").toFile()).path("status").asText());
    }

    /** trial@rung -> validation score, from the log. */
    private static Map<String, Double> scores(Path runsDir, String id) throws IOException {
        Map<String, Double> out = new TreeMap<>();
        for (JsonNode e : events(runsDir, id)) {
            if (e.path("event").asText().equals("result")) {
                out.put(e.path("trial").asInt() + "@" + e.path("rung").asInt(), e.path("score").asDouble());
            }
        }
        return out;
    }

    /** Two studies started at once into one runs folder: both finish, every run is indexed once, and a rebuild agrees. */
    @Test
    void twoStudiesIntoOneRunsFolderKeepItWhole() throws Exception {
        Path shared = dir.resolve("shared-runs");
        Path small = dir.resolve("small-study.yaml");
        Files.writeString(small, """
                name: small
                experiment: base.yaml
                seeds: [1]
                set: {evaluation.baselines: [drug_mean], training.epochs: 2}
                grid: {model.kind: [mlp, twin]}
                """);
        Process a = child(dir.resolve("shared-a.log"), "study", small.toString(), "--runs-dir", shared.toString());
        Process b = child(dir.resolve("shared-b.log"), "study", small.toString(), "--runs-dir", shared.toString(), "--workers", "2");
        assertTrue(a.waitFor(240, TimeUnit.SECONDS) && b.waitFor(240, TimeUnit.SECONDS));
        assertEquals(0, a.exitValue(), Files.readString(dir.resolve("shared-a.log")));
        assertEquals(0, b.exitValue(), Files.readString(dir.resolve("shared-b.log")));
        List<String> studies;
        try (var st = Files.list(shared.resolve("studies"))) {
            studies = st.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(2, studies.size());
        JsonNode listed = JSON.readTree(RunCommandIT.cli("runs", "list", "--json", "--runs-dir", shared.toString()).out());
        assertEquals(4, listed.size(), "2 studies x 2 trials x 1 seed");
        Set<String> perStudy = new HashSet<>();
        listed.forEach(r -> perStudy.add(r.path("study").asText() + "/" + r.path("params").path("trial").asInt()));
        assertEquals(4, perStudy.size(), perStudy.toString());
        RunCommandIT.Result rebuilt = RunCommandIT.cli("runs", "rebuild", "--runs-dir", shared.toString());
        assertEquals(0, rebuilt.code(), rebuilt.err());
        assertEquals(listed.size(), JSON.readTree(RunCommandIT.cli("runs", "list", "--json", "--runs-dir", shared.toString()).out()).size());
        for (String id : studies) {
            assertEquals(2, JSON.readTree(shared.resolve("studies").resolve(id).resolve("leaderboard.json").toFile()).path("trials").size());
        }
    }

    /**
     * {@code study replay} predicts, from a full study's learning curves, exactly what a real successive-halving study
     * of the same choices chooses and how many epochs it trains (its training seed is one of the full study's), because a
     * promoted run continues bit for bit. A successive-halving study is refused as the full study.
     */
    @Test
    void replayOfAFullStudyPredictsTheRealSearch() throws Exception {
        Path replayRuns = dir.resolve("replay-runs");
        Path full = dir.resolve("full-study.yaml");
        Files.writeString(full, """
                name: full
                experiment: base.yaml
                seeds: [1, 2]
                set: {evaluation.baselines: [drug_mean], training.checkpoint_every: 3}
                grid: {model.kind: [mlp, twin], model.dropout: [0.0, 0.3]}
                search: {kind: full, max_epochs: 3}
                """);
        Path halving = dir.resolve("halving-study.yaml");
        Files.writeString(halving, """
                name: halving
                experiment: base.yaml
                seeds: [2]
                seed: 3
                set: {evaluation.baselines: [drug_mean], training.checkpoint_every: 1}
                grid: {model.kind: [mlp, twin], model.dropout: [0.0, 0.3]}
                search: {kind: asha, metric: validation.rmse, min_epochs: 1, max_epochs: 3, eta: 3}
                """);
        Process a = child(dir.resolve("full.log"), "study", full.toString(), "--runs-dir", replayRuns.toString());
        Process b = child(dir.resolve("halving.log"), "study", halving.toString(), "--runs-dir", replayRuns.toString());
        assertTrue(a.waitFor(300, TimeUnit.SECONDS) && b.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, a.exitValue(), Files.readString(dir.resolve("full.log")));
        assertEquals(0, b.exitValue(), Files.readString(dir.resolve("halving.log")));
        String fullId = null;
        String halvingId = null;
        try (var st = Files.list(replayRuns.resolve("studies"))) {
            for (Path p : st.toList()) {
                String id = p.getFileName().toString();
                if (id.contains("-full-")) {
                    fullId = id;
                } else {
                    halvingId = id;
                }
            }
        }
        RunCommandIT.Result r = RunCommandIT.cli("study", "replay", fullId, halving.toString(), "--searches", "1", "--json", "--runs-dir",
                replayRuns.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode replay = JSON.readTree(r.out());
        JsonNode predicted = null;
        for (JsonNode s : replay.path("searches")) {
            if (s.path("search_seed").asLong() == 3 && s.path("training_seed").asLong() == 2) {
                predicted = s;
            }
        }
        assertTrue(predicted != null, "no search with seed 3 on training seed 2: " + r.out());
        JsonNode board = JSON.readTree(replayRuns.resolve("studies").resolve(halvingId).resolve("leaderboard.json").toFile());
        assertEquals(board.path("budget").path("epochs_trained").asLong(), predicted.path("epochs").asLong(), "epochs the real search trained");
        assertEquals(board.path("best").path("params"), paramsOfFullTrial(replayRuns, fullId, predicted.path("pick").asInt()), "the real search's choice");
        // the full search's pick per seed: the best final validation score of that seed's runs
        Map<Integer, double[]> finals = new TreeMap<>();
        for (JsonNode e : events(replayRuns, fullId)) {
            if (e.path("event").asText().equals("result")) {
                finals.put(e.path("trial").asInt(), new double[]{e.path("scores").get(0).asDouble(), e.path("scores").get(1).asDouble()});
            }
        }
        for (int s = 0; s < 2; s++) {
            int seed = s;
            int best = finals.keySet().stream().min(java.util.Comparator.comparingDouble(t -> finals.get(t)[seed])).orElseThrow();
            assertEquals(best, replay.path("full_search").get(s).path("pick").asInt(), "full search's pick on seed " + (s + 1));
        }
        assertEquals(4 * 3, replay.path("full_search_epochs").asInt());

        RunCommandIT.Result refused = RunCommandIT.cli("study", "replay", halvingId, halving.toString(), "--runs-dir", replayRuns.toString());
        assertEquals(2, refused.code(), refused.out() + refused.err());
        assertTrue(refused.err().contains("successive-halving study") && refused.err().contains("kind: full"), refused.err());
    }

    private static JsonNode paramsOfFullTrial(Path runsDir, String study, int trial) throws IOException {
        for (JsonNode e : events(runsDir, study)) {
            if (e.path("event").asText().equals("start") && e.path("trial").asInt() == trial) {
                return e.path("params");
            }
        }
        throw new AssertionError("no trial " + trial + " in " + study);
    }

    @Test
    void badStudyFilesNameTheKey() throws Exception {
        Path bad = dir.resolve("bad-study.yaml");
        Files.writeString(bad, """
                experiment: base.yaml
                grid: {model.kindd: [mlp]}
                random: {model.dropout: {uniform: [0.5, 0.1]}, training.optimizer.lr: {normal: [0, 1]}}
                search: {kind: asha, min_epochs: 5, max_epochs: 3}
                """);
        RunCommandIT.Result r = RunCommandIT.cli("study", bad.toString(), "--runs-dir", dir.resolve("bad-runs").toString());
        assertEquals(2, r.code(), r.out() + r.err());
        for (String expected : List.of("random.model.dropout.uniform", "random.training.optimizer.lr.normal", "unknown distribution",
                "grid.model.kindd", "search.min_epochs")) {
            assertTrue(r.err().contains(expected), expected + " not named:\n" + r.err());
        }
        assertTrue(!Files.exists(dir.resolve("bad-runs").resolve("studies")), "a refused study leaves no folder");
        Files.writeString(bad, """
                experiment: base.yaml
                grid: {model.kindd: [mlp]}
                search: {kind: asha, min_epochs: 5, max_epochs: 3}
                """);
        r = RunCommandIT.cli("study", bad.toString(), "--runs-dir", dir.resolve("bad-runs").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("model.kindd"), r.err());
        assertTrue(r.err().contains("search.min_epochs"), r.err());
    }
}
