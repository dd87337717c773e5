package org.oncobench.runs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The field names a set of runs can be filtered and sorted by: the fields every run has ({@link RunQuery#FIELDS}, the
 * headline metrics as {@code test.rmse}, {@code test.auc}, {@code baseline.rmse}, {@code baseline.auc}), and the names
 * the runs themselves bring: study parameters and {@code --set} overrides ({@code model.dropout}) and tags
 * ({@code tags.owner}). A name outside them is a mistake ({@code test.rmsee}, {@code model.kindd}); {@link #nearest}
 * proposes what was probably meant.
 */
public final class RunFields {
    /** The headline metrics a run can carry (run.json's metric: auc for classification, rmse for regression). */
    static final List<String> METRICS = List.of("rmse", "auc");
    private static final List<String> FIXED = List.of("id", "name", "status", "model", "model.kind", "split", "split.kind", "group", "study",
            "started", "finished", "duration", "duration_seconds", "metric", "value", "test.rmse", "test.auc", "baseline", "baseline_value",
            "baseline.rmse", "baseline.auc", "best_baseline", "error", "note");
    private final Set<String> names;

    private RunFields(Set<String> names) {
        this.names = names;
    }

    /** The fields of these runs: the fixed ones and every parameter, override and tag key any of them has. */
    public static RunFields of(Collection<RunRecord> runs) {
        Set<String> names = new LinkedHashSet<>(FIXED);
        Set<String> extra = new java.util.TreeSet<>();
        for (RunRecord r : runs) {
            if (r.params() != null) {
                r.params().keySet().forEach(k -> extra.add(k.toLowerCase(Locale.ROOT)));
            }
            if (r.overrides() != null) {
                r.overrides().keySet().forEach(k -> extra.add(k.toLowerCase(Locale.ROOT)));
            }
            if (r.tags() != null) {
                r.tags().keySet().forEach(k -> extra.add("tags." + k.toLowerCase(Locale.ROOT)));
            }
        }
        names.addAll(extra);
        return new RunFields(names);
    }

    /** Whether a (lower-case) field name is one of these, also as {@code params.KEY} for a parameter. */
    public boolean contains(String field) {
        return names.contains(field) || (field.startsWith("params.") && names.contains(field.substring(7)));
    }

    /** Every known name, fixed fields first. */
    public List<String> names() {
        return List.copyOf(names);
    }

    /**
     * Up to three known names nearest to a misspelt one (edit distance at most a third of its length, at least 2), the
     * nearest first; empty when nothing is near.
     */
    public List<String> nearest(String field) {
        int limit = Math.max(2, field.length() / 3);
        record Scored(String name, int distance) {
        }
        List<Scored> scored = new ArrayList<>();
        for (String n : names) {
            int d = org.oncobench.config.DidYouMean.distance(field, n);
            if (d <= limit) {
                scored.add(new Scored(n, d));
            }
        }
        scored.sort(Comparator.comparingInt(Scored::distance));
        return scored.stream().limit(3).map(Scored::name).toList();
    }

    /** "unknown field 'x'; did you mean a or b? fields: ..." */
    public String unknown(String field, String original) {
        List<String> near = nearest(field);
        return "unknown field '" + original + "'" + (near.isEmpty() ? "" : "; did you mean " + String.join(" or ", near) + "?")
                + " Fields: " + String.join(", ", names);
    }
}
