package org.oncobench.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A baseline name the task cannot use is refused before any data is read: exit 2, the key, why, and every allowed name. */
class BaselineChoiceIT {
    private static final String QUICKSTART = "experiments/quickstart.yaml";

    @Test
    void unknownBaselineIsRefusedWithASuggestionAndTheAllowedNames() {
        RunCommandIT.Result r = RunCommandIT.cli("run", QUICKSTART, "--set", "evaluation.baselines=[drug_mean, svm]");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("evaluation.baselines[1]: 'svm' is not supported (did you mean 'svr'?); allowed: global_mean, drug_mean, "
                + "cell_mean, drug_cell_additive, group_mean, group_drug_mean, ridge, gbm, rf, elastic_net, svr, single_drug_elastic_net, "
                + "single_drug_rf"), r.err());
    }

    @Test
    void aClassificationBaselineOnARegressionTaskSaysSo() {
        RunCommandIT.Result r = RunCommandIT.cli("run", QUICKSTART, "--set", "evaluation.baselines=[ridge, logistic_l1]");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("evaluation.baselines[1]: 'logistic_l1' is not supported (a classification baseline, and task.kind is "
                + "regression); allowed: global_mean, drug_mean"), r.err());
        assertTrue(r.err().contains("svr, single_drug_elastic_net, single_drug_rf"), r.err());
    }

    @Test
    void aRegressionBaselineOnAClassificationTaskSaysSo() {
        RunCommandIT.Result r = RunCommandIT.cli("run", QUICKSTART, "--set", "task={kind: classification, threshold: 0}",
                "--set", "evaluation.baselines=[class_prior, svr]");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("evaluation.baselines[1]: 'svr' is not supported (a regression baseline, and task.kind is classification); "
                + "allowed: class_prior, group_mean, logistic, gbm, rf, logistic_l1"), r.err());
    }
}
