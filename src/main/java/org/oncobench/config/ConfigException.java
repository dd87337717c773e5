package org.oncobench.config;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Every violation found in one experiment or study file, reported together. */
public class ConfigException extends BadInputException {
    private final List<Violation> violations;

    public ConfigException(Path file, List<Violation> violations) {
        this(file, violations, "experiment");
    }

    /** @param kind what the file is ("experiment", "study"), as the message names it */
    public ConfigException(Path file, List<Violation> violations, String kind) {
        super(format(file, violations, kind));
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }

    private static String format(Path file, List<Violation> violations, String kind) {
        String head = file + ": " + violations.size() + (violations.size() == 1 ? " problem" : " problems") + " in the " + kind + ":";
        return head + violations.stream().map(v -> "\n  - " + v.describe()).collect(Collectors.joining());
    }
}
