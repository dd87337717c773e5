package org.oncobench.study;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oncobench.config.ConfigException;
import org.oncobench.config.StudyConfig;
import org.oncobench.config.StudyLoader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SearchSpaceTest {
    @TempDir
    Path dir;

    private StudyConfig load(String study) throws Exception {
        Path data = Path.of("datasets/synthetic").toAbsolutePath();
        Files.writeString(dir.resolve("base.yaml"), """
                name: base
                data:
                  rows: {file: %1$s/GDSC2_fitted_dose_response.csv, sample: COSMIC_ID, drug: DRUG_ID, target: LN_IC50}
                  sample_ids: {file: %1$s/Model.csv, from: COSMICID, to: ModelID}
                  samples:
                    expression: {file: %1$s/OmicsExpressionProteinCodingGenesTPMLogp1.csv, id: ModelID}
                  drugs:
                    fingerprints: {file: %1$s/drugs.csv, id: DRUG_ID, bits: 64}
                split: {kind: cell-blind, test: 0.2, validation: 0.1}
                model: {kind: mlp, hidden: [8]}
                training: {epochs: 9}
                """.formatted(data));
        Files.writeString(dir.resolve("s.yaml"), study);
        return new StudyLoader().load(dir.resolve("s.yaml"));
    }

    @Test
    void gridCellsCrossWithTheLastKeyFastestThenRandomDraws() throws Exception {
        StudyConfig c = load("""
                experiment: base.yaml
                grid: {model.kind: [mlp, twin], model: {dropout: [0.0, 0.1, 0.2]}}
                random:
                  training.optimizer.lr: {log_uniform: [0.0001, 0.01]}
                  training.batch: {int: [16, 18]}
                  model.hidden: {choice: [[8], [16, 4]]}
                  model.l2: {uniform: [0.0, 0.001]}
                trials: 50
                """);
        SearchSpace s = new SearchSpace(c);
        assertEquals(6, s.gridCells());
        assertEquals(300, s.size());
        assertEquals("mlp", s.params(0).get("model.kind").asText());
        assertEquals(0.1, s.params(50).get("model.dropout").asDouble(), "cell 1: the last grid key moves first");
        assertEquals("twin", s.params(150).get("model.kind").asText());
        Set<Long> batches = new HashSet<>();
        Set<String> hidden = new HashSet<>();
        for (int i = 0; i < s.size(); i++) {
            Map<String, JsonNode> p = s.params(i);
            double lr = p.get("training.optimizer.lr").asDouble();
            assertTrue(lr >= 0.0001 && lr <= 0.01, "lr " + lr);
            batches.add(p.get("training.batch").asLong());
            hidden.add(p.get("model.hidden").toString());
            double l2 = p.get("model.l2").asDouble();
            assertTrue(l2 >= 0 && l2 <= 0.001);
            assertEquals(p, s.params(i), "a trial's draws depend on the seed and its number only");
        }
        assertEquals(Set.of(16L, 17L, 18L), batches, "int is inclusive at both ends");
        assertEquals(Set.of("[8]", "[16,4]"), hidden);
        // log-uniform: about half the draws below the geometric middle 1e-3
        long below = java.util.stream.IntStream.range(0, s.size()).filter(i -> s.params(i).get("training.optimizer.lr").asDouble() < 1e-3).count();
        assertTrue(below > 110 && below < 190, below + " of 300 below 1e-3");
        assertNotEquals(s.params(0).get("model.l2"), s.params(1).get("model.l2"));
    }

    @Test
    void ashaOrderIsASeededPermutation() throws Exception {
        StudyConfig c = load("experiment: base.yaml\ngrid: {model.kind: [mlp, twin, multimodal]}\nrandom: {model.dropout: {uniform: [0, 0.5]}}\ntrials: 4\n");
        SearchSpace s = new SearchSpace(c);
        int[] order = s.order(true);
        assertArrayEquals(order, s.order(true));
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        assertArrayEquals(s.order(false), sorted);
        assertNotEquals(Arrays.toString(s.order(false)), Arrays.toString(order));
    }

    @Test
    void theStudyFileIsCheckedAgainstTheExperiment() throws Exception {
        StudyConfig full = load("experiment: base.yaml\ngrid: {model.kind: [mlp, twin]}\n");
        assertEquals("full", full.search().kind());
        assertEquals(9, full.search().maxEpochs(), "the experiment's training.epochs");
        assertEquals(java.util.List.of(42L), full.seeds(), "without seeds: the experiment's own seed");
        ConfigException e = assertThrows(ConfigException.class, () -> load("""
                experiment: base.yaml
                grid: {model.dropout: [0.1, 1.5]}
                random: {model.l2: {uniform: [0.0, 0.1]}, seed: {int: [1, 3]}}
                search: {kind: asha, metric: validation.auc}
                colour: red
                """));
        String m = e.getMessage();
        assertTrue(m.contains("s.yaml: " + e.violations().size() + " problems in the study:"), m); // it said "in the experiment"
        assertTrue(m.contains("colour: unknown key"), m);
        assertTrue(m.contains("seed: cannot be searched"), m);
        e = assertThrows(ConfigException.class, () -> load("""
                experiment: base.yaml
                grid: {model.dropout: [0.1, 1.5]}
                search: {kind: asha, metric: validation.auc}
                """));
        m = e.getMessage();
        assertTrue(m.contains("grid.model.dropout[1] = 1.5"), m);
        assertTrue(m.contains("search.metric: 'validation.auc'"), m);
    }
}
