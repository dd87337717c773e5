package org.oncobench.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.oncobench.config.StudyConfig;
import org.oncobench.eval.CriticalDifference;
import org.oncobench.eval.CriticalDifferenceChart;
import org.oncobench.eval.FoldSummary;
import org.oncobench.eval.Verdict;
import org.oncobench.runs.RunStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The study's leaderboard, from trials.jsonl and the trials' run folders: every trial (parameters, rung reached,
 * validation score, test metrics as mean ± sd over seeds), the chosen trial (best validation score at the highest rung
 * any trial reached: test rows never choose), the best trial of each model kind beside every baseline, the epochs spent
 * against a full grid of the same space, and — with several model kinds — the Friedman test and Nemenyi critical
 * difference over drugs (per-drug test RMSE or Pearson, mean over seeds) with its diagram.
 */
final class Leaderboard {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RunStore store;
    private final StudyFolder folder;
    private final StudyConfig config;
    private final SearchSpace space;

    Leaderboard(RunStore store, StudyFolder folder, StudyConfig config, SearchSpace space) {
        this.store = store;
        this.folder = folder;
        this.config = config;
        this.space = space;
    }

    Map<String, Object> build(boolean finished) {
        boolean lower = config.search().lowerIsBetter();
        TrialLog.Replayed replayed = TrialLog.replay(folder.events(), space);
        Map<Integer, TrialLog.TrialState> trials = replayed.trials();
        long epochsUsed = replayed.epochsUsed();
        String metric = config.search().metric();
        Map<String, Object> board = new LinkedHashMap<>();
        board.put("study", folder.id());
        board.put("name", config.name());
        board.put("finished", finished);
        board.put("metric", metric);
        board.put("lower_is_better", lower);
        board.put("search", config.search());
        board.put("rungs", AshaScheduler.budgets(config.search().minEpochs(), config.search().maxEpochs(), config.search().eta()));
        board.put("seeds", config.seeds());
        board.put("parameters", paramKeys());
        long fullGrid = (long) space.size() * config.search().maxEpochs() * config.seeds().size();
        Map<String, Object> budget = new LinkedHashMap<>();
        budget.put("epochs_trained", epochsUsed);
        budget.put("full_search_epochs", fullGrid);
        budget.put("fraction", fullGrid == 0 ? null : (double) epochsUsed / fullGrid);
        board.put("budget", budget);

        Comparator<TrialLog.TrialState> byScore = Comparator.comparingDouble(TrialLog.TrialState::score);
        if (!lower) {
            byScore = byScore.reversed();
        }
        Comparator<TrialLog.TrialState> ranking = Comparator.comparingInt(TrialLog.TrialState::rung).reversed().thenComparing(byScore).thenComparingInt(TrialLog.TrialState::trial);
        List<TrialLog.TrialState> scored = trials.values().stream().filter(s -> Double.isFinite(s.score())).sorted(ranking).toList();
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<Integer, Map<String, Object>> testByTrial = new LinkedHashMap<>();
        for (TrialLog.TrialState s : trials.values().stream().sorted(ranking.thenComparing(x -> !Double.isFinite(x.score()))).toList()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("trial", s.trial());
            row.put("params", s.params());
            row.put("rung", s.rung());
            row.put("epochs", s.epochs());
            row.put("status", s.status());
            row.put("validation", Double.isFinite(s.score()) ? s.score() : null);
            RunMetrics m = RunMetrics.of(store, s.runs());
            Map<String, Object> test = m.test();
            testByTrial.put(s.trial(), test);
            row.put("test", test);
            row.put("runs", s.runs());
            rows.add(row);
        }
        board.put("trials", rows);
        if (scored.isEmpty()) {
            return board;
        }
        TrialLog.TrialState best = scored.get(0);
        Map<String, Object> chosen = summary(best, testByTrial.get(best.trial()));
        Map<String, Object> verdict = verdict(RunMetrics.of(store, best.runs()), config.search().testMetric());
        if (verdict != null) {
            chosen.put("verdict", verdict);
        }
        board.put("best", chosen);

        // the best trial of each model kind (its highest rung first, then its validation score), beside every baseline
        Map<String, TrialLog.TrialState> perKind = new LinkedHashMap<>();
        for (TrialLog.TrialState s : scored) {
            perKind.putIfAbsent(kindOf(s), s);
        }
        List<Map<String, Object>> kinds = new ArrayList<>();
        for (Map.Entry<String, TrialLog.TrialState> e : perKind.entrySet()) {
            Map<String, Object> k = summary(e.getValue(), testByTrial.get(e.getValue().trial()));
            k.put("kind", e.getKey());
            k.put("baselines", RunMetrics.of(store, e.getValue().runs()).baselines());
            kinds.add(k);
        }
        board.put("per_kind", kinds);
        if (finished || perKind.size() > 1) {
            criticalDifference(board, perKind);
        }
        return board;
    }

