package org.oncobench.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.oncobench.config.ExperimentConfig;
import org.oncobench.train.Analysis;
import org.oncobench.train.AnalysisContext;
import org.oncobench.train.AnalysisResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The search of {@code model.kind: auto} as a part of the chosen run: metrics.json's {@code tune} (the plan, every
 * candidate, every job's validation score, the promotions, the choice, whether the budget cut it, the time used), a
 * console line and a report section. It only reports: the search ran before the run, on validation rows.
 */
final class TuneAnalysis implements Analysis {
    static final String KEY = "tune";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final AutoTune.Search search;

    TuneAnalysis(AutoTune.Search search) {
        this.search = search;
    }

    record Result(AutoTune.Search search) implements AnalysisResult {
        @Override
        public Object json() {
            return TuneAnalysis.json(search);
        }

        @Override
        public String console() {
            return String.format(Locale.ROOT, "  tuned (model.kind: auto): trial %d of %d candidates, %s; %s %.4f at rung %d of %s epochs; %d jobs in %.0f s%s%n",
                    search.chosen().trial(), search.plan().candidates(), StudyRunner.brief(search.chosen().params()), search.metric(), search.chosenScore(),
                    search.chosenRung(), java.util.Arrays.toString(search.plan().rungs()), search.jobs().size(), search.seconds(),
                    search.cut() ? " (cut by the budget: not reproducible)" : "");
        }

        @Override
        public String section() {
            StringBuilder sb = new StringBuilder("\n## Search (model.kind: auto)\n\n");
            sb.append(String.format(Locale.ROOT, "Successive halving (eta %d) over rungs of %s epochs on the validation rows (%s): %d of %d candidates, "
                            + "%d jobs, %.0f s (budget %d s, estimated %.0f s + %.0f s for the chosen model)%s.%n%n", search.plan().eta(),
                    java.util.Arrays.toString(search.plan().rungs()), search.metric(), search.plan().candidates(), search.plan().space(), search.jobs().size(),
                    search.seconds(), (long) search.plan().budgetSeconds(), search.plan().searchSeconds(), search.plan().finalSeconds(),
                    search.cut() ? "; **cut by the budget** (not reproducible)" : ""));
            sb.append("| trial | rung | epochs | candidate | ").append(search.metric()).append(" | best epoch |\n|---|---|---|---|---|---|\n");
            Map<Integer, AutoTune.Candidate> byTrial = new LinkedHashMap<>();
            search.candidates().forEach(c -> byTrial.put(c.trial(), c));
            for (AutoTune.Job j : search.jobs()) {
                sb.append(String.format(Locale.ROOT, "| %d%s | %d | %d | %s | %.4f | %d |%n", j.trial(), j.trial() == search.chosen().trial() ? " (chosen)" : "",
                        j.rung(), j.epochs(), StudyRunner.brief(byTrial.get(j.trial()).params()), j.score(), j.bestEpoch()));
            }
            search.notes().forEach(n -> sb.append("\n- ").append(n));
            return sb.append('\n').toString();
        }
    }

    static Map<String, Object> json(AutoTune.Search s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("metric", s.metric());
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("budget", s.plan().budgetSeconds());
        plan.put("rungs", s.plan().rungs());
        plan.put("eta", s.plan().eta());
        plan.put("candidates", s.plan().candidates());
        plan.put("space", s.plan().space());
        plan.put("jobs", s.plan().jobs());
        plan.put("estimated_search_seconds", s.plan().searchSeconds());
        plan.put("estimated_final_seconds", s.plan().finalSeconds());
        m.put("plan", plan);
        List<Map<String, Object>> candidates = new ArrayList<>();
        for (AutoTune.Candidate c : s.candidates()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("trial", c.trial());
            x.put("params", params(c.params()));
            candidates.add(x);
        }
        m.put("candidates", candidates);
        List<Map<String, Object>> jobs = new ArrayList<>();
        for (AutoTune.Job j : s.jobs()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("trial", j.trial());
            x.put("rung", j.rung());
            x.put("epochs", j.epochs());
            x.put("score", j.score());
            x.put("best_epoch", j.bestEpoch());
            x.put("trained_epochs", j.trainedEpochs());
            x.put("seconds", j.seconds());
            jobs.add(x);
        }
        m.put("jobs", jobs);
        m.put("promoted", s.promoted());
        Map<String, Object> chosen = new LinkedHashMap<>();
        chosen.put("trial", s.chosen().trial());
        chosen.put("params", params(s.chosen().params()));
        chosen.put("score", s.chosenScore());
        chosen.put("rung", s.chosenRung());
        chosen.put("overrides", s.overrides().stream().toList());
        m.put("chosen", chosen);
        m.put("cut", s.cut());
        if (!s.notes().isEmpty()) {
            m.put("notes", s.notes());
        }
        m.put("seconds", s.seconds());
        return m;
    }

    private static Map<String, Object> params(Map<String, JsonNode> p) {
        Map<String, Object> out = new LinkedHashMap<>();
        p.forEach((k, v) -> out.put(k, JSON.convertValue(v, Object.class)));
        return out;
    }

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public String configKey() {
        return "model.tune";
    }

    @Override
    public Request requested(ExperimentConfig config) {
        return Request.DEFAULT;
    }

    @Override
    public AnalysisResult run(AnalysisContext context) {
        return new Result(search);
    }
}
