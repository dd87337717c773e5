/**
 * The researcher's Java API, one import away and designed for notebook cells: Workbench (runs and comparisons),
 * Experiment (load, override, run), Plots (XChart charts), and tables that display as HTML. A thin layer over train,
 * runs, eval and export: it adds no second implementation of any of them. May import every package but cli's internals.
 */
package org.oncobench.api;
