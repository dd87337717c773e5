package org.oncobench.cli;

import org.junit.jupiter.api.Test;
import org.oncobench.runs.RunRecord;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunsTableTest {
    private static RunRecord run(String id, String name, String model, double rmse, String group, String study, Map<String, Object> params,
                                 Map<String, String> overrides, Map<String, String> tags, String note) {
        return new RunRecord(id, name, "completed", "2026-11-22T10:00:00Z", "2026-11-22T10:01:00Z", 1, "h", "cell-blind", model, "rmse", rmse,
                "drug_mean", 1.1, 60.0, null, group, study, params, tags, note, overrides);
    }

    private static Map<String, Object> trial(int trial, double dropout, long seed) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("model.dropout", dropout);
        p.put("trial", trial);
        p.put("seed", seed);
        return p;
    }

    private static final List<RunRecord> RUNS = List.of(
            run("20261122-100500-a-very-long-experiment-name-for-gdsc2-full-1a2b", "a-very-long-experiment-name-for-gdsc2-full", "mlp", 0.812,
                    null, null, null, Map.of("training.epochs", "5"), Map.of("owner", "ana"), "first try"),
            run("20261122-100400-s-t1", "study-q", "mlp", 0.90, null, "20261122-100000-study-q-9f9f", trial(1, 0.5, 1), null, null, null),
            run("20261122-100300-s-t0", "study-q", "mlp", 0.85, null, "20261122-100000-study-q-9f9f", trial(0, 0.2, 1), null, null, null),
            run("20261122-100200-g-s12", "q", "mlp", 0.95, "20261122-100100-q-seeds", null, null,
                    ordered("model.hidden", "[64]", "seed", "12", "seeds", "[]"), null, null),
            run("20261122-100100-g-s11", "q", "mlp", 0.97, "20261122-100100-q-seeds", null, null,
                    ordered("model.hidden", "[64]", "seed", "11", "seeds", "[]"), null, null),
            run("20261122-100000-old-0000", "quickstart", "twin", 0.99, null, null, null, null, null, null)); // recorded before overrides

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void groupsAndStudiesCollapseToOneLineEachWithTheirOverrides() {
        RunsTable.Rendered t = RunsTable.render(RUNS, false);
        List<String> lines = t.text().lines().toList();
        assertEquals(5, lines.size(), t.text()); // header, the long run, the study, the group, the old run
        assertTrue(t.collapsed());
        String study = lines.get(2);
        assertTrue(study.startsWith("20261122-100000-study-q-9f9f") && study.contains("2 completed") && study.contains("rmse 0.850 (best of 2)")
                && study.contains("searched model.dropout") && study.contains("2 trial runs"), study);
        String group = lines.get(3);
        assertTrue(group.startsWith("20261122-100100-q-seeds") && group.contains("rmse 0.960 ± 0.014") && group.contains("model.hidden=[64]")
                && !group.contains("seed=") && group.endsWith("2 seeds"), "the members' common overrides, not their seeds: " + group);
        assertTrue(lines.get(1).contains("training.epochs=5") && lines.get(1).endsWith("owner=ana \"first try\""), lines.get(1));
        RunsTable.Rendered expanded = RunsTable.render(RUNS, true);
        assertFalse(expanded.collapsed());
        String text = expanded.text();
        assertTrue(text.contains("  20261122-100300-s-t0") && text.contains("model.dropout=0.2 seed=1"), text);
        assertFalse(text.contains("trial=") || text.contains("seeds=[]"), "trial numbers and seeds: [] tell nothing apart: " + text);
        assertTrue(text.contains("model.hidden=[64] seed=11"), text);
    }

    @Test
    void columnsStayAlignedForLongNames() {
        List<String> lines = RunsTable.render(RUNS, true).text().lines().toList();
        String header = lines.get(0);
        for (String column : List.of("name", "status", "split", "model", "metric (best baseline)", "overrides", "tags / note")) {
            int at = header.indexOf("  " + column) + 2;
            for (String line : lines.subList(1, lines.size())) {
                if (line.length() > at) {
                    assertEquals(' ', line.charAt(at - 1), "column '" + column + "' starts at " + at + " in every line:\n" + String.join("\n", lines));
                    assertTrue(line.charAt(at) != ' ' || column.equals("overrides") || column.equals("tags / note"),
                            "column '" + column + "' starts at " + at + " in every line:\n" + String.join("\n", lines));
                }
            }
        }
        // the duration column is right-aligned: every line's "1m00s" ends at the header's "duration"
        int end = header.indexOf("duration") + "duration".length();
        lines.subList(1, lines.size()).forEach(l -> assertEquals("1m00s", l.substring(end - 5, end).replace("2m00s", "1m00s")
                .replace("3m00s", "1m00s"), l));
    }

    @Test
    void columnsNoRunFillsAreLeftOut() {
        String text = RunsTable.render(List.of(RUNS.get(RUNS.size() - 1)), false).text();
        assertFalse(text.contains("overrides") || text.contains("tags / note"), text);
    }
}
