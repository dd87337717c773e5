package org.oncobench.runs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One run as the registry indexes it: who, status, when, which process, what configuration, and the headline metric
 * beside the best baseline's. Rebuilt from the run folder at any time.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunRecord(@JsonProperty("id") String id, @JsonProperty("name") String name, @JsonProperty("status") String status,
                        @JsonProperty("started") String started, @JsonProperty("finished") String finished, @JsonProperty("pid") long pid,
                        @JsonProperty("config_hash") String configHash, @JsonProperty("split") String split,
                        @JsonProperty("model") String model, @JsonProperty("metric") String metric, @JsonProperty("value") Double value,
                        @JsonProperty("best_baseline") String bestBaseline, @JsonProperty("baseline_value") Double baselineValue,
                        @JsonProperty("duration_seconds") Double durationSeconds, @JsonProperty("error") String error,
                        @JsonProperty("group") String group,
                        @JsonProperty("study") @JsonInclude(JsonInclude.Include.NON_NULL) String study,
                        @JsonProperty("params") @JsonInclude(JsonInclude.Include.NON_NULL) java.util.Map<String, Object> params) {

    public RunRecord withStatus(String newStatus) {
        return new RunRecord(id, name, newStatus, started, finished, pid, configHash, split, model, metric, value, bestBaseline, baselineValue,
                durationSeconds, error, group, study, params);
    }
}
