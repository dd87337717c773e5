/**
 * Explanations and intervals: input gradients of DL4J graphs, integrated gradients, global and permutation importance,
 * the one Monte Carlo dropout sampler for runs and bundles ({@link org.oncobench.explain.McDropout}: batch
 * normalisation folded, masks seeded per row) and split-conformal calibration ({@link org.oncobench.explain.Uncertainty}).
 * Imports config, model, data, eval and stats.
 */
package org.oncobench.explain;
