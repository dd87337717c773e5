/**
 * The run store: one folder per run ({@code runs/<run-id>/}) with its status, resolved experiment, metrics,
 * predictions and model, written atomically so a failed or killed run never leaves a half-written file. Imports config.
 */
package org.oncobench.runs;
