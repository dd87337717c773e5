package org.oncobench.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oncobench.config.ExperimentLoader;
import org.oncobench.runs.RunStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** evaluation.uncertainty.kind: ensemble with model.ensemble reuses the ensemble's members instead of training its own (issue 28, item 4). */
class EnsembleUncertaintyTest {
    @Test
    void intervalsUseTheEnsemblesMembersAndTrainNoneOfTheirOwn(@TempDir Path dir) throws Exception {
        RunStore store = new RunStore(dir.resolve("runs"));
        List<String> heard = new ArrayList<>();
        RunResult r = new ExperimentRunner(store, TrainingProgress.QUIET, heard::add).run(new ExperimentLoader().load(Path.of("experiments/quickstart.yaml"),
                List.of("training.epochs=2", "evaluation.baselines=[drug_mean]", "data.samples.expression.select.top_variance=40", "model.hidden=[16]",
                        "model.ensemble={members: 3}", "split.calibration=0.1", "evaluation.uncertainty={kind: ensemble}")));
        JsonNode metrics = new ObjectMapper().readTree(r.dir().resolve("metrics.json").toFile());
        JsonNode calibration = metrics.path("uncertainty").path("calibration");
        assertEquals("ensemble", calibration.path("kind").asText());
        assertEquals(3, calibration.path("samples").asInt(), "the ensemble's three members");
        assertEquals(3, metrics.path("model").path("ensemble").path("members").asInt());
        assertTrue(metrics.path("uncertainty").path("method").asText().contains("an ensemble of 3 networks"), metrics.path("uncertainty").toString());
        double coverage = metrics.path("uncertainty").path("coverage").asDouble();
        assertTrue(coverage > 0.8 && coverage < 0.98, "coverage at 0.9: " + coverage);
        // three members trained once each (model.ensemble's "member i/3" lines), none by the uncertainty analysis ("member i of n")
        assertEquals(3, heard.stream().filter(s -> s.startsWith("ensemble member ") && s.contains("/3")).count(), heard.toString());
        assertTrue(heard.stream().noneMatch(s -> s.matches("ensemble member \\d+ of \\d+.*")), heard.toString());
        try (Stream<Path> files = Files.list(r.dir().resolve(ModelArchive.ENSEMBLE_DIR))) {
            assertEquals(List.of("member-1.zip", "member-2.zip"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        ModelSerializer.restoreComputationGraph(r.dir().resolve(ModelArchive.ENSEMBLE_DIR).resolve("member-2.zip").toFile(), false);
    }
}
