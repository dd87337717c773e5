package org.oncobench.runs;

import org.oncobench.config.BadInputException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Answers list queries (filter, sort, one page) from the registry index, never from the run folders: the index is read
 * once and kept until its file changes, so a folder of 10,000 runs answers in milliseconds. Running runs are
 * re-checked on every query (a killed process turns its run into "interrupted" at once).
 */
public final class RunListing {
    /** The largest page a query may ask for. */
    public static final int MAX_LIMIT = 1000;

    /** One page of a query: how many runs exist, how many matched, and the runs of this page in order. */
    public record Page(int total, int matched, int offset, int limit, String sort, boolean descending, List<RunRecord> runs) {
    }

    private final RunStore store;
    private List<RunRegistry.Entry> cached = List.of();
    private Object cachedStamp;

    public RunListing(RunStore store) {
        this.store = store;
    }

    /**
     * @param query  the filter language of {@link RunQuery} (blank: every run)
     * @param sort   a field of {@link RunQuery#field} ({@code id} when null); runs without a value sort last
     * @param limit  runs per page, 1..{@link #MAX_LIMIT}, or {@link Integer#MAX_VALUE} for every match (the CLI)
     */
    public Page page(String query, String sort, boolean descending, int offset, int limit) {
        return page(query, null, sort, descending, offset, limit);
    }

    /** @param status only runs of this status (as a reader sees it: a dead running run is interrupted); null: any */
    public Page page(String query, String status, String sort, boolean descending, int offset, int limit) {
        if (limit < 1 || (limit > MAX_LIMIT && limit != Integer.MAX_VALUE)) {
            throw new BadInputException("limit " + limit + " is out of range; allowed: 1.." + MAX_LIMIT);
        }
        if (offset < 0) {
            throw new BadInputException("offset " + offset + " is negative");
        }
        String key = sort == null || sort.isBlank() ? "id" : sort.trim().toLowerCase(java.util.Locale.ROOT);
        Snapshot snap = snapshotWithFields();
        List<RunRecord> all = snap.records();
        RunFields fields = snap.fields();
        if (!fields.contains(key) && !key.equals("gain")) {
            throw new BadInputException("sort: " + fields.unknown(key, sort) + ", gain");
        }
        RunQuery q = RunQuery.parse(query, fields);
        List<RunRecord> matched = new ArrayList<>();
        for (RunRecord r : all) {
            RunRecord e = RunStatus.RUNNING.label().equals(r.status()) ? RunRecords.effective(r) : r;
            if ((status == null || status.isBlank() || status.equals(e.status())) && q.matches(e)) {
                matched.add(e);
            }
        }
        // sort keys computed once per run (numbers as numbers, as the filter compares them), not once per comparison
        record Keyed(RunRecord run, Double number, String text) {
        }
        List<Keyed> keyed = new ArrayList<>(matched.size());
        for (RunRecord r : matched) {
            Object v = value(r, key);
            Double number = v instanceof Double d ? d : v == null ? null : RunQuery.numberOrNull(v.toString());
            keyed.add(new Keyed(r, number, v == null ? null : v.toString()));
        }
        Comparator<Keyed> byValue = (a, b) -> {
            if (a.text() == null || b.text() == null) {
                return a.text() == null ? (b.text() == null ? 0 : 1) : -1; // no value: last, whichever the order
            }
            int c = a.number() != null && b.number() != null ? Double.compare(a.number(), b.number()) : a.text().compareTo(b.text());
            return descending ? -c : c;
        };
        keyed.sort(byValue.thenComparing(k -> k.run().id(), Comparator.reverseOrder()));
        int from = Math.min(offset, keyed.size());
        int to = Math.min(keyed.size(), from + limit);
        return new Page(all.size(), matched.size(), offset, limit, key, descending, keyed.subList(from, to).stream().map(Keyed::run).toList());
    }

    /** The gain over the best baseline (positive: the model is better), or a field's value. */
    private static Object value(RunRecord r, String key) {
        if (key.equals("gain")) {
            if (r.value() == null || r.baselineValue() == null) {
                return null;
            }
            return "auc".equals(r.metric()) ? r.value() - r.baselineValue() : r.baselineValue() - r.value();
        }
        return RunQuery.field(r, key);
    }

    /**
     * Every indexed run, re-read only when the index file changed since the last read, and checked against the run
     * folders: a folder deleted by hand drops out, one whose run.json, metrics.json or tags.json changed is read again
     * (an unreadable run.json shows as damaged), and the index is corrected to match (when it can be written).
     */
    public List<RunRecord> snapshot() {
        return snapshotWithFields().records();
    }

    /** The runs and the field names they can be filtered by, computed once per change of the index. */
    private record Snapshot(List<RunRecord> records, RunFields fields) {
    }

    private List<RunRegistry.Entry> fieldsOf;
    private RunFields fields;

    private synchronized Snapshot snapshotWithFields() {
        Object stamp = stamp(store.registry().file());
        if (stamp == null || !stamp.equals(cachedStamp)) {
            cached = List.copyOf(store.registry().entries());
            cachedStamp = stamp;
        }
        List<String> changed = new ArrayList<>();
        for (RunRegistry.Entry e : cached) {
            if (!RunRecords.stamp(store.root().resolve(e.record().id())).equals(e.stamp())) {
                changed.add(e.record().id());
            }
        }
        if (!changed.isEmpty()) {
            try {
                store.registry().reindex(changed);
                cached = List.copyOf(store.registry().entries());
                cachedStamp = stamp(store.registry().file());
            } catch (RuntimeException e) { // a read-only runs folder: answer from the folders without correcting the index
                cached = corrected(cached, new java.util.HashSet<>(changed));
            }
        }
        List<RunRecord> records = cached.stream().map(RunRegistry.Entry::record).toList();
        if (fieldsOf != cached) {
            fields = RunFields.of(records);
            fieldsOf = cached;
        }
        return new Snapshot(records, fields);
    }

    private List<RunRegistry.Entry> corrected(List<RunRegistry.Entry> entries, java.util.Set<String> changed) {
        List<RunRegistry.Entry> out = new ArrayList<>();
        for (RunRegistry.Entry e : entries) {
            if (!changed.contains(e.record().id())) {
                out.add(e);
                continue;
            }
            Path dir = store.root().resolve(e.record().id());
            String now = RunRecords.stamp(dir);
            RunRecords.read(dir).ifPresent(r -> out.add(new RunRegistry.Entry(r, now)));
        }
        return List.copyOf(out);
    }

    private static Object stamp(Path file) {
        try {
            if (!Files.exists(file)) {
                return null;
            }
            FileTime modified = Files.getLastModifiedTime(file);
            return List.of(modified, Files.size(file)); // full precision: two writes within a millisecond differ too
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
