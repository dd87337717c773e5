/**
 * Explanations: input gradients of DL4J graphs, integrated gradients, global and permutation importance. Imports
 * model, data, eval.
 */
package org.oncobench.explain;
