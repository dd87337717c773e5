package org.oncobench.config;

/**
 * One problem found in an experiment file: the key path, what is wrong with its value, and what is allowed.
 */
public record Violation(String path, String problem, String allowed) {
    public String describe() {
        String where = path.isEmpty() ? "(top level)" : path;
        return allowed == null || allowed.isEmpty()
                ? where + ": " + problem
                : where + ": " + problem + "; allowed: " + allowed;
    }
}
