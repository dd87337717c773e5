package org.oncobench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs that survive: kill -9 and resume, Ctrl-C, two runs at once, a corrupted registry and its rebuild. */
class RunsIT {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static Path experiment;

    @BeforeAll
    static void experiment() throws IOException {
        Path data = Path.of("datasets/synthetic").toAbsolutePath();
        experiment = dir.resolve("survive.yaml");
        Files.writeString(experiment, """
                name: survive
                seed: 5
                data:
                  rows: {file: %1$s/GDSC2_fitted_dose_response.csv, sample: COSMIC_ID, drug: DRUG_ID, target: LN_IC50}
                  sample_ids: {file: %1$s/Model.csv, from: COSMICID, to: ModelID}
                  samples:
                    expression: {file: %1$s/OmicsExpressionProteinCodingGenesTPMLogp1.csv, id: ModelID, select: {top_variance: 300}}
                  drugs:
                    fingerprints: {file: %1$s/drugs.csv, id: DRUG_ID, bits: 256}
                split: {kind: cell-blind, test: 0.2, validation: 0.1}
                model: {kind: mlp, hidden: [128, 32], dropout: 0.1}
                training: {epochs: 24, batch: 64, checkpoint_every: 2, keep_checkpoints: 2}
                evaluation: {baselines: [global_mean, drug_mean]}
                """.formatted(data));
    }

