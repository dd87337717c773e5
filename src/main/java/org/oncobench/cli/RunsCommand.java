package org.oncobench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.oncobench.config.BadInputException;
import org.oncobench.runs.Json;
import org.oncobench.runs.RunAnnotations;
import org.oncobench.runs.RunTrash;
import org.oncobench.runs.RunComparison;
import org.oncobench.runs.RunConfigDiff;
import org.oncobench.train.RunPairedTest;
import org.oncobench.runs.RunRecord;
import org.oncobench.runs.RunRecords;
import org.oncobench.runs.RunStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code oncobench runs list | show | compare | tag | note | delete | restore | gc | rebuild}: browse and manage the run
 * registry. RUN is a full id, a unique prefix of one, or {@code latest}.
 */
@Command(name = "runs", mixinStandardHelpOptions = true, description = {"List, show, compare, tag and delete runs; rebuild the registry from the "
        + "run folders.", "RUN: a full run id, a unique prefix of one (20261202-0658), or 'latest'."},
        subcommands = {RunsCommand.ListRuns.class, RunsCommand.Show.class, RunsCommand.Compare.class, RunsCommand.Tag.class, RunsCommand.Note.class,
                RunsCommand.Delete.class, RunsCommand.Restore.class, RunsCommand.Gc.class, RunsCommand.Rebuild.class})
final class RunsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static class Common {
        @CommandLine.Mixin
        RunsDirOption runs = new RunsDirOption();

