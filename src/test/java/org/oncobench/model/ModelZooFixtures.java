package org.oncobench.model;

import org.oncobench.data.Cohort;

/** The small cohort and model specifications of {@link ModelZooTest}, for tests in other packages (explanations). */
public final class ModelZooFixtures {
    private ModelZooFixtures() {
    }

    public static Cohort cohort(boolean classification) {
        return ModelZooTest.cohort(classification);
    }

    public static ModelSpec spec(String kind, String branch, boolean classification, String optimizer, String loss) {
        return ModelZooTest.spec(kind, branch, classification, optimizer, loss);
    }
}
