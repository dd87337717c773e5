package org.oncobench.train;

import org.oncobench.config.ExperimentConfig;
import org.oncobench.config.ExperimentLoader;
import org.oncobench.config.LoadedExperiment;
import org.oncobench.eval.FoldSummary;
import org.oncobench.runs.Json;
import org.oncobench.runs.RunStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One experiment run once per seed, as a run group: every run is an ordinary run (own folder, checkpoints, UI page)
 * whose run.json names the group; the group's summary — each metric's mean ± sd over the seeds, for the model and every
 * baseline — goes to {@code RUNS_DIR/groups/GROUP.json} (written atomically once all runs are done).
 */
public final class RunGroup {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    public record Result(String id, List<RunResult> runs, Path file) {
    }

    private final RunStore store;
    private final ExperimentRunner runner;
    private final Consumer<String> status;

    public RunGroup(RunStore store, ExperimentRunner runner, Consumer<String> status) {
        this.store = store;
        this.runner = runner;
        this.status = status;
    }

    /**
     * @param each called with each run's configuration and result as soon as it is done
     */
    public Result run(Path experiment, List<String> overrides, String name, List<Long> seeds, BiConsumer<ExperimentConfig, RunResult> each) {
        String id = STAMP.format(ZonedDateTime.now(ZoneOffset.UTC)) + "-" + name + "-seeds";
        List<RunResult> runs = new ArrayList<>();
        ExperimentConfig first = null;
        for (int i = 0; i < seeds.size(); i++) {
            status.accept(String.format(java.util.Locale.ROOT, "run group %s: seed %d (%d of %d)", id, seeds.get(i), i + 1, seeds.size()));
            List<String> o = new ArrayList<>(overrides);
            o.add("seed=" + seeds.get(i));
            o.add("seeds=[]"); // each member is one run; its experiment.yaml reruns just that seed
            LoadedExperiment loaded = new ExperimentLoader().load(experiment, o);
            first = first == null ? loaded.config() : first;
            RunResult r = runner.run(loaded, id);
            runs.add(r);
            each.accept(loaded.config(), r);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("group", id);
        summary.put("experiment", experiment.toAbsolutePath().toString());
        summary.put("seeds", seeds);
        summary.put("runs", runs.stream().map(RunResult::runId).toList());
        summary.put("task", first.task().kind());
        summary.put("summary", FoldSummary.of(runs.stream().map(RunResult::report).toList()));
        Path file = store.root().resolve("groups").resolve(id + ".json");
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(id + ".json.tmp");
            Files.writeString(tmp, Json.write(summary));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write the run group's summary", e);
        }
        return new Result(id, runs, file);
    }
}
