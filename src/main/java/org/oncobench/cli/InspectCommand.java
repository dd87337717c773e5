package org.oncobench.cli;

import org.oncobench.config.ExperimentLoader;
import org.oncobench.config.LoadedExperiment;
import org.oncobench.data.CohortInspection;
import org.oncobench.data.CohortInspector;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code oncobench data inspect EXPERIMENT.yaml}: shapes, join coverage, missing values, target and split sizes. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Read and join an experiment's data and plan its split, without training; print what was found.")
final class InspectCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "EXPERIMENT.yaml", description = "The experiment file.")
    Path experiment;

    @Option(names = "--set", paramLabel = "KEY.PATH=VALUE", description = "Override a setting (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() {
        LoadedExperiment loaded = new ExperimentLoader().load(experiment, overrides);
        CohortInspection r = new CohortInspector().inspect(loaded.config());
        PrintWriter out = spec.commandLine().getOut();
        out.println("Experiment " + loaded.config().name() + " (" + loaded.file() + ")");
        out.println();
        out.printf(Locale.ROOT, "Rows: %d read, %d joined (%.1f%%)%n", r.join().rowsRead(), r.join().rowsKept(),
                100.0 * r.join().rowsKept() / r.join().rowsRead());
        if (r.join().unmatchedSampleRows() > 0) {
            out.printf(Locale.ROOT, "  %d rows with a sample missing from the sample tables, e.g. %s%n", r.join().unmatchedSampleRows(),
                    String.join(", ", r.join().unmatchedSamples()));
        }
        if (r.join().unmatchedDrugRows() > 0) {
            out.printf(Locale.ROOT, "  %d rows with a drug missing from the drug tables, e.g. %s%n", r.join().unmatchedDrugRows(),
                    String.join(", ", r.join().unmatchedDrugs()));
        }
        out.println();
        out.printf(Locale.ROOT, "%-16s %-7s %9s %9s %14s%n", "table", "entity", "rows", "columns", "missing cells");
        for (CohortInspection.TableShape t : r.tables()) {
            out.printf(Locale.ROOT, "%-16s %-7s %9d %9d %14d%n", t.name(), t.entity(), t.rows(), t.columns(), t.missingCells());
        }
        out.println();
        CohortInspection.TargetSummary t = r.target();
        if (t.positives() >= 0) {
            out.printf(Locale.ROOT, "Target %s: %d rows, %d positive (%.1f%%), %d negative%n", t.name(), t.n(), t.positives(),
                    100.0 * t.positives() / t.n(), t.n() - t.positives());
        } else {
            out.printf(Locale.ROOT, "Target %s: %d rows, mean %.3f, sd %.3f; min %.3f, quartiles %.3f / %.3f / %.3f, max %.3f%n", t.name(),
                    t.n(), t.mean(), t.sd(), t.min(), t.q25(), t.median(), t.q75(), t.max());
        }
        for (Map.Entry<String, Map<String, Integer>> g : r.groups().entrySet()) {
            out.printf(Locale.ROOT, "Group %s: %d values: %s%n", g.getKey(), g.getValue().size(),
                    g.getValue().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
        }
        out.println();
        out.printf(Locale.ROOT, "Split %s:%n", loaded.config().split().kind());
        out.printf(Locale.ROOT, "  %-14s %10s %10s %10s %14s %13s%n", "fold", "train rows", "val rows", "test rows", "train samples",
                "test samples");
        for (CohortInspection.FoldSizes f : r.folds()) {
            String name = r.folds().size() == 1 ? "-" : "r" + (f.repeat() + 1) + " f" + (f.fold() + 1);
            out.printf(Locale.ROOT, "  %-14s %10d %10d %10d %14d %13d%n", name, f.trainRows(), f.validationRows(), f.testRows(),
                    f.trainSamples(), f.testSamples());
        }
        out.flush();
        return 0;
    }
}
