/**
 * The run store: one folder per run ({@code runs/<run-id>/}) written atomically, the MapDB registry that indexes them
 * (rebuildable from the folders), and provenance. Imports only config.
 */
package org.oncobench.runs;
