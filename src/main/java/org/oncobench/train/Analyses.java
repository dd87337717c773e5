package org.oncobench.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The post-training analyses a runner runs, in order: the order of their results in metrics.json, the console summary and
 * the report. {@link #standard()} is oncobench's; {@link #with} adds one more (a user's, or a test's) at the end.
 */
public record Analyses(List<Analysis> all) {
    public Analyses {
        all = List.copyOf(all);
        if (all.stream().map(Analysis::key).distinct().count() != all.size()) {
            throw new IllegalArgumentException("two analyses share a metrics.json key: " + all.stream().map(Analysis::key).toList());
        }
    }

    /** Significance, the verdict, the external study, randomisation, the learning curve, explanations, fairness, intervals. */
    public static Analyses standard() {
        return new Analyses(List.of(new SignificanceAnalysis(), new VerdictAnalysis(), new CrossStudyAnalysis(), new RandomizationAnalysis(),
                new LearningCurveAnalysis(), new ExplainAnalysis(), new FairnessAnalysis(), new UncertaintyAnalysis()));
    }

    /** These analyses and one more, run last. */
    public Analyses with(Analysis extra) {
        List<Analysis> more = new ArrayList<>(all);
        more.add(extra);
        return new Analyses(more);
    }

    /**
     * Runs every analysis the experiment asks for that applies to this run, in order; each sees the results of those
     * before it. A requested one that does not apply is skipped with one note, from its declaration, on {@code status}.
     */
    Map<String, AnalysisResult> run(AnalysisContext base, Consumer<String> status) {
        Map<String, AnalysisResult> results = new LinkedHashMap<>();
        RunShape shape = base.single() ? RunShape.SINGLE_SPLIT : RunShape.KFOLD;
        for (Analysis a : all) {
            Analysis.Request request = a.requested(base.config());
            if (request == Analysis.Request.OFF) {
                continue;
            }
            String why = !a.shapes().contains(shape) ? a.configKey() + " applies to " + a.shapes().stream().map(RunShape::label)
                    .collect(Collectors.joining(" and ")) + " runs; this is a " + shape.label() + " run"
                    : unmet(a.needs(), base).map(n -> a.configKey() + " needs " + n.description() + "; this run has none").orElse(null);
            if (why != null) {
                if (request == Analysis.Request.EXPLICIT) {
                    status.accept("note: " + why + " (skipped)");
                }
                continue;
            }
            AnalysisResult r = a.run(new AnalysisContext(base.config(), base.cohort(), base.folds(), base.outcomes(), base.pooled(), base.report(),
                    base.external(), base.externalDropped(), base.run(), base.progress(), base.status(), Map.copyOf(results), base.baselines()));
            if (r != null) {
                results.put(a.key(), r);
            }
        }
        return results;
    }

    private static java.util.Optional<Analysis.Need> unmet(Set<Analysis.Need> needs, AnalysisContext c) {
        return needs.stream().filter(n -> switch (n) {
            case TEST_ROWS -> c.pooled().rows().length == 0;
            case GROUPS -> c.cohort().groups().isEmpty();
            case EXTERNAL_STUDY -> c.external() == null;
        }).findFirst();
    }
}
