package org.oncobench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.oncobench.config.BadInputException;
import org.oncobench.config.StudyConfig;
import org.oncobench.config.StudyLoader;
import org.oncobench.export.BundleWriter;
import org.oncobench.runs.RunStore;
import org.oncobench.study.SearchReplay;
import org.oncobench.study.StudyFolder;
import org.oncobench.study.StudyRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code oncobench study STUDY.yaml [--workers N]}, and {@code study resume|show|export|list|replay}. */
@Command(name = "study", mixinStandardHelpOptions = true,
        description = "Run a study: a search (grid, random; successive halving) over experiment keys, every trial an ordinary run, "
                + "with a leaderboard and a critical-difference diagram.",
        subcommands = {StudyCommand.Resume.class, StudyCommand.Show.class, StudyCommand.Export.class, StudyCommand.ListStudies.class,
                StudyCommand.Replay.class, StudyCommand.Job.class})
final class StudyCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "STUDY.yaml", arity = "0..1", description = "The study file (see README, Studies).")
    Path file;

    @Option(names = "--workers", paramLabel = "N", description = "Trials trained at once (default: the study's workers: key, else 1).")
    Integer workers;

    @Option(names = "--processes", description = "Train each job in a child JVM instead of a thread of this one (see README, Studies).")
    boolean processes;

    @CommandLine.Mixin
    RunsDirOption runs = new RunsDirOption();

    @Override
    public Integer call() {
        if (file == null) {
            throw new BadInputException("give a study file (oncobench study experiments/study-quickstart.yaml) or a subcommand: resume, show, export, list");
        }
        checkWorkers(workers);
        PrintWriter err = spec.commandLine().getErr();
        divideThreads(StudyRunner.workers(file, workers), processes);
        printResult(spec.commandLine().getOut(), new StudyRunner(new RunStore(runs.runsDir), line(err), processes).run(file, workers));
        return 0;
    }

    /**
     * At start-up, once per process: with N jobs training on threads of this JVM, each gets 1/N of ND4J's threads (one
     * JVM-wide setting), so N trainings do not oversubscribe the cores. Jobs in child processes get their share there.
     */
    static void divideThreads(int workers, boolean processes) {
        if (workers > 1 && !processes) {
            int share = Math.max(1, Runtime.getRuntime().availableProcessors() / workers);
            org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxThreads(share);
            org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxMasterThreads(share);
        }
    }

    private static StudyRunner.StudyResult resumed(StudyRunner runner, String id, Integer workers, boolean processes) {
        divideThreads(runner.workers(id, workers), processes);
        return runner.resume(id, workers);
    }

    static void checkWorkers(Integer workers) {
        if (workers != null && (workers < 1 || workers > 64)) {
            throw new BadInputException("--workers " + workers + " is out of range; allowed: 1..64");
        }
    }

    /** A finished study: its leaderboard, then where it lives. */
    static void printResult(PrintWriter out, StudyRunner.StudyResult r) {
        render(out, JSON.valueToTree(r.leaderboard()));
        out.println("Study " + r.id() + ": " + r.dir());
        out.flush();
    }

    static java.util.function.Consumer<String> line(PrintWriter err) {
        return m -> {
            err.println(m);
            err.flush();
        };
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Continue an interrupted study; finished trials are kept, none repeats.")
    static final class Resume implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(index = "0", paramLabel = "STUDY_ID")
        String id;
        @Option(names = "--workers", paramLabel = "N", description = "Trials trained at once (default: as the study was started).")
        Integer workers;
        @Option(names = "--processes", description = "Train each job in a child JVM instead of a thread of this one.")
        boolean processes;
        @CommandLine.Mixin
        RunsDirOption runs = new RunsDirOption();

        @Override
        public Integer call() {
            checkWorkers(workers);
            printResult(spec.commandLine().getOut(),
                    resumed(new StudyRunner(new RunStore(runs.runsDir), line(spec.commandLine().getErr()), processes), id, workers, processes));
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "The study's leaderboard: trials, best per model kind beside the baselines, CD test.")
    static final class Show implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(index = "0", paramLabel = "STUDY_ID")
        String id;
        @Option(names = "--json", description = "Print leaderboard.json.")
        boolean json;
        @CommandLine.Mixin
        RunsDirOption runs = new RunsDirOption();

        @Override
        public Integer call() throws IOException {
            StudyFolder folder = StudyFolder.open(new RunStore(runs.runsDir), id);
            PrintWriter out = spec.commandLine().getOut();
            Path board = folder.file("leaderboard.json");
            if (!Files.isRegularFile(board)) {
                out.println("study " + id + " (" + folder.info().get("status") + ") has no finished trial yet");
            } else if (json) {
                out.print(Files.readString(board));
            } else {
                out.println("study " + id + ": " + folder.info().get("status"));
                render(out, JSON.readTree(board.toFile()));
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, description = "Export the chosen trial's model (best validation score) as a bundle.")
    static final class Export implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(index = "0", paramLabel = "STUDY_ID")
        String id;
        @Option(names = "--out", required = true, paramLabel = "FILE.zip")
        Path out;
        @Option(names = "--sign", paramLabel = "KEY.pem", description = "Sign the manifest with this private key (as 'oncobench export --sign').")
        Path signingKey;
        @CommandLine.Mixin
        RunsDirOption runs = new RunsDirOption();

        @Override
        public Integer call() throws IOException {
            RunStore store = new RunStore(runs.runsDir);
            StudyFolder folder = StudyFolder.open(store, id);
            Path boardFile = folder.file("leaderboard.json");
            JsonNode best = Files.isRegularFile(boardFile) ? JSON.readTree(boardFile.toFile()).path("best") : null;
            if (best == null || best.isMissingNode()) {
                throw new BadInputException("study " + id + " has no finished trial to export yet");
            }
            // of the chosen trial's runs (one per seed), the one with the best validation score: the test rows do not choose
            boolean lower = JSON.readTree(boardFile.toFile()).path("lower_is_better").asBoolean(true);
            String chosen = null;
            double bestScore = Double.NaN;
            for (JsonNode r : best.path("runs")) {
                Path metrics = store.dirOf(r.asText()).resolve("metrics.json");
                JsonNode v = JSON.readTree(metrics.toFile()).path("training").path("validation");
                double score = v.elements().hasNext() ? v.elements().next().asDouble() : Double.NaN;
                if (chosen == null || (lower ? score < bestScore : score > bestScore)) {
                    chosen = r.asText();
                    bestScore = score;
                }
            }
            BundleWriter.Exported e = new BundleWriter().export(store, chosen, out, signingKey);
            PrintWriter o = spec.commandLine().getOut();
            o.printf(Locale.ROOT, "Exported study %s's chosen trial %d (%s), run %s (validation %.4f), to %s%n", id, best.path("trial").asInt(),
                    params(best.path("params")), e.runId(), bestScore, e.file());
            o.flush();
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every study of the runs folder, newest first.")
    static final class ListStudies implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin
        RunsDirOption runs = new RunsDirOption();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<StudyFolder> studies = StudyFolder.list(new RunStore(runs.runsDir));
            if (studies.isEmpty()) {
                out.println("no studies in " + runs.runsDir.toAbsolutePath().normalize().resolve(StudyFolder.DIR));
            }
            for (StudyFolder s : studies) {
                Map<String, Object> info = s.info();
                out.printf(Locale.ROOT, "%-50s %-12s %s trials%n", s.id(), info.get("status"), info.get("trials"));
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true, description = "What a successive-halving search file would choose, at what cost, "
            + "replayed on a finished full study of the same space, its picks judged on the seeds they were not picked on.")
    static final class Replay implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(index = "0", paramLabel = "FULL_STUDY_ID", description = "A finished full study (search: {kind: full}) with two or more seeds.")
        String id;
        @Parameters(index = "1", paramLabel = "SEARCH.yaml", description = "A study file with search: {kind: asha, ...} over the same choices.")
        Path file;
        @Option(names = "--searches", paramLabel = "N", defaultValue = "100",
                description = "Search seeds replayed, from the file's seed on (default: ${DEFAULT-VALUE}); each on every training seed.")
        int searches;
        @Option(names = "--json", description = "Print the replay as JSON (every search's pick, epochs and quality).")
        boolean json;
        @CommandLine.Mixin
        RunsDirOption runs = new RunsDirOption();

        @Override
        public Integer call() throws IOException {
            StudyConfig search = new StudyLoader().load(file);
            SearchReplay.Result r = SearchReplay.replay(SearchReplay.load(new RunStore(runs.runsDir), id), search, searches);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(r.toMap()));
            } else {
                renderReplay(out, file, search, r);
            }
            out.flush();
            return 0;
        }
    }

    static void renderReplay(PrintWriter out, Path file, StudyConfig search, SearchReplay.Result r) {
        String test = "test " + search.search().testMetric();
        out.printf(Locale.ROOT, "%s: successive halving on %s over rungs %s, eta %d, %d trials per search; replayed on study %s (%d trials x %d "
                        + "seeds, %d epochs each)%n", file, r.metric(), java.util.Arrays.toString(r.rungs()), search.search().eta(), r.trialsPerSearch(),
                r.study(), r.params().size(), r.seeds().size(), search.search().maxEpochs());
        out.printf(Locale.ROOT, "a pick's quality: its mean %s on the study's other seeds (%s)%n", test, r.lowerIsBetter() ? "lower is better" : "higher is better");
        out.printf(Locale.ROOT, "full search: %d epochs per search%n", r.fullEpochs());
        for (int s = 0; s < r.seeds().size(); s++) {
            out.printf(Locale.ROOT, "  training seed %-6d picks trial %-4d quality %.4f  %s%n", r.seeds().get(s), r.fullPicks()[s], r.fullQuality()[s],
                    params(JSON.valueToTree(r.params().get(r.fullPicks()[s]))));
        }
        out.printf(Locale.ROOT, "successive halving: %d searches (%d search seeds from %d, on each training seed)%n", r.searches().size(),
                r.searches().size() / r.seeds().size(), search.seed());
        out.printf(Locale.ROOT, "  epochs per search: mean %.1f (%.1f%% of the full search), max %d (%.1f%%)%n", r.meanEpochs(),
                100 * r.meanEpochs() / r.fullEpochs(), r.maxEpochs(), 100.0 * r.maxEpochs() / r.fullEpochs());
        out.printf(Locale.ROOT, "  mean quality %.4f against the full search's %.4f (mean difference %+.4f); at least as good as the full search's pick "
                + "in %.0f%% of searches%n", r.meanQuality(), r.meanFullQuality(), r.meanDifference(), 100 * r.shareAtLeastAsGood());
        double[] perSeed = r.meanDifferencePerSeed();
        StringBuilder d = new StringBuilder("  mean difference per training seed:");
        for (int s = 0; s < perSeed.length; s++) {
            d.append(String.format(Locale.ROOT, " %d: %+.4f", r.seeds().get(s), perSeed[s]));
        }
        out.println(d);
        for (SearchReplay.Search s : r.searches()) {
            if (s.searchSeed() == search.seed()) {
                out.printf(Locale.ROOT, "  the file's own search (seed %d) on training seed %d: trial %d after %d epochs, quality %.4f%n", s.searchSeed(),
                        s.trainingSeed(), s.pick(), s.epochs(), s.quality());
            }
        }
        out.println("  picks:");
        int shown = 0;
        for (Map.Entry<Integer, Long> e : r.pickCounts().entrySet()) {
            if (shown++ == 6) {
                out.printf(Locale.ROOT, "    ... %d more (--json)%n", r.pickCounts().size() - 6);
                break;
            }
            out.printf(Locale.ROOT, "    trial %-4d %5.1f%%  %s%n", e.getKey(), 100.0 * e.getValue() / r.searches().size(),
                    params(JSON.valueToTree(r.params().get(e.getKey()))));
        }
    }

    @Command(name = "job", hidden = true, description = "Train one job of a study (the child process of 'study --processes').")
    static final class Job implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(index = "0", paramLabel = "STUDY_ID")
        String id;
        @Option(names = "--trial", required = true)
        int trial;
        @Option(names = "--rung", required = true)
        int rung;
        @CommandLine.Mixin
        RunsDirOption runs = new RunsDirOption();

        @Override
        public Integer call() {
            double score = new StudyRunner(new RunStore(runs.runsDir), line(spec.commandLine().getErr())).runOneJob(id, trial, rung);
            spec.commandLine().getOut().printf(Locale.ROOT, "trial %d rung %d: %.6f%n", trial, rung, score);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    static String params(JsonNode params) {
        List<String> parts = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            parts.add(e.getKey() + "=" + (v.isTextual() ? v.asText() : v.isFloatingPointNumber()
                    ? new java.math.BigDecimal(v.asText()).stripTrailingZeros().toPlainString() : v.toString()));
        }
        return String.join(", ", parts);
    }

    /** The leaderboard as text: budget, top trials, best per model kind beside the baselines, the CD test. */
    static void render(PrintWriter out, JsonNode b) {
        String metric = b.path("metric").asText();
        String testMetric = StudyConfig.Search.testMetricOf(metric);
        JsonNode budget = b.path("budget");
        out.printf(Locale.ROOT, "%nStudy %s: %s; %d epochs trained of %d for every trial to the end (%.0f%%)%n", b.path("name").asText(),
                b.path("search").path("kind").asText(), budget.path("epochs_trained").asLong(), budget.path("full_search_epochs").asLong(),
                100 * budget.path("fraction").asDouble());
        out.printf(Locale.ROOT, "  %-6s %-5s %-7s %-14s %-20s %s%n", "trial", "rung", "epochs", metric, "test " + testMetric, "parameters");
        int shown = 0;
        for (JsonNode t : b.path("trials")) {
            if (shown++ == 15) {
                out.printf(Locale.ROOT, "  ... %d more trials (study show ID --json, or the UI)%n", b.path("trials").size() - 15);
                break;
            }
            JsonNode test = t.path("test").path(testMetric);
            out.printf(Locale.ROOT, "  %-6d %-5s %-7d %-14s %-20s %s%n", t.path("trial").asInt(), t.path("rung").asInt() < 0 ? "-" : t.path("rung").asText(),
                    t.path("epochs").asInt(), t.path("validation").isNumber() ? String.format(Locale.ROOT, "%.4f", t.path("validation").asDouble())
                            : t.path("status").asText(), meanSd(test), params(t.path("params")));
        }
        JsonNode best = b.path("best");
        if (!best.isMissingNode()) {
            out.printf(Locale.ROOT, "chosen on validation rows: trial %d (%s), %d epochs: %s %.4f; test %s %s%n", best.path("trial").asInt(),
                    params(best.path("params")), best.path("epochs").asInt(), metric, best.path("validation").asDouble(), testMetric,
                    meanSd(best.path("test").path(testMetric)));
            if (best.path("verdict").path("text").isTextual()) {
                out.println("  " + best.path("verdict").path("text").asText());
            }
        }
        if (b.path("per_kind").size() > 0) {
            out.println("best trial per model kind beside the baselines (test, mean ± sd over seeds):");
            for (JsonNode k : b.path("per_kind")) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-11s trial %-4d %s %s", k.path("kind").asText(),
                        k.path("trial").asInt(), testMetric, meanSd(k.path("test").path(testMetric))));
                JsonNode beyond = k.path("test").path("pearson_beyond_mean_effects");
                if (!beyond.isMissingNode()) {
                    line.append("  beyond ME ").append(meanSd(beyond));
                }
                out.println(line);
            }
            JsonNode first = b.path("per_kind").get(0).path("baselines");
            for (Iterator<Map.Entry<String, JsonNode>> it = first.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.printf(Locale.ROOT, "  %-22s %s %s%n", e.getKey(), testMetric, meanSd(e.getValue().path(testMetric)));
            }
        }
        JsonNode cd = b.path("critical_difference");
        if (cd.has("mean_ranks")) {
            double p = cd.path("friedman_p").asDouble();
            out.printf(Locale.ROOT, "critical difference over %d %s: Friedman chi2 %.2f, p %s; Nemenyi CD %.2f (alpha 0.05)%n",
                    cd.path("blocks").asInt(), "drugs", cd.path("friedman_chi2").asDouble(), p < 1e-15 ? "< 1e-15" : String.format(Locale.ROOT, "= %.3g", p),
                    cd.path("critical_difference").asDouble());
            List<Map.Entry<String, JsonNode>> ranks = new ArrayList<>();
            cd.path("mean_ranks").fields().forEachRemaining(ranks::add);
            ranks.sort(java.util.Comparator.comparingDouble(e -> e.getValue().asDouble()));
            for (Map.Entry<String, JsonNode> e : ranks) {
                out.printf(Locale.ROOT, "  mean rank %.2f  %s%n", e.getValue().asDouble(), e.getKey());
            }
            for (JsonNode c : cd.path("cliques")) {
                List<String> names = new ArrayList<>();
                c.forEach(n -> names.add(n.asText()));
                out.println("  not significantly different: " + String.join(", ", names));
            }
        } else if (cd.has("skipped")) {
            out.println("critical difference: " + cd.path("skipped").asText());
        }
    }

    private static String meanSd(JsonNode m) {
        if (!m.path("mean").isNumber()) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.3f", m.path("mean").asDouble())
                + (m.path("sd").isNumber() ? String.format(Locale.ROOT, " ± %.3f", m.path("sd").asDouble()) : "");
    }
}
