/**
 * The statistical primitives every package shares, each in one place: average ranks, quantiles (type 7) and the
 * conformal order statistic, seeded permutations, the moments of predictions against observations (RMSE, Pearson, R²).
 * Imports nothing of oncobench, so data, eval, explain, study and train may all use it.
 */
package org.oncobench.stats;
