/**
 * Runs an experiment end to end ({@link org.oncobench.train.ExperimentRunner}): cohort, split, training-only
 * transforms, training with progress, evaluation, run folder. Imports config, data, model, eval and runs.
 */
package org.oncobench.train;
