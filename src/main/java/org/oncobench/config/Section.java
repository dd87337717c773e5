package org.oncobench.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One mapping of an experiment tree with its key path. Reading a key validates it; every problem is added to the
 * shared violation list and a neutral value is returned, so validation carries on and reports all problems at once.
 */
final class Section {
    private final ObjectNode node;
    private final String path;
    private final List<Violation> violations;
    private final Path baseDir;

    Section(ObjectNode node, String path, List<Violation> violations, Path baseDir) {
        this.node = node;
        this.path = path;
        this.violations = violations;
        this.baseDir = baseDir;
    }

    String path() {
        return path;
    }

    /** The same mapping with paths resolved against {@code base} (a layout's data directory) instead of the experiment file's. */
    Section resolvingAgainst(Path base) {
        return new Section(node, path, violations, base);
    }

    /** The raw value of a key (null when absent), for keys that take more than one shape (a list or a mapping). */
    JsonNode raw(String key) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v;
    }

    /** A path below this section's base directory, checked like {@link #existingFile} but given, not read from a key. */
    String existingFile(String key, String relative) {
        Path p = baseDir.resolve(relative).toAbsolutePath().normalize();
        if (!Files.isRegularFile(p)) {
            fail(key, "file not found: " + p, "the file at this place of the layout, or " + key + " naming another");
        }
        return p.toString();
    }

    String keyPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    void fail(String key, String problem, String allowed) {
        violations.add(new Violation(keyPath(key), problem, allowed));
    }

    /** Reports keys that are not in {@code allowed}, with a did-you-mean where one is close. */
    void allowOnly(Set<String> allowed) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String key = names.next();
            if (!allowed.contains(key)) {
                String hint = DidYouMean.hint(key, allowed);
                violations.add(new Violation(keyPath(key), "unknown key" + hint,
                        allowed.stream().sorted().collect(Collectors.joining(", "))));
            }
        }
    }

    /** A nested section; absent gives an empty one, a non-mapping is a violation. */
    Section section(String key, boolean required) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            if (required) {
                fail(key, "missing", "a mapping");
            }
            return new Section(node.objectNode(), keyPath(key), violations, baseDir);
        }
        if (!(v instanceof ObjectNode obj)) {
            fail(key, "expected a mapping but got " + describe(v), "a mapping of keys to values");
            return new Section(node.objectNode(), keyPath(key), violations, baseDir);
        }
        return new Section(obj, keyPath(key), violations, baseDir);
    }

    /** The named sub-sections of a mapping such as {@code data.samples}. */
    Map<String, Section> namedSections(String key) {
        Map<String, Section> out = new LinkedHashMap<>();
        Section parent = section(key, false);
        Iterator<Map.Entry<String, JsonNode>> fields = parent.node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            if (e.getValue() instanceof ObjectNode obj) {
                out.put(e.getKey(), new Section(obj, parent.keyPath(e.getKey()), violations, baseDir));
            } else {
                parent.fail(e.getKey(), "expected a mapping but got " + describe(e.getValue()), "a mapping such as {file: ..., id: ...}");
            }
        }
        return out;
    }

    String string(String key, String defaultValue) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            if (defaultValue == null) {
                fail(key, "missing", "a text value");
            }
            return defaultValue;
        }
        if (!v.isValueNode() || v.asText().isBlank()) {
            fail(key, "expected text but got " + describe(v), "a non-empty text value");
            return defaultValue;
        }
        return v.asText();
    }

    /** An optional text value: null when absent. */
    String optionalString(String key) {
        if (!has(key)) {
            return null;
        }
        return string(key, "");
    }

    String choice(String key, String defaultValue, List<String> allowed) {
        String value = string(key, defaultValue);
        if (value != null && !allowed.contains(value)) {
            String hint = DidYouMean.hint(value, allowed);
            fail(key, "'" + value + "' is not supported" + hint, String.join(", ", allowed));
            return defaultValue;
        }
        return value;
    }

    boolean bool(String key, boolean defaultValue) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (!v.isBoolean()) {
            fail(key, "expected true or false but got " + describe(v), "true, false");
            return defaultValue;
        }
        return v.asBoolean();
    }

    long integer(String key, long defaultValue, long min, long max) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (!v.isIntegralNumber()) {
            fail(key, "expected an integer but got " + describe(v), range(min, max));
            return defaultValue;
        }
        long value = v.asLong();
        if (value < min || value > max) {
            fail(key, value + " is out of range", range(min, max));
            return defaultValue;
        }
        return value;
    }

    double number(String key, double defaultValue, double min, double max, boolean maxExclusive) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (!v.isNumber()) {
            fail(key, "expected a number but got " + describe(v), "a number in [" + min + ", " + max + (maxExclusive ? ")" : "]"));
            return defaultValue;
        }
        double value = v.asDouble();
        boolean tooHigh = maxExclusive ? value >= max : value > max;
        if (!Double.isFinite(value) || value < min || tooHigh) {
            fail(key, value + " is out of range", "a number in [" + min + ", " + max + (maxExclusive ? ")" : "]"));
            return defaultValue;
        }
        return value;
    }

    List<Integer> integerList(String key, List<Integer> defaultValue, int min, int max) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (!v.isArray()) {
            fail(key, "expected a list but got " + describe(v), "a list, each item " + range(min, max) + ", e.g. [256, 64]");
            return defaultValue;
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            if (!item.isIntegralNumber() || item.asLong() < min || item.asLong() > max) {
                fail(key + "[" + i + "]", describe(item) + " is not allowed", range(min, max));
                return defaultValue;
            }
            out.add(item.asInt());
        }
        return List.copyOf(out);
    }

    /** A list of fractions in (0, 1], strictly increasing (e.g. training sizes of a learning curve). */
    List<Double> fractionList(String key, List<Double> defaultValue) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (!v.isArray() || v.isEmpty()) {
            fail(key, "expected a non-empty list but got " + describe(v), "increasing fractions in (0, 1], e.g. [0.1, 0.25, 0.5, 1.0]");
            return defaultValue;
        }
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            double d = item.asDouble();
            if (!item.isNumber() || !(d > 0 && d <= 1) || (!out.isEmpty() && d <= out.get(out.size() - 1))) {
                fail(key + "[" + i + "]", describe(item) + " is not allowed", "increasing fractions in (0, 1], e.g. [0.1, 0.25, 0.5, 1.0]");
                return defaultValue;
            }
            out.add(d);
        }
        return List.copyOf(out);
    }

    /** A list of non-empty text values (column names, say). */
    List<String> textList(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (v.isArray()) {
            v.forEach(item -> out.add(item.isValueNode() ? item.asText() : ""));
        }
        if (!v.isArray() || out.stream().anyMatch(String::isBlank)) {
            fail(key, "expected a list of names but got " + describe(v), "a list such as [cellosaurus_id]");
            return List.of();
        }
        return List.copyOf(out);
    }

    List<String> choiceList(String key, List<String> defaultValue, List<String> allowed) {
        return choiceList(key, defaultValue, allowed, item -> "");
    }

    /** As above; {@code why} says more about an item that is not allowed (e.g. that it belongs to another task kind), or "". */
    List<String> choiceList(String key, List<String> defaultValue, List<String> allowed, java.util.function.Function<String, String> why) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (!v.isArray()) {
            fail(key, "expected a list but got " + describe(v), "a list of: " + String.join(", ", allowed));
            return defaultValue;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            String item = v.get(i).asText();
            if (!v.get(i).isTextual() || !allowed.contains(item)) {
                String reason = v.get(i).isTextual() ? why.apply(item) : "";
                String hint = reason.isEmpty() ? DidYouMean.hint(item, allowed) : " (" + reason + ")";
                fail(key + "[" + i + "]", "'" + item + "' is not supported" + hint, String.join(", ", allowed));
            } else if (!out.contains(item)) {
                out.add(item);
            }
        }
        return List.copyOf(out);
    }

    /** A path relative to the experiment file; must name an existing regular file. Returns it absolute. */
    String existingFile(String key) {
        return existingPath(key, false);
    }

    /** A path relative to the experiment file; must name an existing directory. Returns it absolute. */
    String existingDir(String key) {
        return existingPath(key, true);
    }

    private String existingPath(String key, boolean directory) {
        String raw = string(key, null);
        if (raw == null) {
            return null;
        }
        Path p = baseDir.resolve(raw).toAbsolutePath().normalize();
        boolean ok = directory ? Files.isDirectory(p) : Files.isRegularFile(p);
        if (!ok) {
            String what = directory ? "directory" : "file";
            fail(key, what + " not found: " + p + (!directory && Files.isDirectory(p) ? " is a directory" : ""),
                    "a path to an existing " + what + ", relative to the experiment file");
        }
        return p.toString();
    }

    private static String range(long min, long max) {
        return max == Long.MAX_VALUE || max == Integer.MAX_VALUE ? "an integer ≥ " + min : "an integer in [" + min + ", " + max + "]";
    }

    static String describe(JsonNode v) {
        if (v.isTextual()) {
            return "'" + v.asText() + "'";
        }
        if (v.isObject()) {
            return "a mapping";
        }
        if (v.isArray()) {
            return "a list";
        }
        return v.toString();
    }
}
