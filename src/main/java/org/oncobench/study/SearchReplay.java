package org.oncobench.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.oncobench.config.BadInputException;
import org.oncobench.config.StudyConfig;
import org.oncobench.config.StudyLoader;
import org.oncobench.runs.RunStore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a successive-halving search would have chosen, and at what cost, replayed on the learning curves of a finished
 * full study of the same space — and whether its choice is as good as the full search's.
 * <p>
 * Why a replay is exact: a promoted trial continues from its checkpoint, and that is bit for bit the same training as
 * one run straight to the larger budget (StudyIT), so a trial's score at any rung is its full run's validation metric
 * after that many epochs. The replay drives {@link AshaScheduler} itself (one worker) with the search file's own draws
 * and trial order, for its seed and the {@code searches - 1} seeds after it.
 * <p>
 * Why the judging uses other seeds: each training seed of the full study stands for one search's data. The full
 * search picks the best final validation score; the replayed search picks by its own rule. A pick is then judged by
 * its mean test metric over the full study's <em>other</em> seeds. Judging a pick by the score it was picked on flatters
 * whichever search evaluated more configurations to the end: that score is the minimum of many noisy ones.
 */
public final class SearchReplay {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A full study's curves: {@code validation[s][t][e]} is trial t's validation metric after epoch e+1 when trained with
     * {@code seeds.get(s)}; {@code test[s][t]} its test metric at the end.
     */
    public record Curves(String study, List<Map<String, JsonNode>> params, List<Long> seeds, double[][][] validation, double[][] test,
                         boolean lowerIsBetter, int maxEpochs, String metric) {
        int trials() {
            return params.size();
        }

        /** Trial t judged on every seed but {@code seed}: its mean test metric there. */
        double quality(int trial, int seed) {
            double sum = 0;
            for (int s = 0; s < seeds.size(); s++) {
                if (s != seed) {
                    sum += test[s][trial];
                }
            }
            return sum / (seeds.size() - 1);
        }
    }

    /** One search's outcome: the chosen trial and the epochs it trained. */
    public record Pick(int trial, long epochs) {
    }

    /** A replayed search on one training seed: its search seed, its pick (a trial of the full study) and the pick's quality. */
    public record Search(long searchSeed, long trainingSeed, int pick, long epochs, double quality) {
    }

