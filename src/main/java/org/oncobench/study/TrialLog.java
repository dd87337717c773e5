package org.oncobench.study;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays a study's trials.jsonl into each trial's state (rung reached, epochs, score, runs, status) and the epochs its
 * runs trained: what the leaderboard aggregates. Replay only; no aggregation.
 */
final class TrialLog {
    private TrialLog() {
    }

    /** One trial as the log leaves it. */
    record TrialState(int trial, Map<String, JsonNode> params, int rung, int epochs, double score, List<String> runs, String status) {
    }

    /** Every trial by number, in the order they first appear, and the epochs trained in all. */
    record Replayed(Map<Integer, TrialState> trials, long epochsUsed) {
    }

    static Replayed replay(List<JsonNode> events, SearchSpace space) {
        Map<Integer, TrialState> trials = new LinkedHashMap<>();
        long epochsUsed = 0;
        for (JsonNode e : events) {
            int t = e.path("trial").asInt();
            int rung = e.path("rung").asInt();
            switch (e.path("event").asText()) {
                case "start" -> {
                    TrialState old = trials.get(t);
                    trials.put(t, new TrialState(t, space.params(t), old == null ? -1 : old.rung(), old == null ? 0 : old.epochs(),
                            old == null ? Double.NaN : old.score(), old == null ? List.of() : old.runs(), "running"));
                }
                case "result" -> {
                    List<String> runs = new ArrayList<>();
                    e.path("runs").forEach(r -> runs.add(r.asText()));
                    trials.put(t, new TrialState(t, space.params(t), rung, e.path("epochs").asInt(), e.path("score").asDouble(Double.NaN), runs,
                            "finished"));
                    // what the runs trained (a run that stopped early trains nothing more when promoted); older studies: the budget
                    epochsUsed += e.has("trained_epochs") ? e.path("trained_epochs").asLong()
                            : (long) (e.path("epochs").asInt() - e.path("from_epochs").asInt()) * e.path("scores").size();
                }
                case "failed" -> {
                    TrialState old = trials.get(t);
                    List<String> runs = new ArrayList<>();
                    e.path("runs").forEach(r -> runs.add(r.asText()));
                    trials.put(t, new TrialState(t, space.params(t), old == null ? -1 : old.rung(), old == null ? 0 : old.epochs(), Double.NaN,
                            runs.isEmpty() && old != null ? old.runs() : runs, "failed: " + e.path("error").asText()));
                }
                default -> { }
            }
        }
        return new Replayed(trials, epochsUsed);
    }
}
