package org.oncobench.train;

import org.oncobench.config.ExperimentConfig;
import org.oncobench.eval.EvaluationReport;
import org.oncobench.eval.Formats;
import org.oncobench.eval.Scores;
import org.oncobench.eval.Significance;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The external study's scores ({@code data.external}): the single split's network and baselines on its rows, with
 * intervals over its cell lines; beside the within-study scores in the console.
 */
final class CrossStudyAnalysis implements Analysis {
    /**
     * @param within      the primary study's evaluation, and its intervals (null without them), for the side-by-side table
     */
    record Result(CrossStudy crossStudy, EvaluationReport within, Significance withinIntervals, String modelKind, boolean classification)
            implements AnalysisResult {
        @Override
        public Object json() {
            Map<String, Object> x = new LinkedHashMap<>(crossStudy.report().toMap());
            x.put("study", crossStudy.study().toMap());
            x.put("dropped_rows", crossStudy.droppedRows());
            if (crossStudy.significance() != null) {
                x.put("significance", crossStudy.significance().toMap());
            }
            return Map.of(crossStudy.name(), x);
        }

        /** Within-study and external scores side by side, each with its interval where there is one. */
        @Override
        public String console() {
            CrossStudy x = crossStudy;
            String headline = classification ? "auc" : "rmse";
            String second = classification ? "brier" : "pearson";
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%nCross-study: trained on the primary study, scored on %s: %s of its %d "
                    + "rows (%d dropped by the split's rule); %s%n", x.name(), x.report().test().toMap().get("n"), x.study().rows(), x.droppedRows(),
                    x.study().sharedColumns().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()[0] + " of " + e.getValue()[1]
                            + " features shared").collect(java.util.stream.Collectors.joining(", "))));
            String h = headline.toUpperCase(Locale.ROOT);
            String s = Character.toUpperCase(second.charAt(0)) + second.substring(1);
            List<String> names = new ArrayList<>();
            names.add(Significance.MODEL);
            names.addAll(x.report().baselines().keySet());
            int width = NameColumn.width(names.stream().map(n -> n.equals(Significance.MODEL) ? "model (" + modelKind + ")" : n).toList());
            sb.append(NameColumn.cell("predictor", width)).append(String.format(Locale.ROOT, " %-22s %-22s %-22s %-22s%n", "within " + h, x.name() + " " + h, "within " + s,
                    x.name() + " " + s));
            for (String name : names) {
                Scores in = name.equals(Significance.MODEL) ? within.test() : within.baselines().get(name);
                Scores out = name.equals(Significance.MODEL) ? x.report().test() : x.report().baselines().get(name);
                sb.append(NameColumn.cell(name.equals(Significance.MODEL) ? "model (" + modelKind + ")" : name, width))
                        .append(String.format(Locale.ROOT, " %-22s %-22s %-22s %-22s%n", cell(withinIntervals, name, headline, in), cell(x.significance(), name, headline, out),
                        cell(withinIntervals, name, second, in), cell(x.significance(), name, second, out)));
            }
            return sb.toString();
        }

        private static String cell(Significance sig, String predictor, String metric, Scores scores) {
            Significance.Interval i = sig == null ? null : sig.intervals().getOrDefault(predictor, Map.of()).get(metric);
            if (i != null && Double.isFinite(i.estimate())) {
                return Formats.interval(i);
            }
            return scores == null ? "-" : Formats.console(scores.toMap().get(metric));
        }

        /** The external study's scores beside the model's and every baseline's. */
        @Override
        @SuppressWarnings("unchecked")
        public String section() {
            StringBuilder sb = new StringBuilder();
            ((Map<String, Object>) json()).forEach((name, v) -> {
                Map<String, Object> x = (Map<String, Object>) v;
                Map<String, Object> test = (Map<String, Object>) x.get("test");
                Map<String, Object> baselines = (Map<String, Object>) x.get("baselines");
                sb.append(String.format(Locale.ROOT, "%n## Cross-study: %s%n%nTrained on the primary study only; %s rows of %s scored (%s dropped "
                        + "by the split's rule). Study join: %s.%n%n", name, test.get("n"), ((Map<String, Object>) x.get("study")).get("rows"),
                        x.get("dropped_rows"), x.get("study")));
                List<String> keys = test.keySet().stream().filter(k -> !k.equals("n") && !k.equals("positives")).toList();
                sb.append("| predictor | ").append(String.join(" | ", keys)).append(" |\n|---|").append("---|".repeat(keys.size())).append('\n');
                Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
                rows.put("model", test);
                baselines.forEach((b, m) -> rows.put(b, (Map<String, Object>) m));
                rows.forEach((p, m) -> {
                    sb.append("| ").append(p);
                    keys.forEach(k -> sb.append(" | ").append(Formats.report(m.get(k))));
                    sb.append(" |\n");
                });
            });
            return sb.toString();
        }
    }

    @Override
    public String key() {
        return "external";
    }

    @Override
    public String configKey() {
        return "data.external";
    }

    @Override
    public Request requested(ExperimentConfig config) {
        return config.data().external() != null ? Request.EXPLICIT : Request.OFF;
    }

    @Override
    public Set<RunShape> shapes() {
        return EnumSet.of(RunShape.SINGLE_SPLIT);
    }

    @Override
    public Set<Need> needs() {
        return EnumSet.of(Need.EXTERNAL_STUDY);
    }

    /** The external study's scores and intervals (over its cell lines), or null when the split's rule dropped every row. */
    @Override
    public AnalysisResult run(AnalysisContext c) {
        FoldOutcome.External x = c.first().external();
        if (x == null) {
            c.status().accept("external study " + c.external().name() + ": no rows left to score (" + c.externalDropped() + " dropped by the split's rule)");
            return null;
        }
        Significance sig = c.config().evaluation().bootstrap() == 0 ? null : SignificanceAnalysis.bootstrap(c.config(), c.external().merged(), x.rows(),
                c.external()::mappedSampleOfRow, c.external().merged().hasDrugs() ? "external cell lines" : "external samples", x.predicted(),
                x.baselinePredictions(), x.report(), c.classification());
        SignificanceAnalysis.Result within = c.earlier(SignificanceAnalysis.KEY, SignificanceAnalysis.Result.class);
        return new Result(new CrossStudy(c.external().name(), x.report(), sig, c.external().report(), c.externalDropped()), c.report(),
                within == null ? null : within.significance(), c.config().model().kind(), c.classification());
    }
}
