package org.oncobench.api;

import org.oncobench.config.BadInputException;
import org.oncobench.config.ExperimentLoader;
import org.oncobench.config.LoadedExperiment;
import org.oncobench.data.CohortInspector;
import org.oncobench.train.ConsoleProgressBar;
import org.oncobench.train.ExperimentRunner;
import org.oncobench.train.RunResult;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An experiment file with overrides, ready to inspect or run from a cell:
 * {@code Experiment.load("experiments/quickstart.yaml").set("training.epochs", 5).run(wb)}. Running it is exactly
 * {@code oncobench run FILE --set ...}: same validation, same runner, same run folder, same result.
 */
public final class Experiment {
    private final Path file;
    private final List<String> overrides;

    private Experiment(Path file, List<String> overrides) {
        this.file = file;
        this.overrides = List.copyOf(overrides);
    }

    /**
     * An experiment file by path; a relative path that does not exist here is looked up in the project folder too (the
     * notebook kernel runs in {@code notebooks/}). It is validated, with every problem named, when it is shown,
     * inspected or run ({@link #check()} validates at once), so overrides can first point it at other files.
     */
    public static Experiment load(String path) {
        Path p = Path.of(path);
        String home = System.getProperty("oncobench.home");
        if (!p.isAbsolute() && !Files.exists(p) && home != null && Files.exists(Path.of(home).resolve(p))) {
            p = Path.of(home).resolve(p);
        }
        if (!Files.isRegularFile(p)) {
            throw new BadInputException(p.toAbsolutePath().normalize() + ": experiment file not found");
        }
        return new Experiment(p.toAbsolutePath().normalize(), List.of());
    }

    /**
     * The same experiment with one more override, as {@code --set key=value}: a value as YAML text ("[64, 16]",
     * "{patience: 3}"), a number, or a List; paths are relative to the experiment file.
     */
    public Experiment set(String key, Object value) {
        String text = value instanceof List<?> list ? list.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"))
                : String.valueOf(value);
        List<String> more = new ArrayList<>(overrides);
        more.add(key + "=" + text);
        return new Experiment(file, more);
    }

    /** Validates now: returns this experiment, or throws naming every problem (key, value, what is allowed). */
    public Experiment check() {
        loaded();
        return this;
    }

    public Path file() {
        return file;
    }

    public List<String> overrides() {
        return overrides;
    }

    LoadedExperiment loaded() {
        return new ExperimentLoader().load(file, overrides);
    }

    /** The resolved experiment: overrides applied, defaults filled, paths absolute. */
    public Text config() {
        return new Text("experiment " + loaded().config().name(), loaded().resolvedYaml());
    }

    /** What {@code oncobench data inspect} reports: joins, table shapes, missing cells, target, split sizes. */
    public Text inspect() {
        LoadedExperiment l = loaded();
        return new Text("data of " + l.config().name(), new CohortInspector().inspect(l.config()).describe(l.config().name(), l.file(),
                l.config().split().kind()));
    }

    /** Trains and evaluates, recorded in the workbench's runs folder; progress goes to standard error, one line per epoch. */
    public RunResult run(Workbench wb) {
        LoadedExperiment l = loaded();
        ExperimentRunner runner = new ExperimentRunner(wb.store(), new ConsoleProgressBar(System.err, false,
                l.config().task().isClassification() ? "AUC" : "RMSE"), System.err::println);
        return runner.run(l);
    }

    @Override
    public String toString() {
        return "Experiment " + file + (overrides.isEmpty() ? "" : " with " + String.join(", ", overrides));
    }
}
