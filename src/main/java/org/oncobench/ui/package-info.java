/**
 * The browser UI: read-only workbench pages over a runs folder (runs table, run detail, comparison; JSON under
 * {@code /api}) on the JDK's HTTP server, and DL4J's own training UI bound to the same host. Charts are drawn by
 * Chart.js, served from its WebJar inside the jar. Imports runs and train (to watch a training of its own process);
 * nothing imports ui except cli.
 */
package org.oncobench.ui;
