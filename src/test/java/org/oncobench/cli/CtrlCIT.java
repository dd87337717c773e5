package org.oncobench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ctrl-C at several moments of a run (issue 26 item 10): never an internal error, always exit 130 and a run marked
 * {@code interrupted} that {@code resume} accepts. DL4J's statistics storage is written every iteration here
 * ({@code stats_every: 1}), so a signal nearly always lands while the listener writes it.
 */
class CtrlCIT {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static Path experiment;

    @BeforeAll
    static void experiment() throws IOException {
        Path data = Path.of("datasets/synthetic").toAbsolutePath();
        experiment = dir.resolve("ctrlc.yaml");
        Files.writeString(experiment, """
                name: ctrlc
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
                training: {epochs: 12, batch: 64, checkpoint_every: 1, keep_checkpoints: 2, stats_every: 1}
                evaluation: {baselines: [global_mean, drug_mean]}
                """.formatted(data));
    }

    private static Process child(Path runs, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g", "-jar",
                Path.of("target/oncobench.jar").toAbsolutePath().toString(), "run", experiment.toString(), "--runs-dir", runs.toString()));
        ProcessBuilder pb = new ProcessBuilder(RunCommandIT.withDefaultSigint(cmd)).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        return pb.start();
    }

    /** The run folder once its history has {@code epochs} lines. */
    private static Path awaitEpochs(Path runs, Process p, int epochs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            for (Path run : RunCommandIT.runFolders(runs)) {
                Path h = run.resolve("history.jsonl");
                if (Files.exists(h) && Files.readAllLines(h).size() >= epochs) {
                    return run;
                }
            }
            assertTrue(p.isAlive(), "the child ended before epoch " + epochs);
            Thread.sleep(5);
        }
        throw new AssertionError("no epoch " + epochs + " within 180 s");
    }

    @Test
    void ctrlCAtAnyMomentLeavesAResumableInterruptedRunAndNoInternalError() throws Exception {
        // delays after the first epoch: at the epoch's end (checkpoint being written), and mid-epoch at several points
        long[] delaysMs = {0, 37, 120, 290, 650};
        for (int attempt = 0; attempt < delaysMs.length; attempt++) {
            Path runs = dir.resolve("runs-" + attempt);
            Path log = dir.resolve("child-" + attempt + ".log");
            Process p = child(runs, log);
            Path run = awaitEpochs(runs, p, 1);
            Thread.sleep(delaysMs[attempt]);
            assertEquals(0, new ProcessBuilder("bash", "-c", "kill -INT " + p.pid()).start().waitFor()); // bash's builtin kill
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child stops after Ctrl-C");
            String console = Files.readString(log);
            String at = "attempt " + attempt + " (" + delaysMs[attempt] + " ms after epoch 1): ";
            assertFalse(console.contains("internal error"), at + console);
            assertFalse(console.contains("Exception") || console.contains("Error:"), at + console);
            assertEquals(130, p.exitValue(), at + console);
            JsonNode status = JSON.readTree(run.resolve("run.json").toFile());
            assertEquals("interrupted", status.get("status").asText(), at + status);
            assertTrue(status.get("error").asText().contains("oncobench resume " + run.getFileName()), at + status);
            assertTrue(console.contains("interrupted: run " + run.getFileName()), at + console);
            RunCommandIT.Result listed = RunCommandIT.cli("runs", "list", "--json", "--runs-dir", runs.toString());
            assertEquals("interrupted", JSON.readTree(listed.out()).get(0).get("status").asText(), at + listed.out());
            if (attempt == 0) { // resumable: the first one is resumed, for a few more epochs, to completion
                RunCommandIT.Result resumed = RunCommandIT.cli("resume", run.getFileName().toString(), "--runs-dir", runs.toString());
                // resuming trains the remaining epochs; the run completes and the index agrees
                assertEquals(0, resumed.code(), resumed.err());
                assertEquals("completed", JSON.readTree(run.resolve("run.json").toFile()).get("status").asText());
            }
        }
    }
}
