package org.oncobench.train;

import org.oncobench.config.ExperimentConfig;
import org.oncobench.eval.Charts;

import java.util.List;
import java.util.Map;

/** The learning curve ({@code evaluation.learning_curve}): the network and the baselines retrained on growing shares of the training units. */
final class LearningCurveAnalysis implements Analysis {
    record Result(LearningCurve.Result curve) implements AnalysisResult {
        @Override
        public Object json() {
            return curve.toMap();
        }

        @Override
        public String console() {
            return curve.render();
        }

        @Override
        public List<Chart> charts() {
            Map<String, Object> m = curve.toMap();
            return List.of(new Chart("learning_curve.png", "Learning curve: test " + m.get("headline") + " by the number of training " + m.get("unit"),
                    Charts.learningCurve(m)));
        }
    }

    @Override
    public String key() {
        return "learning_curve";
    }

    @Override
    public String configKey() {
        return "evaluation.learning_curve";
    }

    @Override
    public Request requested(ExperimentConfig config) {
        return config.evaluation().learningCurve() != null ? Request.EXPLICIT : Request.OFF;
    }

    @Override
    public AnalysisResult run(AnalysisContext c) {
        return new Result(new LearningCurve(c.config(), c.progress(), c.status(), c.baselines()).run(c.cohort(), c.folds().get(0), c.first().report().bestBaseline()));
    }
}
