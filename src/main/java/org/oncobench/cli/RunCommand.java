package org.oncobench.cli;

import org.oncobench.config.ExperimentLoader;
import org.oncobench.config.LoadedExperiment;
import org.oncobench.runs.RunStore;
import org.oncobench.train.ConsoleProgressBar;
import org.oncobench.train.ExperimentRunner;
import org.oncobench.train.RunResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code oncobench run EXPERIMENT.yaml}: train and evaluate one experiment, recorded as a run. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Train and evaluate an experiment; results go to RUNS_DIR/<run-id>/.")
final class RunCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "EXPERIMENT.yaml", description = "The experiment file.")
    Path experiment;

    @Option(names = "--set", paramLabel = "KEY.PATH=VALUE", description = "Override a setting, e.g. --set training.epochs=5 (repeatable).")
    List<String> overrides = new ArrayList<>();

    @CommandLine.Mixin
    RunsDirOption runs = new RunsDirOption();

    /** The resolved experiment a run folder holds. */
    static org.oncobench.config.ExperimentConfig configOf(Path runDir) {
        return new ExperimentLoader().load(runDir.resolve("experiment.yaml"), List.of()).config();
    }

    static boolean isClassification(Path runDir) {
        return configOf(runDir).task().isClassification();
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LoadedExperiment loaded = new ExperimentLoader().load(experiment, overrides);
        boolean interactive = System.console() != null;
        PrintStream progressStream = new PrintStream(new WriterOutputStream(err), true);
        ExperimentRunner runner = new ExperimentRunner(new RunStore(runs.runsDir), new ConsoleProgressBar(progressStream, interactive, loaded.config().task().isClassification() ? "AUC" : "RMSE"),
                message -> {
                    err.println(message);
                    err.flush();
                });
        err.println("experiment " + loaded.config().name() + " (" + loaded.file() + ")");
        RunResult result = runner.run(loaded);
        out.print(SummaryTable.render(loaded.config(), result));
        out.flush();
        return 0;
    }
}
