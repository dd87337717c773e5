package org.oncobench.train;

import org.oncobench.config.ExperimentConfig;

import java.util.EnumSet;
import java.util.Set;

/**
 * One post-training analysis (significance, randomisation, learning curve, explanations, fairness, intervals,
 * cross-study, or one of a user's): it declares its config section, whether the experiment asks for it, the runs it
 * applies to and what it needs, and returns a typed result. The runner runs the applicable ones in the registry's order
 * ({@link Analyses}) and says once, from these declarations, why a requested one does not apply.
 */
public interface Analysis {
    /** What a run must offer an analysis. */
    enum Need {
        /** Test rows with predictions (pooled over folds for k-fold). */
        TEST_ROWS("test rows"),
        /** A data.groups column. */
        GROUPS("a data.groups column"),
        /** An external study scored beside the primary one (data.external). */
        EXTERNAL_STUDY("an external study (data.external)");

        private final String description;

        Need(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /** Whether the experiment asks for an analysis: not at all, by default (silent when it cannot run), or in so many words. */
    enum Request { OFF, DEFAULT, EXPLICIT }

    /** Its key in metrics.json (e.g. "significance"). */
    String key();

    /** The experiment key that turns it on (e.g. "evaluation.bootstrap"), for the notes the runner prints. */
    String configKey();

    Request requested(ExperimentConfig config);

    /** The runs it applies to: every shape unless it says otherwise. */
    default Set<RunShape> shapes() {
        return EnumSet.allOf(RunShape.class);
    }

    /** What it needs of the run: nothing unless it says otherwise. */
    default Set<Need> needs() {
        return EnumSet.noneOf(Need.class);
    }

    /** Runs it; null when there is nothing to report (a result it could not compute says why inside itself). */
    AnalysisResult run(AnalysisContext context);
}