    static Process child(Path runs, String... extra) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g", "-jar",
                Path.of("target/oncobench.jar").toAbsolutePath().toString(), "run", experiment.toString(), "--runs-dir", runs.toString()));
        cmd.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(RunCommandIT.withDefaultSigint(cmd)).redirectErrorStream(true).redirectOutput(dir.resolve("child-" + System.nanoTime() + ".log").toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        return pb.start();
    }

    /** Waits until a run folder under {@code runs} has a checkpoint, and returns that folder. */
    static Path awaitCheckpoint(Path runs, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            for (Path run : RunCommandIT.runFolders(runs)) {
                if (Files.exists(run.resolve("checkpoints/epoch-0002.json"))) {
                    return run;
                }
            }
            assertTrue(p.isAlive(), "the child ended before its first checkpoint");
            Thread.sleep(10);
        }
        throw new AssertionError("no checkpoint within 120 s");
    }

    static JsonNode list(Path runs) throws IOException {
        RunCommandIT.Result r = RunCommandIT.cli("runs", "list", "--json", "--runs-dir", runs.toString());
        assertEquals(0, r.code(), r.err());
        return JSON.readTree(r.out());
    }

    @Test
    void killedRunIsInterruptedThenResumesToTheSameMetrics() throws Exception {
        Path reference = dir.resolve("reference");
        assertEquals(0, RunCommandIT.cli("run", experiment.toString(), "--runs-dir", reference.toString()).code());
        JsonNode expected = JSON.readTree(RunCommandIT.runFolders(reference).get(0).resolve("metrics.json").toFile());

        Path runs = dir.resolve("killed");
        Process p = child(runs);
        Path run = awaitCheckpoint(runs, p);
        p.destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertFalse(Files.exists(run.resolve("metrics.json")), "killed before the end");
        JsonNode listed = list(runs);
        assertEquals(1, listed.size());
        assertEquals("interrupted", listed.get(0).get("status").asText(), "a dead pid's running run reads as interrupted");
        assertEquals("running", JSON.readTree(run.resolve("run.json").toFile()).get("status").asText(), "nothing rewrote the folder");

        String id = run.getFileName().toString();
        // the newest checkpoint is damaged: resume says so and falls back to the one before
        Path newest;
        try (var files = Files.list(run.resolve("checkpoints"))) {
            newest = files.filter(f -> f.getFileName().toString().matches("epoch-\\d+\\.zip")).sorted().reduce((a, b) -> b).orElseThrow();
        }
        Files.write(newest, new byte[]{1, 2, 3});
        RunCommandIT.Result resumed = RunCommandIT.cli("resume", id, "--runs-dir", runs.toString());
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("resuming run " + id), resumed.err());
        String damaged = newest.getFileName().toString().replace(".zip", "");
        assertTrue(resumed.err().contains("warning: checkpoint " + damaged + " is damaged")
                && (resumed.err().contains("instead") || resumed.err().contains("training starts again from epoch 1")), resumed.err());
        JsonNode metrics = JSON.readTree(run.resolve("metrics.json").toFile());
        assertEquals(expected.get("test"), metrics.get("test"), "resumed from a checkpoint = never interrupted");
        assertEquals(24, metrics.get("history").size());
        assertEquals("completed", list(runs).get(0).get("status").asText());
        assertEquals(2, Files.list(run.resolve("checkpoints")).filter(f -> f.toString().endsWith(".zip")).count(), "keep_checkpoints: 2");
        JsonNode provenance = JSON.readTree(run.resolve("provenance.json").toFile());
        assertEquals(64, provenance.get("config_hash").asText().length());
        assertEquals(4, provenance.get("inputs").size());
        assertTrue(Files.size(run.resolve("stats.dl4j")) > 0);
        assertEquals(24, Files.readAllLines(run.resolve("history.jsonl")).size(), "the live log holds each epoch once");
        // a completed run is not resumed again
        RunCommandIT.Result again = RunCommandIT.cli("resume", id, "--runs-dir", runs.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains("is completed; only interrupted or failed runs can be resumed"), again.err());
    }

    @Test
    void resumeWithoutACheckpointRewritesTheHistory() throws Exception {
        Path runs = dir.resolve("no-checkpoint");
        Process p = child(runs, "--set", "training.checkpoint_every=0");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        Path run = null;
        while (run == null && System.nanoTime() < deadline) {
            for (Path r : RunCommandIT.runFolders(runs)) {
                Path h = r.resolve("history.jsonl");
                if (Files.exists(h) && Files.readAllLines(h).size() >= 3) {
                    run = r;
                }
            }
            assertTrue(p.isAlive(), "the child ended before its third epoch");
            Thread.sleep(10);
        }
        assertTrue(run != null, "no third epoch within 120 s");
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertFalse(Files.exists(run.resolve("checkpoints")), "checkpoint_every: 0 writes none");
        RunCommandIT.Result resumed = RunCommandIT.cli("resume", run.getFileName().toString(), "--runs-dir", runs.toString());
        assertEquals(0, resumed.code(), resumed.err());
        List<String> lines = Files.readAllLines(run.resolve("history.jsonl"));
        assertEquals(24, lines.size(), "every epoch once, not the interrupted attempt's epochs again: " + lines);
        for (int e = 0; e < 24; e++) {
            assertEquals(e + 1, JSON.readTree(lines.get(e)).get("epoch").asInt(), lines.get(e));
        }
    }

    @Test
    void ctrlCMarksTheRunInterruptedWithExitCode130() throws Exception {
        Path runs = dir.resolve("sigint");
        Process p = child(runs);
        Path run = awaitCheckpoint(runs, p);
        assertEquals(0, new ProcessBuilder("bash", "-c", "kill -INT " + p.pid()).start().waitFor()); // bash's builtin kill
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(130, p.exitValue());
        JsonNode status = JSON.readTree(run.resolve("run.json").toFile());
        assertEquals("interrupted", status.get("status").asText());
        assertTrue(status.get("error").asText().contains("oncobench resume " + run.getFileName()), status.toString());
        String console;
        try (var logs = Files.list(dir)) {
            Path log = logs.filter(f -> f.getFileName().toString().startsWith("child-")).filter(f -> {
                try {
                    return Files.readString(f).contains(run.getFileName().toString());
                } catch (IOException e) {
                    return false;
                }
            }).findFirst().orElseThrow();
            console = Files.readString(log);
        }
        assertTrue(console.contains("interrupted: run " + run.getFileName()) && console.contains("oncobench resume " + run.getFileName()
                + " --runs-dir " + runs), console);
    }

    @Test
    void twoRunsAtOnceAreBothRecorded() throws Exception {
        Path runs = dir.resolve("concurrent");
        Process a = child(runs, "--set", "name=first", "--set", "training.epochs=6");
        Process b = child(runs, "--set", "name=second", "--set", "training.epochs=6");
        assertTrue(a.waitFor(180, TimeUnit.SECONDS) && b.waitFor(180, TimeUnit.SECONDS));
        assertEquals(0, a.exitValue());
        assertEquals(0, b.exitValue());
        JsonNode listed = list(runs);
        assertEquals(2, listed.size());
        List<String> names = new ArrayList<>();
        for (JsonNode r : listed) {
            assertEquals("completed", r.get("status").asText());
            JsonNode own = JSON.readTree(runs.resolve(r.get("id").asText()).resolve("metrics.json").toFile());
            assertEquals(own.get("test").get("rmse").asDouble(), r.get("value").asDouble(), 0.0, "the registry holds the run's own RMSE");
            names.add(r.get("name").asText());
        }
        assertTrue(names.containsAll(List.of("first", "second")), names.toString());

        // compare: metrics side by side and the configuration difference
        String first = listed.get(0).get("id").asText();
        String second = listed.get(1).get("id").asText();
        RunCommandIT.Result cmp = RunCommandIT.cli("runs", "compare", first, second, "--json", "--runs-dir", runs.toString());
        assertEquals(0, cmp.code(), cmp.err());
        JsonNode diff = JSON.readTree(cmp.out()).get("config_differences");
        assertEquals(1, diff.size(), diff.toString());
        assertTrue(diff.has("name"));
        RunCommandIT.Result text = RunCommandIT.cli("runs", "compare", first, second, "--runs-dir", runs.toString());
        assertTrue(text.out().contains(first) && text.out().contains(second), "whole run ids in the table: " + text.out());
        RunCommandIT.Result show = RunCommandIT.cli("runs", "show", first, "--json", "--runs-dir", runs.toString());
        JsonNode shown = JSON.readTree(show.out());
        assertEquals(first, shown.get("run").get("id").asText());
        assertEquals(listed.get(0).get("value").asDouble(), shown.get("metrics").get("test").get("rmse").asDouble(), 0.0);
        assertTrue(shown.get("provenance").get("versions").get("dl4j").asText().startsWith("1.0.0"));
        RunCommandIT.Result table = RunCommandIT.cli("runs", "list", "--runs-dir", runs.toString());
        assertTrue(table.out().contains(first) && table.out().contains("rmse"), table.out());
    }

    @Test
    void corruptedRegistryNamesRebuildAndRebuildRestoresEveryRun() throws Exception {
        Path runs = dir.resolve("corrupt");
        for (int i = 0; i < 2; i++) {
            assertEquals(0, RunCommandIT.cli("run", experiment.toString(), "--runs-dir", runs.toString(), "--set", "training.epochs=2").code());
        }
        Path db = runs.resolve("runs.mapdb");
        byte[] garbage = new byte[4096];
        new java.util.Random(1).nextBytes(garbage);
        Files.write(db, garbage);
        RunCommandIT.Result broken = RunCommandIT.cli("runs", "list", "--runs-dir", runs.toString());
        assertEquals(2, broken.code(), broken.out());
        assertTrue(broken.err().contains("runs.mapdb is unreadable") && broken.err().contains("oncobench runs rebuild"), broken.err());
        RunCommandIT.Result rebuilt = RunCommandIT.cli("runs", "rebuild", "--runs-dir", runs.toString());
        assertEquals(0, rebuilt.code(), rebuilt.err());
        assertTrue(rebuilt.out().contains("Indexed 2 runs"), rebuilt.out());
        JsonNode listed = list(runs);
        assertEquals(2, listed.size());
        for (JsonNode r : listed) {
            assertEquals("completed", r.get("status").asText());
        }
        // ids that try to leave the runs folder are refused
        RunCommandIT.Result escape = RunCommandIT.cli("runs", "show", "../" + runs.getFileName(), "--runs-dir", runs.toString());
        assertEquals(2, escape.code());
        assertTrue(escape.err().contains("is not a run id"), escape.err());
        assertTrue(new File(runs.toFile(), "runs.mapdb").length() > 0);

        // a healthy index is rebuilt in place: no copies left beside it, however often
        for (int i = 0; i < 2; i++) {
            assertEquals(0, RunCommandIT.cli("runs", "rebuild", "--runs-dir", runs.toString()).code());
        }
        try (var files = Files.list(runs)) {
            List<String> names = files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("runs.mapdb")).sorted().toList();
            assertEquals(List.of("runs.mapdb"), names, "rebuild leaves only the index");
        }
        // folders it cannot index are listed with the reason, and a "completed" run without metrics is not completed
        List<Path> folders = RunCommandIT.runFolders(runs);
        Files.writeString(folders.get(0).resolve("run.json"), "{not json");
        Files.delete(folders.get(1).resolve("metrics.json"));
        RunCommandIT.Result partial = RunCommandIT.cli("runs", "rebuild", "--runs-dir", runs.toString());
        assertEquals(0, partial.code(), partial.err());
        assertTrue(partial.out().contains("Indexed 2 runs"), partial.out());
        assertTrue(partial.out().contains(folders.get(0).getFileName() + ": run.json is not valid JSON"), partial.out());
        assertTrue(partial.out().contains(folders.get(1).getFileName() + ": marked completed but metrics.json is missing"), partial.out());
        java.util.Map<String, JsonNode> after = new java.util.HashMap<>();
        list(runs).forEach(r -> after.put(r.get("id").asText(), r));
        assertEquals(2, after.size(), "a folder with an unreadable run.json stays listed, as damaged");
        JsonNode damaged = after.get(folders.get(0).getFileName().toString());
        assertEquals("damaged", damaged.get("status").asText());
        JsonNode failed = after.get(folders.get(1).getFileName().toString());
        assertEquals("failed", failed.get("status").asText());
        assertTrue(failed.get("error").asText().contains("metrics.json is missing"), failed.toString());
    }
}
