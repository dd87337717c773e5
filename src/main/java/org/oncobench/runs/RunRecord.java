package org.oncobench.runs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * One run as the registry indexes it: who, status, when, which process, what configuration, the headline metric
 * beside the best baseline's, the user's tags and note ({@code tags.json}), and the {@code --set} overrides it ran with
 * (run.json's {@code overrides}; null for runs recorded before they were kept). Rebuilt from the run folder at any time.
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
                        @JsonProperty("params") @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> params,
                        @JsonProperty("tags") @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> tags,
                        @JsonProperty("note") @JsonInclude(JsonInclude.Include.NON_NULL) String note,
                        @JsonProperty("overrides") @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> overrides) {

    /** A record without tags or note. */
    public RunRecord(String id, String name, String status, String started, String finished, long pid, String configHash, String split,
                     String model, String metric, Double value, String bestBaseline, Double baselineValue, Double durationSeconds, String error,
                     String group, String study, Map<String, Object> params) {
        this(id, name, status, started, finished, pid, configHash, split, model, metric, value, bestBaseline, baselineValue, durationSeconds,
                error, group, study, params, null, null, null);
    }

    /** A record without overrides. */
    public RunRecord(String id, String name, String status, String started, String finished, long pid, String configHash, String split,
                     String model, String metric, Double value, String bestBaseline, Double baselineValue, Double durationSeconds, String error,
                     String group, String study, Map<String, Object> params, Map<String, String> tags, String note) {
        this(id, name, status, started, finished, pid, configHash, split, model, metric, value, bestBaseline, baselineValue, durationSeconds,
                error, group, study, params, tags, note, null);
    }

    public RunRecord withStatus(String newStatus) {
        return new RunRecord(id, name, newStatus, started, finished, pid, configHash, split, model, metric, value, bestBaseline, baselineValue,
                durationSeconds, error, group, study, params, tags, note, overrides);
    }

    /** A record for a folder whose run.json cannot be read: only its id (the folder's name) and why. */
    public static RunRecord damaged(String id, String problem) {
        return new RunRecord(id, null, RunStatus.DAMAGED.label(), null, null, 0, null, null, null, null, null, null, null, null, problem, null,
                null, null);
    }
}
