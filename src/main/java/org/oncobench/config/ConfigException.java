package org.oncobench.config;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Every violation found in one experiment file, reported together. */
public class ConfigException extends BadInputException {
    private final List<Violation> violations;

    public ConfigException(Path file, List<Violation> violations) {
        super(format(file, violations));
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }

    private static String format(Path file, List<Violation> violations) {
        String head = file + ": " + violations.size() + (violations.size() == 1 ? " problem" : " problems") + " in the experiment:";
        return head + violations.stream().map(v -> "\n  - " + v.describe()).collect(Collectors.joining());
    }
}
