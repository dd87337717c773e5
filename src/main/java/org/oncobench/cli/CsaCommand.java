package org.oncobench.cli;

import org.oncobench.runs.RunStore;
import org.oncobench.train.ConsoleProgressBar;
import org.oncobench.train.CrossStudyTable;
import org.oncobench.train.ExperimentRunner;
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

/** {@code oncobench csa EXPERIMENT.yaml}: IMPROVE's cross-study table, each source x target pair an ordinary run. */
@Command(name = "csa", mixinStandardHelpOptions = true,
        description = {"Cross-study analysis (IMPROVE's protocol): train on each study's split train rows, score its split test rows and every "
                + "other study's rows; print the N x N table per metric and write csa.json and csa.csv.",
                "The experiment needs data.improve and split: {kind: files, index: K}. Each cell is an ordinary run in the runs folder."})
final class CsaCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "EXPERIMENT.yaml", description = "An experiment on one study of IMPROVE's layout.")
    Path experiment;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a key of the experiment (repeatable), as in run.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--studies", split = ",", paramLabel = "A,B,..", description = "The studies to cross (default: every study of response.tsv).")
    List<String> studies = new ArrayList<>();

    @Option(names = "--split", paramLabel = "K", description = "The split index (default: the experiment's split.index).")
    Integer split;

    @Option(names = "--metric", split = ",", paramLabel = "M,..", defaultValue = "pearson,rmse",
            description = "Metrics of the table: pearson, rmse, spearman, r2 (default: ${DEFAULT-VALUE}, as IMPROVE reports).")
    List<String> metrics;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for csa.json and csa.csv (default: RUNS_DIR/csa/<experiment name>).")
    Path out;

    @CommandLine.Mixin
    RunsDirOption runs = new RunsDirOption();

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RunStore store = new RunStore(runs.runsDir);
        PrintStream progress = new PrintStream(new WriterOutputStream(err), true);
        ExperimentRunner runner = new ExperimentRunner(store, new ConsoleProgressBar(progress, System.console() != null, "RMSE"), message -> {
            err.println(message);
            err.flush();
        });
        String name = experiment.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        Path dir = out != null ? out : runs.runsDir.resolve("csa").resolve(name);
        CrossStudyTable.Result r = new CrossStudyTable(runner, m -> {
            err.println(m);
            err.flush();
        }).run(experiment, overrides, studies, split, metrics, dir);
        o.print(CrossStudyTable.render(r));
        o.flush();
        return 0;
    }
}
