package org.oncobench.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** Loads an experiment file: parse YAML, apply {@code --set} overrides, validate everything, resolve. */
public final class ExperimentLoader {
    private final YamlFiles yaml = new YamlFiles();

    public LoadedExperiment load(Path file, List<String> overrides) {
        JsonNode tree = yaml.read(file);
        if (!(tree instanceof ObjectNode root)) {
            throw new BadInputException(file + ": the experiment must be a mapping of keys (name, data, model, ...), not "
                    + Section.describe(tree));
        }
        new Overrides(yaml).apply(root, overrides);
        ExperimentConfig config = new ExperimentValidator(file).validate(root);
        String resolved = yaml.write(config);
        return new LoadedExperiment(file.toAbsolutePath().normalize(), config, resolved, sha256(resolved), List.copyOf(overrides));
    }

    static String sha256(String text) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
