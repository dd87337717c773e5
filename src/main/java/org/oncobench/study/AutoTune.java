package org.oncobench.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.oncobench.config.BadInputException;
import org.oncobench.config.ExperimentConfig;
import org.oncobench.config.ExperimentLoader;
import org.oncobench.config.LoadedExperiment;
import org.oncobench.config.StudyConfig;
import org.oncobench.train.Analyses;
import org.oncobench.train.ExperimentRunner;
import org.oncobench.train.RunResult;
import org.oncobench.train.ValidationTrainer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * {@code model.kind: auto} ({@code oncobench run EXPERIMENT --tune 10m}): a successive-halving search over the candidates
 * of {@link TuneCandidates} on the experiment's validation rows, then the chosen configuration trained as the run's model
 * (beside the baselines), with the search recorded in metrics.json under {@code tune}.
 *
 * <p>Determinism: the budget does not decide anything by the clock. It fixes the plan (rungs, how many candidates) through
 * the catalogue's cost model from the data's shape (training rows, the largest candidate's parameters), so the same
 * experiment and budget train the same candidates in the same order, choose the same one and record the same scores. The
 * clock only caps: when the search's share of the budget is spent before the plan is done (a slower or busier machine than
 * the cost model's), no further job starts, the best of what finished is chosen, and the record says {@code cut: true}
 * (such a run is not reproducible, and says so). Promotions retrain from scratch for the longer budget (a schedule such as
 * cosine depends on the epoch count), under the run's seed: the chosen candidate at the top rung is exactly the network the
 * run then trains.
 */
public final class AutoTune {
    private final Consumer<String> status;
    private final LongSupplier clock;

    /** One candidate: its trial number, its parameters (architecture, recipe, target, random keys) and its overrides. */
    public record Candidate(int trial, Map<String, JsonNode> params, List<String> overrides) {
    }

    /** The plan the budget buys: the rungs' epochs, the candidates started, the jobs, and the estimated seconds. */
    public record Plan(int[] rungs, int eta, int candidates, int space, int jobs, double searchSeconds, double finalSeconds, double budgetSeconds) {
    }

    /** One trained job of the search. */
    public record Job(int trial, int rung, int epochs, double score, int bestEpoch, int trainedEpochs, double seconds) {
    }

    /**
     * What the search did and chose.
     *
     * @param overrides the chosen configuration's overrides (appended to the experiment's own)
     * @param cut       whether the wall-clock cap stopped the search before its plan was done
     */
    public record Search(Plan plan, List<Candidate> candidates, List<Job> jobs, List<List<Integer>> promoted, Candidate chosen, double chosenScore,
                         int chosenRung, List<String> overrides, boolean cut, String metric, List<String> notes, double seconds) {
    }

    /** The run of the chosen configuration and the search that chose it. */
    public record Result(RunResult run, Search search) {
    }

    public AutoTune(Consumer<String> status) {
        this(status, System::nanoTime);
    }

    /** @param clock nanoseconds, for the budget's cap (a test's clock makes the cap structural) */
    public AutoTune(Consumer<String> status, LongSupplier clock) {
        this.status = status;
        this.clock = clock;
    }

    /** Searches, then runs the chosen configuration with {@code runner} (its analyses plus the search's record). */
    public Result run(LoadedExperiment experiment, ExperimentRunner runner) {
        ValidationTrainer trainer = ValidationTrainer.load(experiment.config(), line -> { });
        Search search = search(experiment, trainer);
        LoadedExperiment chosen = new ExperimentLoader().load(experiment.file(), search.overrides());
        RunResult run = runner.withAnalyses(Analyses.standard().with(new TuneAnalysis(search))).run(chosen);
        return new Result(run, search);
    }

    /** The search alone, on {@code trainer}'s rows (tests hand it a cohort whose test labels are poisoned). */
    public Search search(LoadedExperiment experiment, ValidationTrainer trainer) {
        long t0 = clock.getAsLong();
        ExperimentConfig base = experiment.config();
        ExperimentConfig.TuneConfig tune = base.model().tune();
        if (tune == null || !"auto".equals(base.model().kind())) {
            throw new BadInputException("model.kind is " + base.model().kind() + "; only model.kind: auto (or --tune) searches");
        }
        TuneCandidates catalogue = TuneCandidates.standard();
        List<String> notes = new ArrayList<>();
        List<String> baseOverrides = new ArrayList<>(experiment.overrides());
        baseOverrides.add("model.tune={}");
        baseOverrides.add("training.restore_best=true");
        Map<String, List<JsonNode>> grid = new LinkedHashMap<>();
        grid.put("architecture", names(catalogue.architectures(), experiment, base, baseOverrides, notes));
        grid.put("recipe", names(catalogue.recipes(), experiment, base, baseOverrides, notes));
        grid.put("target", names(catalogue.targets(), experiment, base, baseOverrides, notes));
        for (Map.Entry<String, List<JsonNode>> e : grid.entrySet()) {
            if (e.getValue().isEmpty()) {
                throw new BadInputException("model.kind: auto: the experiment refuses every " + e.getKey() + " of the search (" + String.join("; ", notes) + ")");
            }
        }
        boolean classification = base.task().isClassification();
        String metric = classification ? "validation.auc" : "validation.rmse";
        int maxEpochs = base.training().epochs();
        int minEpochs = tune.minEpochs() != null ? Math.min(tune.minEpochs(), maxEpochs) : Math.max(1, maxEpochs / (tune.eta() * tune.eta()));
        StudyConfig study = new StudyConfig(base.name() + "-tune", experiment.file(), Map.of(), grid, catalogue.random(), catalogue.draws(),
                List.of(base.seed()), tune.seed(), new StudyConfig.Search("asha", metric, minEpochs, maxEpochs, tune.eta()), 1);
        SearchSpace space = new SearchSpace(study);
        int[] rungs = AshaScheduler.budgets(minEpochs, maxEpochs, tune.eta());

        // the plan: the most candidates whose successive halving fits the budget, by the cost model (no clock)
        long params = 0;
        for (JsonNode arch : grid.get("architecture")) {
            params = Math.max(params, trainer.parameters(load(experiment, overrides(catalogue, baseOverrides, Map.of("architecture", arch)))));
        }
        double perEpoch = catalogue.cost().perEpoch() + catalogue.cost().perMillionParamRows() * trainer.trainingRows() * (params / 1e6);
        double finalSeconds = maxEpochs * perEpoch + catalogue.cost().perCandidate();
        double searchBudget = tune.seconds() - finalSeconds;
        int n = 0;
        int jobsPlanned = 0;
        double planned = 0;
        int most = tune.candidates() == null ? space.size() : Math.min(space.size(), tune.candidates());
        for (int k = 1; k <= most; k++) {
            List<AshaScheduler.Job> jobs = simulate(k, rungs, tune.eta());
            double cost = jobs.stream().mapToDouble(j -> j.epochs() * perEpoch + catalogue.cost().perCandidate()).sum();
            if (cost > searchBudget) {
                break;
            }
            n = k;
            jobsPlanned = jobs.size();
            planned = cost;
        }
        if (n < 2) {
            double two = simulate(2, rungs, tune.eta()).stream().mapToDouble(j -> j.epochs() * perEpoch + catalogue.cost().perCandidate()).sum();
            throw new BadInputException(String.format(Locale.ROOT, "budget %s (--tune / model.tune.budget): the smallest search on this experiment "
                            + "(2 candidates, rungs of %s epochs) is estimated at %.0f s, plus %.0f s for the chosen model; give at least %s",
                    tune.budget(), java.util.Arrays.toString(rungs), two, finalSeconds, minutes(two + finalSeconds)));
        }
        int[] order = java.util.Arrays.copyOf(space.order(true), n);
        Plan plan = new Plan(rungs, tune.eta(), n, space.size(), jobsPlanned, round1(planned), round1(finalSeconds), tune.seconds());
        status.accept(String.format(Locale.ROOT, "tune: %d of %d candidates (%s), successive halving (eta %d) on %s over rungs of %s epochs: "
                        + "%d jobs, estimated %.0f s + %.0f s for the chosen model, budget %s", n, space.size(), describe(grid, catalogue),
                tune.eta(), metric, java.util.Arrays.toString(rungs), jobsPlanned, planned, finalSeconds, tune.budget()));

        AshaScheduler scheduler = new AshaScheduler(minEpochs, maxEpochs, tune.eta(), !classification, order);
        List<Candidate> candidates = new ArrayList<>();
        for (int t : order) {
            candidates.add(new Candidate(t, space.params(t), overrides(catalogue, baseOverrides, space.params(t))));
        }
        Map<Integer, Candidate> byTrial = new LinkedHashMap<>();
        candidates.forEach(c -> byTrial.put(c.trial(), c));
        List<Job> done = new ArrayList<>();
        boolean cut = false;
        long capNanos = (long) (Math.max(0, searchBudget) * 1e9);
        while (true) {
            Optional<AshaScheduler.Job> next = scheduler.next();
            if (next.isEmpty()) {
                break;
            }
            AshaScheduler.Job job = next.get();
            // the cap: no job starts that the cost model says would end past the search's share of the budget
            long expected = (long) ((job.epochs() * perEpoch + catalogue.cost().perCandidate()) * 1e9);
            if (clock.getAsLong() - t0 + expected > capNanos) {
                cut = true;
                break;
            }
            Candidate c = byTrial.get(job.trial());
            List<String> o = new ArrayList<>(c.overrides());
            o.add("training.epochs=" + job.epochs());
            long j0 = clock.getAsLong();
            ValidationTrainer.Score s;
            try {
                s = trainer.score(load(experiment, o));
            } catch (RuntimeException e) { // a candidate that diverges leaves the search; the others go on
                scheduler.failed(job);
                notes.add("trial " + c.trial() + " rung " + job.rung() + " failed: " + e.getMessage());
                status.accept("  trial " + c.trial() + " rung " + job.rung() + " failed: " + e.getMessage());
                continue;
            }
            double seconds = (clock.getAsLong() - j0) / 1e9;
            scheduler.finished(job, s.metric());
            done.add(new Job(c.trial(), job.rung(), job.epochs(), s.metric(), s.bestEpoch(), s.epochs(), round1(seconds)));
            status.accept(String.format(Locale.ROOT, "  trial %d rung %d (%d epochs): %s -> %s %.4f (epoch %d, %.0fs)", c.trial(), job.rung(), job.epochs(),
                    StudyRunner.brief(c.params()), metric, s.metric(), s.bestEpoch(), seconds));
        }
        if (cut) {
            notes.add(String.format(Locale.ROOT, "the wall-clock cap (%.0f s of the budget for the search) stopped it after %d of %d planned jobs: "
                    + "this choice depends on the machine's speed and is not reproducible", searchBudget, done.size(), jobsPlanned));
            status.accept("note: " + notes.get(notes.size() - 1));
        }
        int top = -1;
        for (int k = rungs.length - 1; k >= 0 && top < 0; k--) {
            if (!scheduler.ranked(k).isEmpty()) {
                top = k;
            }
        }
        if (top < 0) {
            throw new IllegalStateException("model.kind: auto: no candidate finished (" + String.join("; ", notes) + ")");
        }
        Candidate chosen = byTrial.get(scheduler.ranked(top).get(0));
        double chosenScore = scheduler.score(chosen.trial(), top);
        List<List<Integer>> promoted = new ArrayList<>();
        for (int k = 1; k < rungs.length; k++) {
            int rung = k;
            promoted.add(done.stream().filter(j -> j.rung() == rung).map(Job::trial).toList());
        }
        List<String> chosenOverrides = new ArrayList<>(chosen.overrides());
        double seconds = (clock.getAsLong() - t0) / 1e9;
        status.accept(String.format(Locale.ROOT, "tune: chose trial %d (%s): %s %.4f at rung %d; %d jobs in %.0f s%s", chosen.trial(),
                StudyRunner.brief(chosen.params()), metric, chosenScore, top, done.size(), seconds, cut ? " (cut by the budget)" : ""));
        return new Search(plan, candidates, List.copyOf(done), promoted, chosen, chosenScore, top, List.copyOf(chosenOverrides), cut, metric,
                List.copyOf(notes), round1(seconds));
    }

    /** The jobs sequential successive halving runs for {@code n} candidates: their count does not depend on the scores. */
    static List<AshaScheduler.Job> simulate(int n, int[] rungs, int eta) {
        AshaScheduler s = new AshaScheduler(rungs[0], rungs[rungs.length - 1], eta, true, java.util.stream.IntStream.range(0, n).toArray());
        List<AshaScheduler.Job> jobs = new ArrayList<>();
        for (Optional<AshaScheduler.Job> j = s.next(); j.isPresent(); j = s.next()) {
            jobs.add(j.get());
            s.finished(j.get(), j.get().trial());
        }
        return jobs;
    }

    /** A catalogue part's names the experiment accepts (each probed alone), refusals noted. */
    private static List<JsonNode> names(List<TuneCandidates.Entry> entries, LoadedExperiment experiment, ExperimentConfig base, List<String> baseOverrides,
                                        List<String> notes) {
        List<JsonNode> out = new ArrayList<>();
        for (TuneCandidates.Entry e : entries) {
            String missing = e.needs().stream().filter(need -> "drugs".equals(need) ? base.data().drugs().isEmpty()
                    : "groups".equals(need) && base.data().groups().isEmpty()).findFirst().orElse(null);
            if (missing != null) {
                notes.add(e.name() + " left out: the experiment has no " + missing);
                continue;
            }
            List<String> o = new ArrayList<>(baseOverrides);
            o.add("model.kind=mlp");
            o.addAll(e.overrides());
            try {
                new ExperimentLoader().load(experiment.file(), o);
                out.add(TextNode.valueOf(e.name()));
            } catch (BadInputException x) {
                notes.add(e.name() + " left out: " + x.getMessage().replace('\n', ' '));
            }
        }
        return out;
    }

    /** A candidate's overrides: the experiment's own, then its architecture, recipe and target sets, then its random keys. */
    private static List<String> overrides(TuneCandidates catalogue, List<String> baseOverrides, Map<String, JsonNode> params) {
        List<String> o = new ArrayList<>(baseOverrides);
        o.add("model.kind=mlp"); // replaced by the architecture's kind
        params.forEach((k, v) -> {
            switch (k) {
                case "architecture" -> o.addAll(catalogue.architecture(v.asText()).overrides());
                case "recipe" -> o.addAll(catalogue.recipe(v.asText()).overrides());
                case "target" -> o.addAll(catalogue.target(v.asText()).overrides());
                default -> o.add(k + "=" + v);
            }
        });
        return o;
    }

    private static ExperimentConfig load(LoadedExperiment experiment, List<String> overrides) {
        return new ExperimentLoader().load(experiment.file(), overrides).config();
    }

    private static String describe(Map<String, List<JsonNode>> grid, TuneCandidates catalogue) {
        List<String> parts = new ArrayList<>();
        grid.forEach((k, v) -> parts.add(v.size() + " " + k + (v.size() == 1 ? "" : "s")));
        return String.join(" x ", parts) + " x " + catalogue.draws() + " draws of " + String.join(", ", catalogue.random().keySet());
    }

    private static String minutes(double seconds) {
        long m = (long) Math.ceil(seconds / 60);
        return m + "m";
    }

    private static double round1(double x) {
        return Math.round(x * 10) / 10.0;
    }
}