    /**
     * The chosen trial against the best baseline by the mean test metric over its seeds' runs, in the runs' own words
     * ({@link Verdict}, without an interval: a mean over seeds has none), and how many of those runs beat it by their own
     * bootstrap interval.
     */
    private static Map<String, Object> verdict(RunMetrics runs, String metric) {
        Map<String, Object> test = runs.test();
        if (!(test.get(metric) instanceof Map<?, ?> model) || runs.metrics.isEmpty()) {
            return null;
        }
        boolean higherIsBetter = !"rmse".equals(metric);
        String bestBaseline = null;
        double bestValue = Double.NaN;
        for (Map.Entry<String, Object> b : runs.baselines().entrySet()) {
            if (b.getValue() instanceof Map<?, ?> m && m.get(metric) instanceof Map<?, ?> v && v.get("mean") instanceof Double mean
                    && (bestBaseline == null || (higherIsBetter ? mean > bestValue : mean < bestValue))) {
                bestBaseline = b.getKey();
                bestValue = mean;
            }
        }
        if (bestBaseline == null) {
            return null;
        }
        Verdict v = Verdict.of(bestBaseline, metric, higherIsBetter, (Double) model.get("mean"), bestValue, Double.NaN, Double.NaN);
        Map<String, Object> out = v.toMap();
        long beats = runs.metrics.stream().filter(m -> m.path("verdict").path("beats").asBoolean(false)).count();
        out.put("runs_that_beat_their_best_baseline", beats);
        out.put("runs", runs.metrics.size());
        out.put("text", v.text() + String.format(Locale.ROOT, "; %d of %d seeds' runs beat their best baseline by their own bootstrap interval",
                beats, runs.metrics.size()));
        return out;
    }

