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
import java.util.concurrent.Callable;

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
        out.print(r.describe(loaded.config().name(), loaded.file(), loaded.config().split().kind()));
        out.flush();
        return 0;
    }
}
