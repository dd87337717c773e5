package org.oncobench.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** Applies {@code --set key.path=value} overrides to an experiment tree; values are parsed as YAML scalars or lists. */
final class Overrides {
    private final YamlFiles yaml;

    Overrides(YamlFiles yaml) {
        this.yaml = yaml;
    }

    void apply(ObjectNode root, List<String> overrides) {
        for (String override : overrides) {
            int eq = override.indexOf('=');
            if (eq <= 0) {
                throw new BadInputException("--set " + override + ": expected key.path=value, e.g. --set training.epochs=5");
            }
            String path = override.substring(0, eq).trim();
            String raw = override.substring(eq + 1);
            JsonNode value = yaml.parse(raw.isEmpty() ? "''" : raw, "--set " + path);
            String[] keys = path.split("\\.");
            ObjectNode node = root;
            StringBuilder walked = new StringBuilder();
            for (int i = 0; i < keys.length - 1; i++) {
                String key = keys[i];
                if (key.isEmpty()) {
                    throw new BadInputException("--set " + override + ": empty key in '" + path + "'");
                }
                walked.append(walked.length() == 0 ? "" : ".").append(key);
                JsonNode child = node.get(key);
                if (child == null || child.isNull()) {
                    node = node.putObject(key);
                } else if (child instanceof ObjectNode obj) {
                    node = obj;
                } else {
                    throw new BadInputException("--set " + override + ": '" + walked + "' is a value, not a section, so '"
                            + path + "' cannot be set");
                }
            }
            node.set(keys[keys.length - 1], value);
        }
    }
}
