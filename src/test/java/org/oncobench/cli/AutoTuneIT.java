package org.oncobench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code oncobench run EXPERIMENT --tune BUDGET} end to end (issue 28 item 5). */
class AutoTuneIT {
    @TempDir
    static Path dir;

    @Test
    void badBudgetsExitTwoNamingTheFlagAndTheForms() {
        RunCommandIT.Result r = RunCommandIT.cli("run", "experiments/quickstart.yaml", "--tune", "ten minutes", "--runs-dir", dir.resolve("r").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--tune 'ten minutes'") && r.err().contains("90s, 10m, 1h or 1h30m"), r.err());
        RunCommandIT.Result small = RunCommandIT.cli("run", "experiments/quickstart.yaml", "--tune", "5s", "--runs-dir", dir.resolve("r").toString());
        assertEquals(2, small.code(), small.err());
        assertTrue(small.err().contains("--tune '5s'") && small.err().contains("from 30s to 24h"), small.err());
        RunCommandIT.Result seeds = RunCommandIT.cli("run", "experiments/quickstart.yaml", "--tune", "10m", "--seeds", "2", "--runs-dir",
                dir.resolve("r").toString());
        assertEquals(2, seeds.code(), seeds.err());
        assertTrue(seeds.err().contains("--tune searches for one run"), seeds.err());
    }

    @Test
    void theChosenConfigurationIsTheRunsModelAndTheSearchIsInMetrics() throws Exception {
        Path data = dir.resolve("data");
        assertEquals(0, RunCommandIT.cli("data", "synth", "--out", data.toString(), "--cell-lines", "60", "--drugs", "6", "--genes", "60",
                "--seed", "5", "--tiles", "0").code());
        Path yaml = dir.resolve("t.yaml");
        Files.writeString(yaml, """
                name: t
                seed: 4
                data:
                  rows: {file: data/GDSC2_fitted_dose_response.csv, sample: COSMIC_ID, drug: DRUG_ID, target: LN_IC50}
                  sample_ids: {file: data/Model.csv, from: COSMICID, to: ModelID}
                  samples:
                    expression: {file: data/OmicsExpressionProteinCodingGenesTPMLogp1.csv, id: ModelID, select: {top_variance: 30}}
                  drugs:
                    fingerprints: {file: data/drugs.csv, id: DRUG_ID, bits: 64}
                split: {kind: cell-blind, test: 0.25, validation: 0.15}
                model: {kind: mlp, tune: {candidates: 3}}
                training: {epochs: 3, batch: 32}
                evaluation: {baselines: [drug_mean, ridge]}
                """);
        Path runs = dir.resolve("runs");
        // model.tune without kind: auto is refused; --tune makes it auto
        RunCommandIT.Result refused = RunCommandIT.cli("run", yaml.toString(), "--runs-dir", runs.toString());
        assertEquals(2, refused.code(), refused.err());
        assertTrue(refused.err().contains("model.tune") && refused.err().contains("only model.kind: auto searches"), refused.err());
        RunCommandIT.Result r = RunCommandIT.cli("run", yaml.toString(), "--tune", "20m", "--runs-dir", runs.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("tune: 3 of ") && r.err().contains("tune: chose trial"), r.err());
        assertTrue(r.out().contains("tuned (model.kind: auto): trial"), r.out());
        Path run = RunCommandIT.runFolders(runs).get(0);
        JsonNode m = new ObjectMapper().readTree(run.resolve("metrics.json").toFile());
        JsonNode tune = m.path("tune");
        assertEquals(3, tune.path("candidates").size());
        assertEquals(tune.path("plan").path("jobs").asInt(), tune.path("jobs").size());
        assertEquals(4, tune.path("jobs").size(), "3 candidates at 1 epoch, the best of them again at 3");
        assertFalse(tune.path("cut").asBoolean());
        JsonNode chosen = tune.path("chosen");
        String kind = chosen.path("params").path("architecture").asText().startsWith("twin") ? "twin" : "mlp";
        assertEquals(kind, m.path("model").path("kind").asText(), "the run's model is the chosen architecture");
        // the run trains the chosen configuration again under the same seed: its kept validation RMSE is the search's score
        double kept = m.path("training").path("validation").elements().next().asDouble();
        assertEquals(chosen.path("score").asDouble(), kept, 1e-9, "the run's validation metric equals the chosen candidate's top-rung score");
        String resolved = Files.readString(run.resolve("experiment.yaml"));
        assertFalse(resolved.contains("auto") || resolved.contains("tune"), resolved);
        assertTrue(Files.readString(run.resolve("report.md")).contains("## Search (model.kind: auto)"));
    }
}
