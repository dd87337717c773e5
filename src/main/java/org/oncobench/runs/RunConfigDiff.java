package org.oncobench.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.oncobench.config.ExperimentLoader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How a run's configuration differs from its experiment file as that file resolves today (no overrides, defaults
 * filled): the {@code --set} overrides, a study's settings and parameters, a promotion's longer training, or edits made
 * to the file since. The file is the one provenance.json names.
 *
 * @param file        the experiment file (null when provenance.json names none)
 * @param differences key to [the file's value, the run's value] ("(absent)" where one side lacks the key)
 * @param problem     why no comparison was made (the file is gone or no longer loads), else null
 */
public record RunConfigDiff(Path file, Map<String, List<String>> differences, String problem) {
    public static final String ABSENT = "(absent)";

    public static RunConfigDiff of(Path runDir) {
        JsonNode provenance = RunComparison.readJson(runDir.resolve("provenance.json"));
        String name = provenance == null ? null : provenance.path("experiment_file").asText(null);
        if (name == null) {
            return new RunConfigDiff(null, Map.of(), "provenance.json names no experiment file");
        }
        Path file = Path.of(name);
        if (!Files.isRegularFile(file)) {
            return new RunConfigDiff(file, Map.of(), file + " is gone");
        }
        JsonNode fromFile;
        try {
            fromFile = new YAMLMapper().readTree(new ExperimentLoader().load(file, List.of()).resolvedYaml());
        } catch (RuntimeException | IOException e) {
            return new RunConfigDiff(file, Map.of(), file + " no longer loads (" + firstLine(e.getMessage()) + ")");
        }
        Map<String, String> a = new TreeMap<>();
        Map<String, String> b = new TreeMap<>();
        RunComparison.flatten("", fromFile, a);
        RunComparison.flatten("", RunComparison.readYaml(runDir.resolve("experiment.yaml")), b);
        TreeSet<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String k : keys) {
            String x = a.getOrDefault(k, ABSENT);
            String y = b.getOrDefault(k, ABSENT);
            if (!x.equals(y)) {
                out.put(k, List.of(x, y));
            }
        }
        return new RunConfigDiff(file, out, null);
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
