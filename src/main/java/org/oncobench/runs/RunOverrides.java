package org.oncobench.runs;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What tells a run apart from other runs of its experiment, as {@code runs list}, the UI's runs table and a notebook's
 * {@code wb.runs()} show it: a study trial's parameters (its seed among them), else the {@code --set} overrides it was
 * started with (none for runs recorded before run.json kept them). A trial's number and a run group member's
 * {@code seeds: []} tell nothing apart and are left out.
 */
public final class RunOverrides {
    private static final Set<String> HIDDEN = Set.of("seeds", "trial");

    private RunOverrides() {
    }

    /** Key to value, in the order recorded. */
    public static Map<String, String> distinguishing(RunRecord r) {
        Map<String, String> out = new LinkedHashMap<>();
        if (r.study() != null && r.params() != null) {
            r.params().forEach((k, v) -> out.put(k, String.valueOf(v)));
        } else if (r.overrides() != null) {
            out.putAll(r.overrides());
        }
        HIDDEN.forEach(out::remove);
        return out;
    }

    /** "key=value key=value". */
    public static String text(Map<String, String> overrides) {
        return String.join(" ", overrides.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    }
}
