/**
 * Runs and resumes experiments ({@link org.oncobench.train.ExperimentRunner}) as one short pipeline: load
 * ({@link org.oncobench.train.RunDataLoader}: cohort, split plan, external study) -> train the folds
 * ({@link org.oncobench.train.FoldLoop}, {@link org.oncobench.train.FoldTrainer}: training-only transforms, the
 * network's epoch loop with checkpoints, validation and early stopping, baselines on the run's own bounded pool) ->
 * the applicable post-training analyses ({@link org.oncobench.train.Analysis} plug-ins in the order of
 * {@link org.oncobench.train.Analyses}, each declaring its config key, the run shapes it applies to and what it needs,
 * each returning a typed {@link org.oncobench.train.AnalysisResult}) -> write: {@link org.oncobench.train.RunMetrics}
 * (metrics.json by Jackson, in a fixed order), the console summary and the report, which read those results and
 * nothing else. A new analysis is one class registered with {@code Analyses.with}. Imports config, data, model, eval,
 * explain, stats and runs.
 */
package org.oncobench.train;
