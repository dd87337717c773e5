/**
 * Metrics (RMSE, Pearson, Spearman, R²), naive baselines fitted on the training part, per-drug and per-group
 * breakdowns. Works on plain arrays; imports only data and config.
 */
package org.oncobench.eval;
