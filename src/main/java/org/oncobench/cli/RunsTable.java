package org.oncobench.cli;

import org.oncobench.runs.RunOverrides;
import org.oncobench.runs.RunRecord;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The table {@code runs list} prints: one line per run, per run group (seeds: mean ± sd) and per study (its trials:
 * the best), with the overrides that tell runs apart (a run's {@code --set} keys, a trial's parameters), tags and note.
 * Column widths follow the longest cell, so long names never push a column out of line.
 */
final class RunsTable {
    private static final String[] HEADER = {"id", "name", "status", "split", "model", "metric (best baseline)", "duration", "overrides",
            "tags / note"};
    /** Columns printed right-aligned (numbers). */
    private static final Set<Integer> RIGHT = Set.of(6);

    private RunsTable() {
    }

    /** The table's text, and whether it collapsed any group or study (to print the --expand hint). */
    record Rendered(String text, boolean collapsed) {
    }

    static Rendered render(List<RunRecord> runs, boolean expand) {
        Map<String, List<RunRecord>> groups = new LinkedHashMap<>();
        for (RunRecord r : runs) {
            String key = key(r);
            if (key != null) {
                groups.computeIfAbsent(key, g -> new ArrayList<>()).add(r);
            }
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        Set<String> shown = new HashSet<>();
        for (RunRecord r : runs) {
            String key = key(r);
            if (key == null) {
                rows.add(row(r, ""));
            } else if (shown.add(key)) { // the group's line where its newest run would be
                List<RunRecord> members = groups.get(key);
                rows.add(r.group() != null ? groupRow(r.group(), members) : studyRow(r.study(), members));
                if (expand) {
                    members.forEach(m -> rows.add(row(m, "  ")));
                }
            }
        }
        return new Rendered(aligned(rows), !groups.isEmpty() && !expand);
    }

    /** The line a run collapses under: its run group, else its study; null for a run on its own. */
    private static String key(RunRecord r) {
        return r.group() != null ? "group " + r.group() : r.study() != null ? "study " + r.study() : null;
    }

    static String[] row(RunRecord r, String indent) {
        String metric = r.metric() == null ? "-" : r.metric() + " " + RunsCommand.fmt(r.value())
                + (r.bestBaseline() == null ? "" : " (" + r.bestBaseline() + " " + RunsCommand.fmt(r.baselineValue()) + ")");
        String notes = RunsCommand.tagText(r.tags()) + (r.note() == null ? "" : (r.tags() == null || r.tags().isEmpty() ? "" : " ") + "\""
                + r.note() + "\"");
        return new String[]{indent + r.id(), text(r.name()), text(r.status()), text(r.split()), text(r.model()), metric,
                RunsCommand.duration(r.durationSeconds()), overrideText(distinguishing(r)), notes};
    }

    private static String[] groupRow(String group, List<RunRecord> members) {
        RunRecord r = members.get(0);
        Map<String, String> common = new TreeMap<>(distinguishing(r));
        common.remove("seed"); // the members' seeds: the group line is all of them
        members.forEach(m -> common.entrySet().removeIf(e -> !e.getValue().equals(distinguishing(m).get(e.getKey()))));
        return new String[]{group, text(r.name()), RunsCommand.groupStatus(members), text(r.split()), text(r.model()),
                RunsCommand.groupMetric(members), RunsCommand.duration(total(members)), overrideText(common), members.size() + " seeds"};
    }

    /** A study's line: its trials' status, the models they tried, the best trial's metric, and the parameters it searched. */
    private static String[] studyRow(String study, List<RunRecord> members) {
        RunRecord r = members.get(0);
        RunRecord best = null;
        for (RunRecord m : members) {
            if (m.value() != null && (best == null || ("auc".equals(m.metric()) ? m.value() > best.value() : m.value() < best.value()))) {
                best = m;
            }
        }
        Set<String> searched = new java.util.TreeSet<>();
        members.forEach(m -> searched.addAll(distinguishing(m).keySet()));
        searched.remove("seed");
        String models = String.join(",", members.stream().map(m -> text(m.model())).distinct().sorted().toList());
        String metric = best == null ? "-" : best.metric() + " " + RunsCommand.fmt(best.value()) + " (best of " + members.size() + ")";
        return new String[]{study, text(r.name()), RunsCommand.groupStatus(members), text(r.split()), models, metric,
                RunsCommand.duration(total(members)), searched.isEmpty() ? "" : "searched " + String.join(",", searched),
                members.size() + (members.size() == 1 ? " trial run" : " trial runs")};
    }

    private static Double total(List<RunRecord> members) {
        return members.stream().mapToDouble(m -> m.durationSeconds() == null ? 0 : m.durationSeconds()).sum();
    }

    private static Map<String, String> distinguishing(RunRecord r) {
        return RunOverrides.distinguishing(r);
    }

    private static String overrideText(Map<String, String> overrides) {
        return RunOverrides.text(overrides);
    }

    private static String text(String s) {
        return s == null ? "-" : s;
    }

    /** Columns padded to their widest cell (two spaces apart); a column empty in every run is left out. */
    static String aligned(List<String[]> rows) {
        int columns = HEADER.length;
        boolean[] used = new boolean[columns]; // a column no run fills (no overrides, no tags anywhere) is left out
        for (int c = 0; c < columns; c++) {
            for (int i = 1; i < rows.size() && !used[c]; i++) {
                used[c] = !rows.get(i)[c].isEmpty();
            }
        }
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], row[c].codePointCount(0, row[c].length()));
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            int last = columns - 1;
            while (last > 0 && (row[last].isEmpty() || !used[last])) {
                last--;
            }
            StringBuilder line = new StringBuilder();
            for (int c = 0; c <= last; c++) {
                if (!used[c]) {
                    continue;
                }
                String cell = row[c];
                String pad = " ".repeat(width[c] - cell.codePointCount(0, cell.length()));
                line.append(c == 0 ? "" : "  ").append(RIGHT.contains(c) ? pad + cell : c == last ? cell : cell + pad);
            }
            out.append(line.toString().stripTrailing()).append(String.format(Locale.ROOT, "%n"));
        }
        return out.toString();
    }
}
