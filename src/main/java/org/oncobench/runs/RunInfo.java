package org.oncobench.runs;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The contents of {@code run.json}: who the run is and how it ended. */
public record RunInfo(@JsonProperty("id") String id, @JsonProperty("name") String name, @JsonProperty("status") String status,
                      @JsonProperty("started") String started, @JsonProperty("finished") String finished,
                      @JsonProperty("pid") long pid, @JsonProperty("config_hash") String configHash,
                      @JsonProperty("error") String error) {

    public RunInfo finish(RunStatus newStatus, String finishedAt, String errorMessage) {
        return new RunInfo(id, name, newStatus.label(), started, finishedAt, pid, configHash, errorMessage);
    }
}
