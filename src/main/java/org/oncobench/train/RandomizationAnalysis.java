package org.oncobench.train;

import org.oncobench.config.ExperimentConfig;
import org.oncobench.eval.Formats;

import java.util.Locale;
import java.util.Map;

/** Randomisation tests ({@code evaluation.randomization}): each input table randomised in turn, the network trained again. */
final class RandomizationAnalysis implements Analysis {
    record Result(RandomizationTests.Result tests) implements AnalysisResult {
        @Override
        public Object json() {
            return tests.toMap();
        }

        @Override
        public String console() {
            return tests.render();
        }

        @Override
        @SuppressWarnings("unchecked")
        public String section() {
            Map<String, Object> r = tests.toMap();
            Map<String, Object> model = (Map<String, Object>) r.get("model");
            Map<String, Object> tables = (Map<String, Object>) r.get("tables");
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%n## Randomisation tests%n%nEach input table %s in turn, the network "
                    + "trained again on fold %s (%s repeat(s)); change = randomised minus the model's score (mean ± sd). %s.%n%n", "permute".equals(r.get("kind"))
                    ? "with its rows permuted" : "replaced by its training mean", r.get("fold"), r.get("repeats"),
                    Character.toUpperCase(String.valueOf(r.get("rule")).charAt(0)) + String.valueOf(r.get("rule")).substring(1)));
            sb.append("| table | ").append(String.join(" | ", model.keySet())).append(" | relied on |\n|---|")
                    .append("---|".repeat(model.size() + 1)).append('\n');
            sb.append("| (model) |");
            model.values().forEach(v -> sb.append(' ').append(Formats.report(v)).append(" |"));
            sb.append(" |\n");
            tables.forEach((name, t) -> {
                Map<String, Object> m = (Map<String, Object>) t;
                sb.append("| ").append(name).append(" |");
                for (String k : model.keySet()) {
                    Map<String, Object> s = (Map<String, Object>) m.get(k);
                    sb.append(' ').append(Formats.report(s.get("mean"))).append(" (").append(Formats.report(s.get("change_mean"))).append(" ± ")
                            .append(Formats.report(s.get("change_sd"))).append(") |");
                }
                sb.append(' ').append(Boolean.TRUE.equals(m.get("relied_on")) ? "yes" : "no").append(" |\n");
            });
            return sb.toString();
        }
    }

    @Override
    public String key() {
        return "randomization";
    }

    @Override
    public String configKey() {
        return "evaluation.randomization";
    }

    @Override
    public Request requested(ExperimentConfig config) {
        return config.evaluation().randomization() != null ? Request.EXPLICIT : Request.OFF;
    }

    @Override
    public AnalysisResult run(AnalysisContext c) {
        return new Result(new RandomizationTests(c.config(), c.progress(), c.status(), c.baselines()).run(c.cohort(), c.folds().get(0), c.first().report().test()));
    }
}