    private Map<String, Object> summary(TrialLog.TrialState s, Map<String, Object> test) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("trial", s.trial());
        m.put("params", s.params());
        m.put("rung", s.rung());
        m.put("epochs", s.epochs());
        m.put("validation", s.score());
        m.put("test", test);
        m.put("runs", s.runs());
        return m;
    }

    private String kindOf(TrialLog.TrialState s) {
        JsonNode k = s.params().get("model.kind");
        if (k != null) {
            return k.asText();
        }
        return RunMetrics.of(store, s.runs()).modelKind();
    }

    private List<String> paramKeys() {
        Set<String> keys = new LinkedHashSet<>(config.grid().keySet());
        keys.addAll(config.random().keySet());
        return List.copyOf(keys);
    }

    /**
     * Friedman + Nemenyi over drugs: the best trial of each kind and each baseline, each drug's test RMSE (Pearson for a
     * classification... AUC is not per drug: classification studies skip it) averaged over the seeds' runs.
     */
    private void criticalDifference(Map<String, Object> board, Map<String, TrialLog.TrialState> perKind) {
        if (perKind.size() < 2) {
            board.put("critical_difference", Map.of("skipped", "one model kind in the study: nothing to rank against"));
            return;
        }
        Map<String, Map<String, Double>> perDrug = new LinkedHashMap<>(); // predictor -> drug -> metric
        Set<String> baselineNames = null;
        for (Map.Entry<String, TrialLog.TrialState> e : perKind.entrySet()) {
            RunMetrics m = RunMetrics.of(store, e.getValue().runs());
            perDrug.put(e.getKey() + " (trial " + e.getValue().trial() + ")", m.perDrug(null));
            Set<String> names = m.baselineNames();
            baselineNames = baselineNames == null ? new LinkedHashSet<>(names) : baselineNames;
            baselineNames.retainAll(names);
        }
        // baselines are the same fits for every trial of a seed: take them from the first kind's best trial
        RunMetrics first = RunMetrics.of(store, perKind.values().iterator().next().runs());
        for (String b : baselineNames == null ? Set.<String>of() : baselineNames) {
            perDrug.put(b, first.perDrug(b));
        }
        perDrug.values().removeIf(Map::isEmpty);
        if (perDrug.size() < 2) {
            board.put("critical_difference", Map.of("skipped", "no per-drug test metrics (a per-sample task, or classification): no blocks to rank over"));
            return;
        }
        List<String> names = new ArrayList<>(perDrug.keySet());
        Set<String> drugs = new LinkedHashSet<>();
        perDrug.values().forEach(m -> drugs.addAll(m.keySet()));
        double[][] values = new double[drugs.size()][names.size()];
        int i = 0;
        for (String d : drugs) {
            for (int j = 0; j < names.size(); j++) {
                Double v = perDrug.get(names.get(j)).get(d);
                values[i][j] = v == null ? Double.NaN : v;
            }
            i++;
        }
        try {
            CriticalDifference.Result r = CriticalDifference.of(names, values, true, 0.05);
            Map<String, Object> cd = new LinkedHashMap<>(r.toMap());
            cd.put("blocks_are", "drugs (per-drug test RMSE, mean over seeds)");
            board.put("critical_difference", cd);
            board.put("cd_svg", CriticalDifferenceChart.svg(r));
        } catch (IllegalArgumentException e) {
            board.put("critical_difference", Map.of("skipped", e.getMessage()));
        }
    }

    /** Metrics of a trial's runs (one per seed), read from their metrics.json. */
    private record RunMetrics(List<JsonNode> metrics) {
        static RunMetrics of(RunStore store, List<String> runs) {
            List<JsonNode> out = new ArrayList<>();
            for (String id : runs) {
                try {
                    Path f = store.root().resolve(id).resolve("metrics.json");
                    if (Files.isRegularFile(f)) {
                        out.add(JSON.readTree(f.toFile()));
                    }
                } catch (IOException e) {
                    // a run being rewritten by a promotion: left out of this snapshot
                }
            }
            return new RunMetrics(out);
        }

        String modelKind() {
            return metrics.isEmpty() ? "model" : metrics.get(0).path("model").path("kind").asText("model");
        }

        Map<String, Object> test() {
            return meanSd(metrics.stream().map(m -> m.path("test")).toList());
        }

        Set<String> baselineNames() {
            Set<String> names = new LinkedHashSet<>();
            if (!metrics.isEmpty()) {
                metrics.get(0).path("baselines").fieldNames().forEachRemaining(names::add);
            }
            return names;
        }

        Map<String, Object> baselines() {
            Map<String, Object> out = new LinkedHashMap<>();
            for (String b : baselineNames()) {
                out.put(b, meanSd(metrics.stream().map(m -> m.path("baselines").path(b)).toList()));
            }
            return out;
        }

        /** Each drug's test RMSE, mean over the runs: the model's (baseline null) or a baseline's. */
        Map<String, Double> perDrug(String baseline) {
            Map<String, double[]> sums = new LinkedHashMap<>();
            for (JsonNode m : metrics) {
                JsonNode drugs = (baseline == null ? m : m.path("baselines").path(baseline)).path("per_drug").path("drugs");
                for (JsonNode d : drugs) {
                    if (d.path("rmse").isNumber()) {
                        double[] s = sums.computeIfAbsent(d.path("drug").asText(), k -> new double[2]);
                        s[0] += d.path("rmse").asDouble();
                        s[1]++;
                    }
                }
            }
            Map<String, Double> out = new LinkedHashMap<>();
            sums.forEach((d, s) -> {
                if (s[1] == metrics.size()) {
                    out.put(d, s[0] / s[1]);
                }
            });
            return out;
        }

        /** Every numeric metric's mean and sd over the runs ({metric: {mean, sd}}); counts are left out. */
        private static Map<String, Object> meanSd(List<JsonNode> nodes) {
            Map<String, Object> out = new LinkedHashMap<>();
            if (nodes.isEmpty()) {
                return out;
            }
            nodes.get(0).fieldNames().forEachRemaining(k -> {
                if (k.equals("n") || !nodes.get(0).path(k).isNumber()) {
                    return;
                }
                double[] v = nodes.stream().filter(n -> n.path(k).isNumber()).mapToDouble(n -> n.path(k).asDouble()).toArray();
                if (v.length == nodes.size()) {
                    double[] ms = FoldSummary.meanAndSd(v);
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("mean", ms[0]);
                    e.put("sd", v.length > 1 ? ms[1] : null);
                    out.put(k, e);
                }
            });
            return out;
        }
    }
}
