package org.oncobench.runs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * The contents of {@code run.json}: who the run is, what it runs, how it ended, the run group it belongs to (seeds; or
 * null), for a study's trial the study id and the trial's parameters (the keys the study set or searched), and the seed
 * its split was drawn from; what the data gave (rows read, joined, replicates merged); and the {@code --set} overrides
 * the experiment file was loaded with (key to the value as given; a study trial's include the study's {@code set:} and
 * its parameters). Runs recorded before overrides were kept have none (null).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunInfo(@JsonProperty("id") String id, @JsonProperty("name") String name, @JsonProperty("status") String status,
                      @JsonProperty("started") String started, @JsonProperty("finished") String finished,
                      @JsonProperty("pid") long pid, @JsonProperty("config_hash") String configHash,
                      @JsonProperty("split") String split, @JsonProperty("model") String model,
                      @JsonProperty("error") String error, @JsonProperty("group") String group,
                      @JsonProperty("study") @JsonInclude(JsonInclude.Include.NON_NULL) String study,
                      @JsonProperty("params") @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> params,
                      @JsonProperty("split_seed") @JsonInclude(JsonInclude.Include.NON_NULL) Long splitSeed,
                      @JsonProperty("data") @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> data,
                      @JsonProperty("overrides") @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, String> overrides) {

    public RunInfo finish(RunStatus newStatus, String finishedAt, String errorMessage) {
        return new RunInfo(id, name, newStatus.label(), started, finishedAt, pid, configHash, split, model, errorMessage, group, study, params,
                splitSeed, data, overrides);
    }

    public RunInfo restart(long newPid) {
        return new RunInfo(id, name, RunStatus.RUNNING.label(), started, null, newPid, configHash, split, model, null, group, study, params,
                splitSeed, data, overrides);
    }
}
