/**
 * Metrics (regression and classification), naive and linear baselines fitted on the training part, per-drug and
 * per-group breakdowns, fold summaries and run reports (XChart PNGs). Imports only data and config.
 */
package org.oncobench.eval;
