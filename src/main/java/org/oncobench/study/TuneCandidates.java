package org.oncobench.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.oncobench.config.StudyConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The catalogue {@code model.kind: auto} searches, read from {@code org/oncobench/study/tune-candidates.yaml}: named
 * architectures, training recipes and targets (each a set of experiment overrides and what the data must have), the random
 * keys drawn per grid cell, and the cost model that turns a budget into a plan. A new model kind is one line of the file.
 */
public record TuneCandidates(List<Entry> architectures, List<Entry> recipes, List<Entry> targets, Map<String, StudyConfig.Distribution> random,
                             int draws, Cost cost) {
    static final String RESOURCE = "/org/oncobench/study/tune-candidates.yaml";

    /** One named set of overrides; {@code needs}: "drugs" and/or "groups" the experiment's data must have. */
    public record Entry(String name, Map<String, JsonNode> set, List<String> needs) {
        /** As --set overrides, in the file's order. */
        public List<String> overrides() {
            List<String> out = new ArrayList<>();
            set.forEach((k, v) -> out.add(k + "=" + v));
            return out;
        }
    }

    /** Seconds per epoch = perEpoch + perMillionParamRows x training rows x parameters / 1e6; perCandidate per job. */
    public record Cost(double perEpoch, double perMillionParamRows, double perCandidate) {
    }

    public static TuneCandidates standard() {
        try (InputStream in = TuneCandidates.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return parse(new YAMLMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(RESOURCE + ": " + e.getMessage(), e);
        }
    }

    static TuneCandidates parse(JsonNode root) {
        Map<String, StudyConfig.Distribution> random = new LinkedHashMap<>();
        root.path("random").fields().forEachRemaining(e -> random.put(e.getKey(), distribution(e.getKey(), e.getValue())));
        JsonNode c = root.path("cost");
        return new TuneCandidates(entries(root.path("architectures")), entries(root.path("recipes")), entries(root.path("targets")), random,
                root.path("draws").asInt(1), new Cost(c.path("per_epoch").asDouble(), c.path("per_million_param_rows").asDouble(),
                c.path("per_candidate").asDouble()));
    }

    private static List<Entry> entries(JsonNode list) {
        List<Entry> out = new ArrayList<>();
        for (JsonNode e : list) {
            Map<String, JsonNode> set = new LinkedHashMap<>();
            e.path("set").fields().forEachRemaining(f -> set.put(f.getKey(), f.getValue()));
            List<String> needs = new ArrayList<>();
            e.path("needs").forEach(n -> needs.add(n.asText()));
            out.add(new Entry(e.path("name").asText(), set, List.copyOf(needs)));
        }
        return List.copyOf(out);
    }

    private static StudyConfig.Distribution distribution(String key, JsonNode d) {
        String kind = d.fieldNames().hasNext() ? d.fieldNames().next() : "";
        JsonNode v = d.path(kind);
        return switch (kind) {
            case "choice" -> {
                List<JsonNode> choices = new ArrayList<>();
                v.forEach(choices::add);
                yield new StudyConfig.Distribution("choice", 0, 0, choices);
            }
            case "uniform", "log_uniform", "int" -> new StudyConfig.Distribution(kind, v.get(0).asDouble(), v.get(1).asDouble(), null);
            default -> throw new IllegalStateException(RESOURCE + ": random." + key + ": " + kind + " is not choice, uniform, log_uniform or int");
        };
    }

    public Entry architecture(String name) {
        return find(architectures, name);
    }

    public Entry recipe(String name) {
        return find(recipes, name);
    }

    public Entry target(String name) {
        return find(targets, name);
    }

    private static Entry find(List<Entry> entries, String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException(RESOURCE + " has no entry " + name));
    }
}
