package org.oncobench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * experiments/dreval-example.yaml through the CLI on DrEval's real example data (../shared/datasets/dreval-example):
 * leave-cell-line-out 5-fold end to end, every row accounted for in run.json, each cell line tested in exactly one fold
 * and never trained on there; and the same fingerprints written as DrEval's transposed map give the identical run.
 */
class DrEvalExampleIT {
    static final Path DATA = Path.of("../shared/datasets/dreval-example").toAbsolutePath().normalize();
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void lcoFiveFoldRunsEndToEndAndBothFingerprintLayoutsGiveOneRun() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(DATA.resolve("response_example.csv")),
                "skipped: the shared dreval-example data is not beside the project (" + DATA + ")");
        List<String> fast = List.of("--set", "training.epochs=3", "--set", "evaluation.baselines=[drug_mean, ridge]", "--set",
                "evaluation.bootstrap=100");
        Path rowsForm = run("rows", fast);
        JsonNode data = JSON.readTree(rowsForm.resolve("run.json").toFile()).get("data");
        assertEquals(List.of(2329, 20, 2309, 27, 2282, 87, 32), List.of(data.get("rows_read").asInt(), data.get("rows_missing_target").asInt(),
                data.get("rows_joined").asInt(), data.get("replicate_rows_merged").asInt(), data.get("rows").asInt(), data.get("samples").asInt(),
                data.get("drugs").asInt()), data.toString());
        JsonNode m = JSON.readTree(rowsForm.resolve("metrics.json").toFile());
        assertEquals("kfold", m.get("split").get("kind").asText());
        assertEquals("sample", m.get("split").get("group").asText(), "LCO leaves cell lines out");
        assertEquals(5, m.get("folds").size());
        assertEquals(2282, m.get("test").get("n").asInt(), "every pair is tested once, out of fold");

        // split.csv: each cell line is in the test part of exactly one fold, and in no fold on both sides
        List<String> lines = Files.readAllLines(rowsForm.resolve("split.csv"));
        Map<String, Set<Integer>> testFolds = new HashMap<>();
        Map<String, Set<Integer>> trainFolds = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = parse(line);
            for (int f = 0; f < 5; f++) {
                Map<String, Set<Integer>> side = "test".equals(cells[2 + f]) ? testFolds : trainFolds;
                side.computeIfAbsent(cells[0], k -> new HashSet<>()).add(f);
            }
        }
        assertEquals(87, testFolds.size());
        for (Map.Entry<String, Set<Integer>> e : testFolds.entrySet()) {
            assertEquals(1, e.getValue().size(), e.getKey() + " is tested in one fold");
            assertTrue(!trainFolds.getOrDefault(e.getKey(), Set.of()).containsAll(e.getValue()), e.getKey() + " is trained on where tested");
        }

        // DrEval's own orientation of the same bits: one column per pubchem id, one row per bit
        List<String> fp = Files.readAllLines(DATA.resolve("fingerprints_example.csv"));
        List<String[]> rows = new ArrayList<>();
        fp.subList(1, fp.size()).forEach(l -> rows.add(l.split(",")));
        StringBuilder map = new StringBuilder(String.join(",", rows.stream().map(r -> r[0]).toList())).append('\n');
        for (int bit = 1; bit < rows.get(0).length; bit++) {
            final int b = bit;
            map.append(String.join(",", rows.stream().map(r -> r[b]).toList())).append('\n');
        }
        Path mapFile = dir.resolve("pubchem_id_to_demorgan_128_map.csv");
        Files.writeString(mapFile, map);
        List<String> transposed = new ArrayList<>(fast);
        transposed.addAll(List.of("--set", "data.dreval.fingerprints=" + mapFile));
        Path mapForm = run("map", transposed);
        assertEquals(Files.readString(rowsForm.resolve("predictions.csv")), Files.readString(mapForm.resolve("predictions.csv")));
        assertEquals(JSON.readTree(rowsForm.resolve("metrics.json").toFile()).get("summary"),
                JSON.readTree(mapForm.resolve("metrics.json").toFile()).get("summary"));
    }

    private Path run(String name, List<String> overrides) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "experiments/dreval-example.yaml", "--runs-dir", dir.resolve(name).toString()));
        args.addAll(overrides);
        RunCommandIT.Result r = RunCommandIT.cli(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertTrue((r.out() + r.err()).contains("20 rows have no AUC and were dropped"), r.out() + r.err());
        return RunCommandIT.runFolders(dir.resolve(name)).get(0);
    }

    /** A split.csv line: cell line names may be quoted (they hold spaces and commas). */
    private static String[] parse(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (char ch : line.toCharArray()) {
            if (ch == '"') {
                quoted = !quoted;
            } else if (ch == ',' && !quoted) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(ch);
            }
        }
        cells.add(cell.toString());
        return cells.toArray(String[]::new);
    }
}
