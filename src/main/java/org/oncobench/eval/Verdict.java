package org.oncobench.eval;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The one answer to "does the model beat the best baseline?", which the console, metrics.json, the report, the UI, the
 * model card and a study's leaderboard all print. "Beats" only when the 95% interval of the paired difference excludes 0
 * in the model's favour; "worse" when it excludes 0 the other way; otherwise "not shown to beat". Without an interval
 * (no bootstrap, or a study's means over seeds) it states the difference and says there is none, never "beats".
 *
 * @param outcome    {@code beats}, {@code not_shown}, {@code worse}, or without an interval {@code better_no_interval} /
 *                   {@code worse_no_interval}
 * @param difference model minus baseline, in the headline metric
 * @param low        the difference's interval (NaN without one)
 */
public record Verdict(String outcome, String baseline, String metric, boolean higherIsBetter, double model, double baselineValue,
                      double difference, double low, double high, String text) {

    /** A run's verdict: its test scores against the best baseline's, with the bootstrap's interval when there is one. */
    public static Verdict of(EvaluationReport report, Significance significance) {
        String best = report.bestBaseline();
        if (best == null) {
            return null;
        }
        Scores model = report.test();
        Scores base = report.baselines().get(best);
        Significance.Interval d = significance == null ? null
                : significance.differences().getOrDefault(best, Map.of()).get(model.headlineName().toLowerCase(Locale.ROOT));
        return of(best, model.headlineName().toLowerCase(Locale.ROOT), model.higherIsBetter(), model.headline(), base.headline(),
                d == null ? Double.NaN : d.low(), d == null ? Double.NaN : d.high());
    }

    /** From numbers: the model's and the baseline's metric, and the difference's interval (NaN, NaN: none). */
    public static Verdict of(String baseline, String metric, boolean higherIsBetter, double model, double baselineValue, double low, double high) {
        double difference = model - baselineValue;
        boolean interval = Double.isFinite(low) && Double.isFinite(high);
        boolean better = higherIsBetter ? difference > 0 : difference < 0;
        String outcome;
        if (interval) {
            boolean excludesZero = low > 0 || high < 0;
            boolean favoursModel = higherIsBetter ? low > 0 : high < 0;
            outcome = excludesZero ? (favoursModel ? "beats" : "worse") : "not_shown";
        } else {
            outcome = better ? "better_no_interval" : "worse_no_interval";
        }
        String name = metric.toUpperCase(Locale.ROOT);
        String by = String.format(Locale.ROOT, "%s %s by %.3f", name, (difference > 0) ? "higher" : "lower", Math.abs(difference));
        String ci = interval ? String.format(Locale.ROOT, "95%% interval of the difference [%.3f, %.3f]", low, high) : "";
        String text = switch (outcome) {
            case "beats" -> "the model beats the best baseline (" + baseline + "): " + by + "; the " + ci + " excludes 0";
            case "worse" -> "the model is worse than the best baseline (" + baseline + "): " + by + "; the " + ci + " excludes 0";
            case "not_shown" -> "the model is not shown to beat the best baseline (" + baseline + "): " + by + ", but the " + ci + " includes 0";
            default -> "model vs best baseline (" + baseline + "): " + by + " (no interval)";
        };
        return new Verdict(outcome, baseline, metric, higherIsBetter, model, baselineValue, difference, low, high, text);
    }

    public boolean beats() {
        return "beats".equals(outcome);
    }

    /** For metrics.json (and what the UI and the model card read back). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("outcome", outcome);
        m.put("beats", beats());
        m.put("best_baseline", baseline);
        m.put("metric", metric);
        m.put("model", RegressionMetrics.finite(model));
        m.put("baseline", RegressionMetrics.finite(baselineValue));
        m.put("difference", RegressionMetrics.finite(difference));
        m.put("interval", Double.isFinite(low) ? java.util.List.of(low, high) : null);
        m.put("text", text);
        return m;
    }
}
