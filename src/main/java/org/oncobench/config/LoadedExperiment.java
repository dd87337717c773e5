package org.oncobench.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated experiment with the YAML it resolves to (overrides applied, defaults filled, paths absolute), the
 * SHA-256 of that YAML, which identifies the configuration, and the {@code --set} overrides it was loaded with.
 */
public record LoadedExperiment(Path file, ExperimentConfig config, String resolvedYaml, String configHash, List<String> overrides) {

    /** The overrides as key to value (as given, trimmed key), in the order given; a key set twice keeps its last value. */
    public Map<String, String> overrideMap() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq > 0) {
                String key = o.substring(0, eq).trim();
                out.remove(key); // the last setting's position
                out.put(key, o.substring(eq + 1));
            }
        }
        return out;
    }
}
