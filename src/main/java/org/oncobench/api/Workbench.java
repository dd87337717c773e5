package org.oncobench.api;

import org.oncobench.runs.RunComparison;
import org.oncobench.runs.RunRecord;
import org.oncobench.runs.RunStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A runs folder, as a notebook sees it: {@code Workbench wb = Workbench.open();} then {@code wb.runs()},
 * {@code wb.run(id)}, {@code wb.compare(a, b)}. Everything is read from the run store, the same files the CLI and the
 * browser UI read.
 */
public final class Workbench {
    /** Environment variable naming the runs folder {@link #open()} uses (the notebook command and tests set it). */
    public static final String RUNS_DIR_ENV = "ONCOBENCH_RUNS_DIR";
    private final RunStore store;

    private Workbench(RunStore store) {
        this.store = store;
    }

    /** The runs folder {@code $ONCOBENCH_RUNS_DIR}, else the project's {@code runs/} (beside the launcher), else {@code ./runs}. */
    public static Workbench open() {
        String env = System.getenv(RUNS_DIR_ENV);
        if (env != null && !env.isBlank()) {
            return open(Path.of(env));
        }
        String home = System.getProperty("oncobench.home");
        return open(home != null ? Path.of(home, "runs") : Path.of("runs"));
    }

    public static Workbench open(String runsDir) {
        return open(Path.of(runsDir));
    }

    public static Workbench open(Path runsDir) {
        return new Workbench(new RunStore(runsDir));
    }

    /** The run store behind this workbench (for {@link Experiment#run(Workbench)} and other services). */
    public RunStore store() {
        return store;
    }

    public Path root() {
        return store.root();
    }

    /**
     * Every run, newest first: id, name, status, split, model, metric, best baseline, duration, the overrides that tell
     * it apart (its {@code --set} keys, a study trial's parameters), its tags and note.
     */
    public Table runs() {
        return runs(null);
    }

    /**
     * The runs a filter matches, in the language of {@code runs list --filter} and the UI's filter box, e.g.
     * {@code wb.runs("tags.owner = 'ana' and test.rmse < 0.9")}; a field no run has is refused with the nearest names.
     */
    public Table runs(String filter) {
        List<Map<String, Object>> rows = new ArrayList<>();
        if (Files.isDirectory(store.root())) {
            List<RunRecord> runs = filter == null || filter.isBlank() ? store.list()
                    : new org.oncobench.runs.RunListing(store).page(filter, null, true, 0, Integer.MAX_VALUE).runs();
            for (RunRecord r : runs) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", r.id());
                m.put("name", r.name());
                m.put("status", r.status());
                m.put("split", r.split());
                m.put("model", r.model());
                m.put("metric", r.metric());
                m.put("value", r.value());
                m.put("best_baseline", r.bestBaseline());
                m.put("baseline_value", r.baselineValue());
                m.put("seconds", r.durationSeconds());
                m.put("overrides", org.oncobench.runs.RunOverrides.text(org.oncobench.runs.RunOverrides.distinguishing(r)));
                m.put("tags", r.tags() == null ? "" : String.join(",", r.tags().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
                m.put("note", r.note() == null ? "" : r.note());
                rows.add(m);
            }
        }
        return new Table((filter == null || filter.isBlank() ? "runs in " : "runs matching " + filter + " in ") + store.root(), List.of("id", "name",
                "status", "split", "model", "metric", "value", "best_baseline", "baseline_value", "seconds", "overrides", "tags", "note"), rows);
    }

    /** One run (refuses ids that are not runs of this folder). */
    public Run run(String id) {
        return new Run(store, store.resolve(id));
    }

    /** The newest run, e.g. right after {@link Experiment#run(Workbench)}. */
    public Run latest() {
        return run(org.oncobench.runs.RunIds.LATEST);
    }

    /**
     * Exports a completed single-split run (or a k-fold run with a final model) as a verifiable bundle, exactly as
     * {@code oncobench export} does; open it with {@code org.oncobench.export.Bundle.open(path)}.
     */
    public org.oncobench.export.BundleWriter.Exported export(String runId, String file) {
        return new org.oncobench.export.BundleWriter().export(store, store.resolve(runId), Path.of(file));
    }

    /** Runs side by side: metrics, per-drug results, the configuration keys that differ. */
    public Comparison compare(String... ids) {
        if (ids.length < 2) {
            throw new IllegalArgumentException("compare needs at least two run ids");
        }
        List<Run> runs = new ArrayList<>();
        for (String id : ids) {
            runs.add(run(id));
        }
        return new Comparison(RunComparison.of(store, runs.stream().map(Run::id).toList()), runs);
    }
}
