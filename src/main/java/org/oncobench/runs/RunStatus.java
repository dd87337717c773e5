package org.oncobench.runs;

/** Lifecycle of a run. */
public enum RunStatus {
    RUNNING, COMPLETED, FAILED, INTERRUPTED;

    public String label() {
        return name().toLowerCase();
    }
}
