package org.oncobench.runs;

/** Lifecycle of a run; {@code DAMAGED}: its folder's run.json cannot be read (edited or truncated by hand). */
public enum RunStatus {
    RUNNING, COMPLETED, FAILED, INTERRUPTED, DAMAGED;

    public String label() {
        return name().toLowerCase();
    }
}
