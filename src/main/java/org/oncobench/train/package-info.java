/**
 * Runs and resumes experiments ({@link org.oncobench.train.ExperimentRunner}): cohort, split plan, training-only
 * transforms, the epoch loop with checkpoints and early stopping, evaluation, run folder. Imports config, data, model,
 * eval and runs.
 */
package org.oncobench.train;
