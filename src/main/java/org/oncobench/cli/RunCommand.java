package org.oncobench.cli;

import org.oncobench.config.ExperimentLoader;
import org.oncobench.config.LoadedExperiment;
import org.oncobench.runs.RunStore;
import org.oncobench.train.ConsoleProgressBar;
import org.oncobench.train.ExperimentRunner;
import org.oncobench.train.RunGroup;
import org.oncobench.train.RunResult;
import org.oncobench.train.StatsObserver;
import org.oncobench.train.SummaryTable;
import org.oncobench.ui.WorkbenchServer;
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

    @Option(names = "--ui", description = "Serve the browser UI while training (live curves and DL4J statistics); keeps serving afterwards until Ctrl-C.")
    boolean ui;

    @CommandLine.Mixin
    UiOptions uiOptions = new UiOptions();

    @Option(names = "--seeds", paramLabel = "N", description = "Run the experiment N times, with seeds SEED .. SEED+N-1, as one run group "
            + "(the experiment's own 'seeds: [..]' list does the same).")
    Integer seedCount;

    @Option(names = "--tune", paramLabel = "BUDGET", description = "Search the model zoo and the training recipe on the validation rows "
            + "within BUDGET (e.g. 3m, 10m, 1h30m), then train the chosen configuration as the run's model (model.kind: auto).")
    String tune;

    /** The seeds of a run group: {@code --seeds N} from the experiment's seed on, else its {@code seeds:} list (empty: one run). */
    private List<Long> seeds(org.oncobench.config.ExperimentConfig config) {
        if (seedCount != null) {
            if (seedCount < 1 || seedCount > 1000) {
                throw new org.oncobench.config.BadInputException("--seeds " + seedCount + ": give a count from 1 to 1000");
            }
            return java.util.stream.LongStream.range(config.seed(), config.seed() + seedCount).boxed().toList();
        }
        return config.seeds();
    }

    /** The resolved experiment a run folder holds. */
    static org.oncobench.config.ExperimentConfig configOf(Path runDir) {
        return new ExperimentLoader().load(runDir.resolve("experiment.yaml"), List.of()).config();
    }

    static boolean isClassification(Path runDir) {
        return configOf(runDir).task().isClassification();
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (tune != null) {
            org.oncobench.config.TuneBudget.seconds(tune, "--tune"); // names the flag and the allowed forms
            overrides = new ArrayList<>(overrides);
            overrides.add("model.kind=auto");
            overrides.add("model.tune.budget=" + tune.trim());
        }
        LoadedExperiment loaded = new ExperimentLoader().load(experiment, overrides);
        boolean auto = "auto".equals(loaded.config().model().kind());
        if (auto && (seedCount != null || !loaded.config().seeds().isEmpty())) {
            throw new org.oncobench.config.BadInputException((tune != null ? "--tune" : "model.kind: auto")
                    + " searches for one run; with --seeds or seeds: [..] each seed would search on its own. Drop one of them");
        }
        boolean interactive = System.console() != null;
        PrintStream progressStream = new PrintStream(new WriterOutputStream(err), true);
        RunStore store = new RunStore(runs.runsDir);
        WorkbenchServer server = null;
        if (ui) {
            ServerAccess access = uiOptions.check(err);
            server = WorkbenchServer.start(store, access.bind(), access.token());
            err.println("UI: " + access.browserUrl(server.url()) + "  (DL4J's training UI on port " + server.dl4j().port() + ")");
        }
        WorkbenchServer watching = server;
        ExperimentRunner runner = new ExperimentRunner(store, new ConsoleProgressBar(progressStream, interactive,
                loaded.config().task().isClassification() ? "AUC" : "RMSE"),
                message -> {
                    err.println(message);
                    err.flush();
                },
                watching == null ? StatsObserver.NONE : watching.liveTraining(url -> {
                    err.println("watch it: " + url);
                    err.flush();
                }));
        err.println("experiment " + loaded.config().name() + " (" + loaded.file() + ")");
        List<Long> seeds = seeds(loaded.config());
        RunResult result;
        try {
            if (auto) {
                org.oncobench.study.AutoTune.Result tuned = new org.oncobench.study.AutoTune(message -> {
                    err.println(message);
                    err.flush();
                }).run(loaded, runner);
                result = tuned.run();
                out.print(SummaryTable.render(new ExperimentLoader().load(experiment, tuned.search().overrides()).config(), result));
            } else if (seeds.isEmpty()) {
                result = runner.run(loaded);
                out.print(SummaryTable.render(loaded.config(), result));
            } else {
                RunGroup.Result group = new RunGroup(store, runner, err::println).run(experiment, overrides, loaded.config().name(), seeds,
                        (config, r) -> {
                            out.print(SummaryTable.render(config, r));
                            out.flush();
                        });
                out.print(SummaryTable.renderGroup(loaded.config(), group.id(), seeds, group.runs()));
                out.println("Run group " + group.id() + ": " + group.file());
                result = group.runs().get(group.runs().size() - 1);
            }
        } catch (RuntimeException | Error e) {
            if (server != null) {
                server.close();
            }
            throw e;
        }
        out.flush();
        if (server != null) {
            server.dl4j().trainingEnded(result.runId(), result.dir().resolve("stats.dl4j"));
            err.println("training finished; the UI keeps serving " + server.url() + "runs/" + result.runId() + " until Ctrl-C");
            err.flush();
            UntilShutdown.await(server::close, "oncobench-ui-stop");
        }
        return 0;
    }
}
