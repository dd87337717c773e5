/**
 * Experiment records, YAML loading, {@code --set} overrides and validation that reports every violation at once.
 * Imports nothing else of oncobench and allocates no tensors.
 */
package org.oncobench.config;
