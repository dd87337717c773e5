package org.oncobench.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.oncobench.config.BadInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Runs side by side: their test and baseline metrics, and the configuration keys whose values differ. */
public record RunComparison(List<String> runs, Map<String, Map<String, Double>> metrics, Map<String, List<String>> configDifferences) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static RunComparison of(RunStore store, List<String> ids) {
        Map<String, Map<String, String>> configs = new LinkedHashMap<>();
        Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
        for (String id : ids) {
            Path dir = store.dirOf(id);
            Map<String, String> flat = new TreeMap<>();
            flatten("", readYaml(dir.resolve("experiment.yaml")), flat);
            configs.put(id, flat);
            Map<String, Double> m = new LinkedHashMap<>();
            JsonNode json = readJson(dir.resolve("metrics.json"));
            if (json != null) {
                json.path("test").fields().forEachRemaining(e -> m.put("test." + e.getKey(), e.getValue().isNumber() ? e.getValue().asDouble() : null));
                json.path("baselines").fields().forEachRemaining(b -> b.getValue().fields().forEachRemaining(e -> {
                    if (!e.getKey().equals("n") && e.getValue().isNumber()) {
                        m.put(b.getKey() + "." + e.getKey(), e.getValue().asDouble());
                    }
                }));
                if (json.path("per_drug").has("pearson_mean")) {
                    m.put("per_drug.pearson_mean", json.path("per_drug").path("pearson_mean").asDouble());
                }
            }
            metrics.put(id, m);
        }
        TreeSet<String> keys = new TreeSet<>();
        configs.values().forEach(c -> keys.addAll(c.keySet()));
        Map<String, List<String>> differences = new LinkedHashMap<>();
        for (String k : keys) {
            List<String> values = new ArrayList<>();
            configs.values().forEach(c -> values.add(c.getOrDefault(k, "(absent)")));
            if (values.stream().distinct().count() > 1) {
                differences.put(k, values);
            }
        }
        return new RunComparison(List.copyOf(ids), metrics, differences);
    }

    /** The same comparison with only the metrics whose values are not the same in every run. */
    public RunComparison differingMetrics() {
        java.util.Set<String> keys = new java.util.LinkedHashSet<>();
        metrics.values().forEach(m -> keys.addAll(m.keySet()));
        java.util.Set<String> differing = new java.util.HashSet<>();
        for (String k : keys) {
            if (metrics.values().stream().map(m -> m.get(k)).distinct().count() > 1) {
                differing.add(k);
            }
        }
        Map<String, Map<String, Double>> kept = new LinkedHashMap<>();
        metrics.forEach((id, m) -> {
            Map<String, Double> row = new LinkedHashMap<>();
            m.forEach((k, v) -> {
                if (differing.contains(k)) {
                    row.put(k, v);
                }
            });
            kept.put(id, row);
        });
        return new RunComparison(runs, kept, configDifferences);
    }

    public static JsonNode readJson(Path file) {
        try {
            return Files.isRegularFile(file) ? JSON.readTree(file.toFile()) : null;
        } catch (IOException e) {
            throw new BadInputException(file + ": unreadable (" + e.getMessage() + ")");
        }
    }

    public static JsonNode readYaml(Path file) {
        try {
            return new YAMLMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new BadInputException(file + ": unreadable (" + e.getMessage() + ")");
        }
    }

    static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node != null && node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (node != null) {
            out.put(prefix, node.isValueNode() ? node.asText() : node.toString());
        }
    }
}