    /**
     * @param fullEpochs     what the full search trains per training seed (trials x max epochs)
     * @param fullPicks      the full search's pick per training seed
     * @param fullQuality    those picks' quality (mean test metric on the other seeds), per training seed
     * @param searches       every replayed search (search seeds x training seeds)
     */
    public record Result(String study, String metric, boolean lowerIsBetter, int[] rungs, int trialsPerSearch, long fullEpochs,
                         List<Long> seeds, int[] fullPicks, double[] fullQuality, List<Search> searches, List<Map<String, JsonNode>> params) {

        public double meanEpochs() {
            return searches.stream().mapToLong(Search::epochs).average().orElse(Double.NaN);
        }

        public long maxEpochs() {
            return searches.stream().mapToLong(Search::epochs).max().orElse(0);
        }

        public double meanQuality() {
            return searches.stream().mapToDouble(Search::quality).average().orElse(Double.NaN);
        }

        public double meanFullQuality() {
            return java.util.Arrays.stream(fullQuality).average().orElse(Double.NaN);
        }

        /** Mean over searches of (search's quality - full search's quality on the same training seed): negative is better for RMSE. */
        public double meanDifference() {
            return searches.stream().mapToDouble(s -> s.quality() - fullQuality[seeds.indexOf(s.trainingSeed())]).average().orElse(Double.NaN);
        }

        /** Per training seed: the mean over its searches of (search's quality - full search's quality). */
        public double[] meanDifferencePerSeed() {
            double[] d = new double[seeds.size()];
            for (int s = 0; s < d.length; s++) {
                long seed = seeds.get(s);
                double full = fullQuality[s];
                d[s] = searches.stream().filter(x -> x.trainingSeed() == seed).mapToDouble(x -> x.quality() - full).average().orElse(Double.NaN);
            }
            return d;
        }

        /** The share of searches whose pick is at least as good as the full search's on the same training seed. */
        public double shareAtLeastAsGood() {
            return searches.stream().filter(s -> {
                double f = fullQuality[seeds.indexOf(s.trainingSeed())];
                return lowerIsBetter ? s.quality() <= f : s.quality() >= f;
            }).count() / (double) searches.size();
        }

        /** How often each trial was picked, most often first. */
        public Map<Integer, Long> pickCounts() {
            Map<Integer, Long> counts = new TreeMap<>();
            searches.forEach(s -> counts.merge(s.pick(), 1L, Long::sum));
            Map<Integer, Long> sorted = new LinkedHashMap<>();
            counts.entrySet().stream().sorted(Map.Entry.<Integer, Long>comparingByValue().reversed()).forEach(e -> sorted.put(e.getKey(), e.getValue()));
            return sorted;
        }

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("full_study", study);
            m.put("metric", metric);
            m.put("lower_is_better", lowerIsBetter);
            m.put("rungs", rungs);
            m.put("trials_per_search", trialsPerSearch);
            m.put("training_seeds", seeds);
            m.put("full_search_epochs", fullEpochs);
            List<Map<String, Object>> full = new ArrayList<>();
            for (int s = 0; s < seeds.size(); s++) {
                full.add(ordered("training_seed", seeds.get(s), "pick", fullPicks[s], "params", params.get(fullPicks[s]), "quality", fullQuality[s]));
            }
            m.put("full_search", full);
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("searches", searches.size());
            summary.put("mean_epochs", meanEpochs());
            summary.put("max_epochs", maxEpochs());
            summary.put("mean_fraction_of_full", meanEpochs() / fullEpochs);
            summary.put("mean_quality", meanQuality());
            summary.put("full_search_mean_quality", meanFullQuality());
            summary.put("mean_difference", meanDifference());
            summary.put("mean_difference_per_training_seed", meanDifferencePerSeed());
            summary.put("share_at_least_as_good", shareAtLeastAsGood());
            m.put("summary", summary);
            m.put("picks", pickCounts().entrySet().stream().map(e -> ordered("trial", e.getKey(), "params", params.get(e.getKey()), "count", e.getValue()))
                    .toList());
            m.put("searches", searches.stream().map(s -> ordered("search_seed", s.searchSeed(), "training_seed", s.trainingSeed(), "pick", s.pick(),
                    "epochs", s.epochs(), "quality", s.quality())).toList());
            return m;
        }
    }

    private SearchReplay() {
    }

    /** A JSON object whose keys keep the order given (key, value, key, value, ...). */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    /** The full search's pick: the best validation metric after the last epoch (ties: the lower trial). */
    static int fullPick(double[][] curves, int epochs, boolean lowerIsBetter) {
        int best = -1;
        for (int t = 0; t < curves.length; t++) {
            double v = curves[t][epochs - 1];
            if (best < 0 || (lowerIsBetter ? v < curves[best][epochs - 1] : v > curves[best][epochs - 1])) {
                best = t;
            }
        }
        return best;
    }

    /**
     * One sequential successive-halving search: {@link AshaScheduler} with one worker, each job scored with its trial's
     * validation metric after the job's epochs. The pick is the leaderboard's: the best score at the highest rung reached.
     *
     * @param curves validation metric per trial (of the search) and epoch
     */
    static Pick asha(double[][] curves, int[] order, int minEpochs, int maxEpochs, int eta, boolean lowerIsBetter) {
        AshaScheduler scheduler = new AshaScheduler(minEpochs, maxEpochs, eta, lowerIsBetter, order);
        long epochs = 0;
        for (Optional<AshaScheduler.Job> next = scheduler.next(); next.isPresent(); next = scheduler.next()) {
            AshaScheduler.Job job = next.get();
            epochs += job.epochs() - job.fromEpochs();
            scheduler.finished(job, curves[job.trial()][job.epochs() - 1]);
        }
        int[] budgets = scheduler.budgets();
        for (int k = budgets.length - 1; k >= 0; k--) {
            List<Integer> ranked = scheduler.ranked(k);
            if (!ranked.isEmpty()) {
                return new Pick(ranked.get(0), epochs);
            }
        }
        throw new IllegalStateException("the search trained nothing");
    }

    /**
     * Replays the successive-halving search of {@code search} (its space, trials, seed, min_epochs and eta) on the
     * curves of a full study of the same space, for {@code searches} search seeds starting at the file's own.
     */
    public static Result replay(Curves curves, StudyConfig search, int searches) {
        if (!search.search().asha()) {
            throw new BadInputException("the search file's search.kind is " + search.search().kind() + ": replay compares a successive-halving "
                    + "search (search: {kind: asha, ...}) with the full study");
        }
        if (search.search().maxEpochs() != curves.maxEpochs()) {
            throw new BadInputException("the search file's search.max_epochs is " + search.search().maxEpochs() + " but study " + curves.study()
                    + " trained every trial for " + curves.maxEpochs() + ": they must be equal");
        }
        if (!search.search().metric().equals(curves.metric())) {
            throw new BadInputException("the search file's search.metric is " + search.search().metric() + " but study " + curves.study() + " used "
                    + curves.metric());
        }
        if (searches < 1 || searches > 100_000) {
            throw new BadInputException("--searches " + searches + " is out of range; allowed: 1..100000");
        }
        int[] rungs = AshaScheduler.budgets(search.search().minEpochs(), search.search().maxEpochs(), search.search().eta());
        int n = curves.seeds().size();
        int[] fullPicks = new int[n];
        double[] fullQuality = new double[n];
        for (int s = 0; s < n; s++) {
            fullPicks[s] = fullPick(curves.validation()[s], curves.maxEpochs(), curves.lowerIsBetter());
            fullQuality[s] = curves.quality(fullPicks[s], s);
        }
        List<Search> out = new ArrayList<>();
        int trialsPerSearch = 0;
        for (int r = 0; r < searches; r++) {
            long searchSeed = search.seed() + r;
            SearchSpace space = new SearchSpace(search.withSeed(searchSeed));
            int[] toFull = new int[space.size()];
            for (int i = 0; i < toFull.length; i++) {
                toFull[i] = match(space.params(i), curves);
            }
            trialsPerSearch = toFull.length;
            int[] order = space.order(true);
            for (int s = 0; s < n; s++) {
                double[][] v = new double[toFull.length][];
                for (int i = 0; i < toFull.length; i++) {
                    v[i] = curves.validation()[s][toFull[i]];
                }
                Pick p = asha(v, order, search.search().minEpochs(), search.search().maxEpochs(), search.search().eta(), curves.lowerIsBetter());
                int pick = toFull[p.trial()];
                out.add(new Search(searchSeed, curves.seeds().get(s), pick, p.epochs(), curves.quality(pick, s)));
            }
        }
        return new Result(curves.study(), curves.metric(), curves.lowerIsBetter(), rungs, trialsPerSearch, (long) curves.trials() * curves.maxEpochs(),
                curves.seeds(), fullPicks, fullQuality, List.copyOf(out), curves.params());
    }

    /** The full study's trial with exactly these parameters (numbers compared as numbers: 0 equals 0.0). */
    static int match(Map<String, JsonNode> params, Curves curves) {
        for (int t = 0; t < curves.trials(); t++) {
            Map<String, JsonNode> full = curves.params().get(t);
            if (full.keySet().equals(params.keySet()) && params.entrySet().stream().allMatch(e -> same(e.getValue(), full.get(e.getKey())))) {
                return t;
            }
        }
        Map<String, JsonNode> first = curves.params().get(0);
        if (!first.keySet().equals(params.keySet())) {
            throw new BadInputException("the search file varies " + params.keySet() + " but study " + curves.study() + " varies " + first.keySet()
                    + ": replay needs the same keys");
        }
        throw new BadInputException("the search draws " + params + ", which study " + curves.study() + " did not train: replay needs a space of "
                + "choices the full study covers (choice: or grid: values, not uniform or log_uniform draws)");
    }

    private static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b != null && b.isNumber()) {
            return a.asDouble() == b.asDouble();
        }
        return a.equals(b);
    }

    /** The learning curves of a finished full study (search kind full, two or more seeds, no early stopping). */
    public static Curves load(RunStore store, String studyId) {
        StudyFolder folder = StudyFolder.open(store, studyId);
        StudyConfig config = new StudyLoader().load(folder.file("study.yaml"));
        if (config.search().asha()) {
            throw new BadInputException("study " + studyId + " is a successive-halving study: replay needs a full study (search: {kind: full}), "
                    + "where every trial has its whole learning curve");
        }
        if (config.seeds().size() < 2) {
            throw new BadInputException("study " + studyId + " has one seed (seeds: " + config.seeds() + "): replay needs two or more, since a pick "
                    + "is judged on the seeds it was not picked on");
        }
        SearchSpace space = new SearchSpace(config);
        int trials = space.size();
        int max = config.search().maxEpochs();
        String testKey = config.search().testMetric();
        Map<Integer, JsonNode> results = new LinkedHashMap<>();
        for (JsonNode e : folder.events()) {
            if ("result".equals(e.path("event").asText())) {
                results.put(e.path("trial").asInt(), e);
            }
        }
        int seeds = config.seeds().size();
        double[][][] validation = new double[seeds][trials][];
        double[][] test = new double[seeds][trials];
        List<Map<String, JsonNode>> params = new ArrayList<>();
        java.util.Set<String> splits = new java.util.TreeSet<>();
        for (int t = 0; t < trials; t++) {
            params.add(space.params(t));
            JsonNode result = results.get(t);
            if (result == null || result.path("runs").size() != seeds) {
                throw new BadInputException("study " + studyId + " has no finished result for trial " + t + " on every seed: finish it first "
                        + "(oncobench study resume " + studyId + ")");
            }
            for (int s = 0; s < seeds; s++) {
                Path dir = store.dirOf(result.path("runs").get(s).asText());
                JsonNode m;
                try {
                    m = JSON.readTree(dir.resolve("metrics.json").toFile());
                } catch (IOException e) {
                    throw new BadInputException(dir.resolve("metrics.json") + ": unreadable (" + e.getMessage() + ")");
                }
                try {
                    JsonNode splitSeed = JSON.readTree(dir.resolve("run.json").toFile()).path("split_seed");
                    splits.add(splitSeed.isIntegralNumber() ? splitSeed.asText() : "none");
                } catch (IOException e) {
                    throw new BadInputException(dir.resolve("run.json") + ": unreadable (" + e.getMessage() + ")");
                }
                JsonNode training = m.path("training");
                if (training.path("stopped_early").asBoolean(false) || training.path("model_from_epoch").asInt(max) != training.path("epochs_run").asInt(max)) {
                    throw new BadInputException(dir + " kept the model of epoch " + training.path("model_from_epoch").asInt() + " of "
                            + training.path("epochs_run").asInt() + " (training.early_stopping): replay needs runs whose model is their last epoch's");
                }
                JsonNode history = m.path("history");
                if (history.size() < max) {
                    throw new BadInputException(dir.resolve("metrics.json") + " has " + history.size() + " epochs of history; the study trains " + max);
                }
                validation[s][t] = new double[max];
                for (int e = 0; e < max; e++) {
                    validation[s][t][e] = history.get(e).path("validation").asDouble(Double.NaN);
                }
                test[s][t] = m.path("test").path(testKey).asDouble(Double.NaN);
                if (!Double.isFinite(test[s][t])) {
                    throw new BadInputException(dir.resolve("metrics.json") + " has no test." + testKey);
                }
            }
        }
        if (splits.size() != 1 || splits.contains("none")) {
            // judging a pick "on the other seeds" is honest only when every seed tests on the same rows: studies run before
            // a study fixed its split drew one partition per seed, so other seeds' test rows were this seed's training rows
            throw new BadInputException("study " + studyId + "'s runs were not all drawn from one split (split seeds " + splits + "): judged on "
                    + "the other seeds, a pick would be scored on rows that helped choose it. Run the study again: a study now fixes its split");
        }
        return new Curves(studyId, List.copyOf(params), List.copyOf(config.seeds()), validation, test, config.search().lowerIsBetter(), max,
                config.search().metric());
    }
}
