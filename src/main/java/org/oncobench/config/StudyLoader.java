package org.oncobench.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates a study file. Every problem is reported at once with its key; each searched key and value is
 * checked by loading the base experiment with it, so a misspelled experiment key or a value the experiment refuses fails
 * here, before any trial trains.
 */
public final class StudyLoader {
    static final Set<String> KEYS = Set.of("name", "experiment", "set", "grid", "random", "trials", "seeds", "seed", "search", "workers");
    static final Set<String> DISTRIBUTIONS = Set.of("uniform", "log_uniform", "int", "choice");
    private final YamlFiles yaml = new YamlFiles();

    public StudyConfig load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file + ": no such study file");
        }
        JsonNode tree = yaml.read(file);
        if (!(tree instanceof ObjectNode root)) {
            throw new BadInputException(file + ": a study must be a mapping of keys (" + String.join(", ", KEYS.stream().sorted().toList())
                    + "), not " + Section.describe(tree));
        }
        List<Violation> v = new ArrayList<>();
        root.fieldNames().forEachRemaining(k -> {
            if (!KEYS.contains(k)) {
                v.add(new Violation(k, "unknown key" + DidYouMean.hint(k, KEYS), String.join(", ", KEYS.stream().sorted().toList())));
            }
        });
        String name = root.path("name").isTextual() ? root.path("name").asText() : file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
            v.add(new Violation("name", "'" + name + "' is not a plain name", "letters, digits, . _ - (at most 64)"));
        }
        Path experiment = null;
        if (!root.path("experiment").isTextual()) {
            v.add(new Violation("experiment", "missing: the base experiment file", "a path relative to the study file, e.g. quickstart.yaml"));
        } else {
            experiment = file.toAbsolutePath().getParent().resolve(root.path("experiment").asText()).normalize();
            if (!Files.isRegularFile(experiment)) {
                v.add(new Violation("experiment", experiment + " does not exist", "a path relative to the study file"));
                experiment = null;
            }
        }
        Map<String, JsonNode> set = flat(root.path("set"), "set", v);
        Map<String, List<JsonNode>> grid = new LinkedHashMap<>();
        flat(root.path("grid"), "grid", v).forEach((k, values) -> {
            if (!values.isArray() || values.isEmpty()) {
                v.add(new Violation("grid." + k, "is " + Section.describe(values), "a non-empty list of values, e.g. [mlp, twin]"));
            } else {
                List<JsonNode> list = new ArrayList<>();
                values.forEach(list::add);
                grid.put(k, list);
            }
        });
        Map<String, StudyConfig.Distribution> random = new LinkedHashMap<>();
        flat(root.path("random"), "random", v).forEach((k, d) -> {
            StudyConfig.Distribution dist = distribution("random." + k, d, v);
            if (dist != null) {
                random.put(k, dist);
            }
        });
        for (String k : random.keySet()) {
            if (grid.containsKey(k) || set.containsKey(k)) {
                v.add(new Violation("random." + k, "is also in " + (grid.containsKey(k) ? "grid" : "set"), "each key in one of set, grid, random"));
            }
        }
        for (String k : grid.keySet()) {
            if (set.containsKey(k)) {
                v.add(new Violation("grid." + k, "is also in set", "each key in one of set, grid, random"));
            }
        }
        for (String k : List.of("seed", "seeds", "name")) {
            if (set.containsKey(k) || grid.containsKey(k) || random.containsKey(k)) {
                v.add(new Violation(k, "cannot be searched or set inside a study", "the study's own seeds: [..] key"));
            }
        }
        int trials = (int) integer(root, "trials", random.isEmpty() ? 1 : 10, 1, 100_000, v);
        if (random.isEmpty() && root.has("trials") && trials != 1) {
            v.add(new Violation("trials", trials + " draws, but there is no random: key to draw", "1, or add random: keys"));
        }
        long distinct = new StudyConfig(name, null, Map.of(), Map.of(), random, trials, List.of(), 0, null, 1).distinctDraws();
        if (!random.isEmpty() && trials > distinct) {
            v.add(new Violation("trials", trials + " draws per grid cell, but the random keys allow only " + distinct + " different ones",
                    "at most " + distinct + " (draws never repeat a configuration), or a grid: over the same values"));
        }
        List<Long> seeds = new ArrayList<>();
        if (root.has("seeds")) {
            if (!root.path("seeds").isArray() || root.path("seeds").isEmpty()) {
                v.add(new Violation("seeds", "is " + Section.describe(root.path("seeds")), "a non-empty list of whole numbers, e.g. [1, 2, 3]"));
            } else {
                root.path("seeds").forEach(s -> {
                    if (s.canConvertToLong() && s.isIntegralNumber()) {
                        seeds.add(s.asLong());
                    } else {
                        v.add(new Violation("seeds", "'" + s.asText() + "' is not a whole number", "e.g. [1, 2, 3]"));
                    }
                });
                if (seeds.stream().distinct().count() < seeds.size()) {
                    v.add(new Violation("seeds", "repeats a seed: " + seeds, "distinct seeds"));
                }
            }
        }
        long seed = integer(root, "seed", 1, Long.MIN_VALUE, Long.MAX_VALUE, v);
        int workers = (int) integer(root, "workers", 1, 1, 64, v);
        LoadedExperiment base = null;
        Path experimentFile = experiment;
        if (experiment != null) { // the base loads even when other keys are wrong, so searched keys are checked in the same pass
            try {
                base = new ExperimentLoader().load(experiment, overrides(set, Map.of()));
            } catch (ConfigException e) {
                e.violations().forEach(x -> v.add(new Violation("experiment (" + experimentFile.getFileName() + " with set:) " + x.path(), x.problem(), x.allowed())));
            } catch (BadInputException e) {
                v.add(new Violation("experiment", e.getMessage(), null));
            }
        }
        StudyConfig.Search search = base == null ? null : search(root.path("search"), base.config(), v);
        if (base != null) {
            checkValues(experiment, set, grid, random, v);
            if (seeds.isEmpty()) {
                seeds.add(base.config().seed());
            }
            if (search != null && search.asha() && base.config().training().checkpointEvery() == 0) {
                v.add(new Violation("search.kind", "asha continues promoted trials from their checkpoints, but the experiment sets "
                        + "training.checkpoint_every: 0", "checkpoint_every >= 1 (set: {training.checkpoint_every: 1})"));
            }
            if ("kfold".equals(base.config().split().kind())) {
                v.add(new Violation("experiment split.kind", "kfold: trials are scored on their validation rows, which a k-fold split has not",
                        "a single split (cell-blind, drug-blind, mixed, group-blind)"));
            }
        }
        if (!v.isEmpty()) {
            throw new ConfigException(file, v, "study");
        }
        return new StudyConfig(name, experiment, set, grid, random, trials, List.copyOf(seeds), seed, search, workers);
    }

    /** The --set strings for the study's fixed keys plus one trial's parameters. */
    public static List<String> overrides(Map<String, JsonNode> set, Map<String, JsonNode> params) {
        List<String> out = new ArrayList<>();
        set.forEach((k, value) -> out.add(k + "=" + value.toString()));
        params.forEach((k, value) -> out.add(k + "=" + value.toString()));
        return out;
    }

    /** Loads the experiment with each searched value on its own, so a bad key or value names itself. */
    private void checkValues(Path experiment, Map<String, JsonNode> set, Map<String, List<JsonNode>> grid,
                             Map<String, StudyConfig.Distribution> random, List<Violation> v) {
        Map<String, List<JsonNode>> probes = new LinkedHashMap<>(grid);
        random.forEach((k, d) -> probes.put(k, d.choices() != null ? d.choices() : List.of(number(d.low(), d.kind()), number(d.high(), d.kind()))));
        probes.forEach((k, values) -> {
            for (int i = 0; i < values.size(); i++) {
                try {
                    new ExperimentLoader().load(experiment, overrides(set, Map.of(k, values.get(i))));
                } catch (ConfigException e) {
                    String where = (grid.containsKey(k) ? "grid." : "random.") + k + "[" + i + "] = " + values.get(i);
                    e.violations().forEach(x -> v.add(new Violation(where, "the experiment refuses it: " + x.describe(), null)));
                } catch (BadInputException e) {
                    v.add(new Violation((grid.containsKey(k) ? "grid." : "random.") + k, e.getMessage(), null));
                }
            }
        });
    }

    static JsonNode number(double x, String kind) {
        return "int".equals(kind) ? com.fasterxml.jackson.databind.node.LongNode.valueOf((long) x)
                : com.fasterxml.jackson.databind.node.DoubleNode.valueOf(x);
    }

    private StudyConfig.Search search(JsonNode s, ExperimentConfig base, List<Violation> v) {
        boolean classification = base.task().isClassification();
        String defaultMetric = classification ? "validation.auc" : "validation.rmse";
        int epochs = base.training().epochs();
        if (s.isMissingNode() || s.isNull()) {
            return new StudyConfig.Search("full", defaultMetric, epochs, epochs, 3);
        }
        if (!s.isObject()) {
            v.add(new Violation("search", "is " + Section.describe(s), "{kind: asha, metric: " + defaultMetric + ", min_epochs: 3, max_epochs: 81, eta: 3}"));
            return null;
        }
        Set<String> keys = Set.of("kind", "metric", "min_epochs", "max_epochs", "eta");
        s.fieldNames().forEachRemaining(k -> {
            if (!keys.contains(k)) {
                v.add(new Violation("search." + k, "unknown key" + DidYouMean.hint(k, keys), String.join(", ", keys.stream().sorted().toList())));
            }
        });
        String kind = s.path("kind").asText("asha");
        if (!Set.of("asha", "full").contains(kind)) {
            v.add(new Violation("search.kind", "'" + kind + "'", "asha (successive halving), full (every trial for max_epochs)"));
        }
        String metric = s.path("metric").asText(defaultMetric);
        if (!metric.equals(defaultMetric)) {
            v.add(new Violation("search.metric", "'" + metric + "': trials are chosen on the validation metric training computes for a "
                    + base.task().kind() + " task", defaultMetric));
        }
        int max = (int) integer(s, "max_epochs", epochs, 1, 100_000, v, "search.");
        int min = (int) integer(s, "min_epochs", "asha".equals(kind) ? Math.max(1, max / 9) : max, 1, 100_000, v, "search.");
        int eta = (int) integer(s, "eta", 3, 2, 100, v, "search.");
        if (min > max) {
            v.add(new Violation("search.min_epochs", min + " is more than max_epochs " + max, "min_epochs <= max_epochs"));
        }
        return new StudyConfig.Search(kind, metric, "full".equals(kind) ? max : min, max, eta);
    }

    private static StudyConfig.Distribution distribution(String where, JsonNode d, List<Violation> v) {
        String allowed = "{uniform: [low, high]}, {log_uniform: [low, high]}, {int: [low, high]}, {choice: [a, b, ...]}";
        if (!d.isObject() || d.size() != 1) {
            v.add(new Violation(where, "is " + Section.describe(d), allowed));
            return null;
        }
        String kind = d.fieldNames().next();
        JsonNode args = d.get(kind);
        if (!DISTRIBUTIONS.contains(kind)) {
            v.add(new Violation(where + "." + kind, "unknown distribution" + DidYouMean.hint(kind, DISTRIBUTIONS), allowed));
            return null;
        }
        if (kind.equals("choice")) {
            if (!args.isArray() || args.isEmpty()) {
                v.add(new Violation(where + ".choice", "is " + Section.describe(args), "a non-empty list of values"));
                return null;
            }
            List<JsonNode> choices = new ArrayList<>();
            args.forEach(choices::add);
            return new StudyConfig.Distribution(kind, 0, 0, choices);
        }
        if (!args.isArray() || args.size() != 2 || !args.get(0).isNumber() || !args.get(1).isNumber()) {
            v.add(new Violation(where + "." + kind, "is " + Section.describe(args), "[low, high], two numbers"));
            return null;
        }
        double low = args.get(0).asDouble();
        double high = args.get(1).asDouble();
        if (!(low < high) || (kind.equals("log_uniform") && low <= 0)
                || (kind.equals("int") && (low != Math.rint(low) || high != Math.rint(high)))) {
            v.add(new Violation(where + "." + kind, "[" + args.get(0) + ", " + args.get(1) + "]",
                    kind.equals("log_uniform") ? "0 < low < high" : kind.equals("int") ? "whole numbers, low < high" : "low < high"));
            return null;
        }
        return new StudyConfig.Distribution(kind, low, high, null);
    }

    /** A section's keys as dotted paths ({@code {model: {dropout: [..]}}} and {@code {model.dropout: [..]}} alike). */
    private static Map<String, JsonNode> flat(JsonNode section, String where, List<Violation> v) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (section.isMissingNode() || section.isNull()) {
            return out;
        }
        if (!section.isObject()) {
            v.add(new Violation(where, "is " + Section.describe(section), "a mapping of experiment keys, e.g. {model.kind: ..}"));
            return out;
        }
        flatten("", section, out, where.equals("random"));
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, JsonNode> out, boolean distributions) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            JsonNode value = e.getValue();
            // a nested mapping continues the path, except (under random:) a distribution: one key whose value is not a mapping
            boolean distribution = distributions && value.isObject() && value.size() == 1 && !value.elements().next().isObject();
            if (value.isObject() && !distribution && value.size() > 0) {
                flatten(key, value, out, distributions);
            } else {
                out.put(key, value);
            }
        }
    }

    private static long integer(JsonNode root, String key, long otherwise, long min, long max, List<Violation> v) {
        return integer(root, key, otherwise, min, max, v, "");
    }

    private static long integer(JsonNode root, String key, long otherwise, long min, long max, List<Violation> v, String prefix) {
        JsonNode n = root.path(key);
        if (n.isMissingNode() || n.isNull()) {
            return otherwise;
        }
        if (!n.isIntegralNumber() || n.asLong() < min || n.asLong() > max) {
            v.add(new Violation(prefix + key, "'" + n.asText() + "'", String.format(Locale.ROOT, "a whole number from %d to %d", min, max)));
            return otherwise;
        }
        return n.asLong();
    }
}
