package org.oncobench.cli;

import org.oncobench.runs.RunStore;
import org.oncobench.train.ConsoleProgressBar;
import org.oncobench.train.ExperimentRunner;
import org.oncobench.train.RunResult;
import org.oncobench.train.SummaryTable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code oncobench resume RUN_ID}: continue an interrupted or killed run from its last checkpoint. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Continue an interrupted, killed or failed run from its last checkpoint to its planned end.")
final class ResumeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run to continue: its id, a unique prefix, or 'latest' (see 'oncobench runs list').")
    String runId;

    @CommandLine.Mixin
    RunsDirOption runs = new RunsDirOption();

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        RunStore store = new RunStore(runs.runsDir);
        String runId = store.resolve(this.runId);
        String metric = RunCommand.isClassification(store.dirOf(runId)) ? "AUC" : "RMSE";
        ExperimentRunner runner = new ExperimentRunner(store, new ConsoleProgressBar(new PrintStream(new WriterOutputStream(err), true),
                System.console() != null, metric), message -> {
            err.println(message);
            err.flush();
        });
        RunResult result = runner.resume(runId);
        spec.commandLine().getOut().print(SummaryTable.render(RunCommand.configOf(result.dir()), result));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
