/**
 * Metrics (regression and classification), naive, linear and tree-ensemble baselines fitted on the training part,
 * per-drug and per-group breakdowns, the statistics that compare a model with its baselines (cluster bootstrap
 * intervals, Wilcoxon over drugs with Holm's correction, Friedman/Nemenyi in {@link org.oncobench.eval.CriticalDifference},
 * drawn apart by {@link org.oncobench.eval.CriticalDifferenceChart}), the one verdict rule
 * ({@link org.oncobench.eval.Verdict}), fairness, fold summaries, and the run report, assembled from
 * {@link org.oncobench.eval.ReportPart}s (XChart PNGs). Ranks, quantiles, shuffles and moments come from stats.
 * Imports data and stats.
 */
package org.oncobench.eval;