        @Option(names = "--json", description = "Print JSON instead of a table.")
        boolean json;
    }

    static String fmt(Double v) {
        return v == null || !Double.isFinite(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }

    static String duration(Double seconds) {
        if (seconds == null) {
            return "-";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60) : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every run, newest first.")
    static final class ListRuns implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin
        Common common = new Common();
        @Option(names = "--expand", description = "Show the runs of each run group (seeds) and each study (trials) under its line.")
        boolean expand;
        @Option(names = "--filter", paramLabel = "QUERY", description = "Only runs that match, e.g. \"model.kind = mlp and test.rmse < 0.9 or "
                + "name like 'gdsc%'\", \"split.kind in (cell-blind, drug-blind)\", \"study = ID\" (and, or, not, =, !=, <, <=, >, >=, in, like).")
        String filter;
        @Option(names = "--sort", paramLabel = "FIELD", description = "Sort by a field (id, name, started, test.rmse, duration, ...; default: id, newest first).")
        String sort;
        @Option(names = "--asc", description = "Ascending order (default with --sort FIELD: descending).")
        boolean ascending;
        @Option(names = "--trash", description = "The deleted runs in runs/.trash/ instead (restore with runs restore; runs gc empties it).")
        boolean trash;

        @Override
        public void run() {
            RunStore store = new RunStore(common.runs.runsDir);
            if (trash) {
                listTrashTo(spec.commandLine().getOut(), new RunTrash(store), common.json);
                return;
            }
            org.oncobench.runs.RunListing.Page page = filter == null && sort == null ? null
                    : new org.oncobench.runs.RunListing(store).page(filter, sort, !ascending, 0, Integer.MAX_VALUE);
            List<RunRecord> runs = page == null ? store.list() : page.runs();
            PrintWriter out = spec.commandLine().getOut();
            if (common.json) {
                out.print(Json.write(runs));
            } else if (runs.isEmpty() && page != null && page.total() > 0) {
                out.println("0 of " + page.total() + (page.total() == 1 ? " run matches " : " runs match ") + filter);
            } else if (runs.isEmpty()) {
                out.println("no runs in " + common.runs.runsDir.toAbsolutePath().normalize());
            } else {
                RunsTable.Rendered table = RunsTable.render(runs, expand);
                out.print(table.text());
                if (table.collapsed()) {
                    out.println("(run groups show mean ± sd over their seeds, studies their best trial; --expand lists the runs)");
                }
            }
            out.flush();
        }
    }

    /** The trash: each deleted run and when it was deleted. */
    private static void listTrashTo(PrintWriter out, RunTrash trash, boolean json) {
        List<RunTrash.Trashed> deleted = trash.list();
        if (json) {
            out.print(Json.write(deleted.stream().map(t -> Map.of("id", t.id(), "deleted", t.deleted().toString())).toList()));
        } else if (deleted.isEmpty()) {
            out.println("the trash is empty (" + trash.dir() + ")");
        } else {
            int w = deleted.stream().mapToInt(t -> t.id().length()).max().orElse(0);
            out.printf(Locale.ROOT, "%-" + w + "s  %s%n", "id", "deleted");
            deleted.forEach(t -> out.printf(Locale.ROOT, "%-" + w + "s  %s%n", t.id(), t.deleted()));
        }
        out.flush();
    }

    /** "3 completed", or the mix: "2 completed, 1 failed". */
    static String groupStatus(List<RunRecord> members) {
        Map<String, Long> counts = new java.util.TreeMap<>();
        members.forEach(m -> counts.merge(m.status(), 1L, Long::sum));
        return counts.size() == 1 ? members.size() + " " + counts.keySet().iterator().next()
                : String.join(", ", counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).toList());
    }

    /** The headline metric's mean ± sd over the group's completed runs, and the best baseline's where all runs name the same. */
    static String groupMetric(List<RunRecord> members) {
        double[] values = members.stream().filter(m -> m.value() != null).mapToDouble(RunRecord::value).toArray();
        if (values.length == 0) {
            return "-";
        }
        String baseline = members.get(0).bestBaseline();
        boolean sameBaseline = baseline != null && members.stream().allMatch(m -> baseline.equals(m.bestBaseline()) && m.baselineValue() != null);
        return members.get(0).metric() + " " + meanSd(values) + (sameBaseline ? " (" + baseline + " "
                + meanSd(members.stream().mapToDouble(RunRecord::baselineValue).toArray()) + ")" : "");
    }

    static String meanSd(double[] v) {
        double[] meanSd = org.oncobench.eval.FoldSummary.meanAndSd(v);
        return fmt(meanSd[0]) + (v.length > 1 ? " ± " + fmt(meanSd[1]) : "");
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A run's summary: overrides and configuration differences from the "
            + "experiment file, test metrics with intervals, verdict, provenance, files; --json prints everything.")
    static final class Show implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin
        Common common = new Common();
        @Parameters(index = "0", paramLabel = "RUN", description = "A run id, a unique prefix of one, or 'latest'.")
        String id;

        @Override
        public void run() {
            RunStore store = new RunStore(common.runs.runsDir);
            Path dir = store.dirOf(store.resolve(id));
            RunRecord record = RunRecords.effective(RunRecords.read(dir).orElseThrow(() -> new BadInputException(dir + ": not a run folder")));
            JsonNode metrics = RunComparison.readJson(dir.resolve("metrics.json"));
            JsonNode provenance = RunComparison.readJson(dir.resolve("provenance.json"));
            PrintWriter out = spec.commandLine().getOut();
            RunConfigDiff diff = RunConfigDiff.of(dir);
            if (common.json) {
                Map<String, Object> all = new LinkedHashMap<>();
                all.put("run", record);
                all.put("experiment", RunComparison.readYaml(dir.resolve("experiment.yaml")));
                all.put("config_differences", diff);
                all.put("provenance", provenance);
                all.put("metrics", metrics);
                out.print(Json.write(all));
            } else {
                out.print(RunShowText.render(record, dir, metrics, provenance, diff));
            }
            out.flush();
        }
    }

    @Command(name = "compare", mixinStandardHelpOptions = true, description = "Metrics side by side, the configuration differences, and a paired "
            + "per-drug Wilcoxon test of the first run against each other run when their test rows match.")
    static final class Compare implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin
        Common common = new Common();
        @Parameters(arity = "2..*", paramLabel = "RUN", description = "Run ids, unique prefixes, or 'latest'.")
        List<String> ids;
        @Option(names = "--diff-only", description = "Only the metrics whose values differ between the runs (the configuration differences "
                + "are always only those).")
        boolean diffOnly;

        @Override
        public void run() {
            RunStore store = new RunStore(common.runs.runsDir);
            List<String> ids = this.ids.stream().map(store::resolve).toList();
            RunComparison all = RunComparison.of(store, ids);
            RunComparison c = diffOnly ? all.differingMetrics() : all;
            Map<String, RunPairedTest> tests = new LinkedHashMap<>(); // the first run against each other run
            for (String other : ids.subList(1, ids.size())) {
                tests.put(ids.get(0) + " vs " + other, RunPairedTest.of(store, ids.get(0), other));
            }
            PrintWriter out = spec.commandLine().getOut();
            if (common.json) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("runs", c.runs());
                json.put("metrics", c.metrics());
                json.put("config_differences", c.configDifferences());
                json.put("paired_tests", tests);
                out.print(Json.write(json));
            } else {
                int w = Math.max(14, ids.stream().mapToInt(String::length).max().orElse(14)); // whole ids: both ends tell runs apart
                out.printf(Locale.ROOT, "%-32s", "metric");
                ids.forEach(id -> out.printf(Locale.ROOT, " %" + w + "s", id));
                out.printf(Locale.ROOT, " %" + w + "s%n", "last - first");
                for (String k : c.metrics().get(ids.get(0)).keySet()) {
                    out.printf(Locale.ROOT, "%-32s", k);
                    ids.forEach(id -> out.printf(Locale.ROOT, " %" + w + "s", fmt(c.metrics().get(id).get(k))));
                    Double a = c.metrics().get(ids.get(0)).get(k);
                    Double b = c.metrics().get(ids.get(ids.size() - 1)).get(k);
                    out.printf(Locale.ROOT, " %" + w + "s%n", a == null || b == null ? "-" : String.format(Locale.ROOT, "%+.3f", b - a));
                }
                if (diffOnly && c.metrics().get(ids.get(0)).isEmpty()) {
                    out.println("(no metric differs)");
                }
                out.println();
                if (c.configDifferences().isEmpty()) {
                    out.println("Same configuration.");
                } else {
                    out.println("Configuration differences:");
                    c.configDifferences().forEach((k, v) -> out.println("  " + k + ": " + String.join("  |  ", v)));
                }
                tests.forEach((pair, t) -> {
                    out.println();
                    out.println("Paired test " + pair + ": " + t.describe());
                });
            }
            out.flush();
        }
    }

    @Command(name = "tag", mixinStandardHelpOptions = true, description = "Tag a run: KEY=VALUE sets, KEY= removes; filter with \"tags.KEY = VALUE\".")
    static final class Tag implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin
        RunsDirOption runs = new RunsDirOption();
        @Parameters(index = "0", paramLabel = "RUN", description = "A run id, a unique prefix of one, or 'latest'.")
        String id;
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "KEY=VALUE")
        List<String> tags;

        @Override
        public void run() {
            RunStore store = new RunStore(runs.runsDir);
            String full = store.resolve(id);
            RunAnnotations now = store.annotate(full, a -> a.tag(tags));
            PrintWriter out = spec.commandLine().getOut();
            out.println("Run " + full + " tags: " + (now.tags().isEmpty() ? "(none)" : tagText(now.tags())));
            out.flush();
        }
    }

    @Command(name = "note", mixinStandardHelpOptions = true, description = "Set a run's note (\"\" clears it); shown by runs list and show.")
    static final class Note implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin
        RunsDirOption runs = new RunsDirOption();
        @Parameters(index = "0", paramLabel = "RUN", description = "A run id, a unique prefix of one, or 'latest'.")
        String id;
        @Parameters(index = "1", paramLabel = "TEXT")
        String text;

        @Override
        public void run() {
            RunStore store = new RunStore(runs.runsDir);
            String full = store.resolve(id);
            RunAnnotations now = store.annotate(full, a -> a.withNote(text));
            PrintWriter out = spec.commandLine().getOut();
            out.println("Run " + full + (now.note() == null ? ": note cleared" : " note: " + now.note()));
            out.flush();
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Move runs to runs/.trash/ (undo with runs restore; runs gc empties "
            + "the trash). A running run cannot be deleted.")
    static final class Delete implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin
        RunsDirOption runs = new RunsDirOption();
        @Parameters(arity = "1..*", paramLabel = "RUN", description = "Run ids, unique prefixes, or 'latest'.")
        List<String> ids;

        @Override
        public void run() {
            RunTrash trash = new RunTrash(new RunStore(runs.runsDir));
            List<String> deleted = trash.delete(ids);
            PrintWriter out = spec.commandLine().getOut();
            deleted.forEach(id -> out.println("Deleted " + id + " (moved to " + trash.dir().resolve(id) + ")"));
            out.println("Undo with 'oncobench runs restore " + String.join(" ", deleted) + "'");
            out.flush();
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true, description = "Move deleted runs back from runs/.trash/.")
    static final class Restore implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin
        RunsDirOption runs = new RunsDirOption();
        @Parameters(arity = "1..*", paramLabel = "RUN", description = "Ids (or unique prefixes) of runs in the trash.")
        List<String> ids;

        @Override
        public void run() {
            List<String> restored = new RunTrash(new RunStore(runs.runsDir)).restore(ids);
            PrintWriter out = spec.commandLine().getOut();
            restored.forEach(id -> out.println("Restored " + id));
            out.flush();
        }
    }

    @Command(name = "gc", mixinStandardHelpOptions = true, description = "Remove for good the runs deleted longer ago than --older-than.")
    static final class Gc implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin
        RunsDirOption runs = new RunsDirOption();
        @Option(names = "--older-than", required = true, paramLabel = "AGE", description = "e.g. 30d, 12h, 90m; 0d empties the trash.")
        String olderThan;

        @Override
        public void run() {
            RunTrash trash = new RunTrash(new RunStore(runs.runsDir));
            RunTrash.Collected c = trash.gc(RunTrash.age(olderThan));
            PrintWriter out = spec.commandLine().getOut();
            c.ids().forEach(id -> out.println("Removed " + id));
            out.printf(Locale.ROOT, "Removed %d %s from the trash (%.1f MB); %d left in %s%n", c.ids().size(), c.ids().size() == 1 ? "run" : "runs",
                    c.bytes() / 1e6, trash.list().size(), trash.dir());
            out.flush();
        }
    }

    static String tagText(Map<String, String> tags) {
        return tags == null || tags.isEmpty() ? "" : String.join(",", tags.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    @Command(name = "rebuild", mixinStandardHelpOptions = true, description = "Recreate the registry (runs.mapdb) from the run folders.")
    static final class Rebuild implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin
        RunsDirOption runs = new RunsDirOption();

        @Override
        public void run() {
            RunStore.Rebuilt r = new RunStore(runs.runsDir).rebuild();
            PrintWriter out = spec.commandLine().getOut();
            out.println("Indexed " + r.indexed() + (r.indexed() == 1 ? " run" : " runs") + " from " + runs.runsDir.toAbsolutePath().normalize()
                    + " into runs.mapdb");
            if (!r.problems().isEmpty()) {
                out.println(r.problems().size() + (r.problems().size() == 1 ? " folder needs" : " folders need") + " a look:");
                r.problems().forEach((folder, why) -> out.println("  " + folder + ": " + why));
            }
            out.flush();
        }
    }
}
