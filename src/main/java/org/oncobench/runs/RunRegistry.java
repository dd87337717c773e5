package org.oncobench.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.mapdb.DB;
import org.mapdb.DBException;
import org.mapdb.DBMaker;
import org.mapdb.HTreeMap;
import org.mapdb.Serializer;
import org.oncobench.config.BadInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The run registry {@code runs/runs.mapdb}: an index of every run (id to a JSON {@link RunRecord}) in MapDB with
 * transactions, so a killed process leaves it readable. Processes take turns through an OS file lock on
 * {@code runs/.runs.lock}, opening the database only for the moment of a read or write, so concurrent runs never
 * corrupt it or lose a run. The run folders stay the source of truth: {@link #rebuild} recreates the index from them.
 */
public final class RunRegistry {
    public static final String FILE = "runs.mapdb";
    private static final String LOCK = ".runs.lock";
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * One lock object per registry folder for the whole JVM. The OS file lock below is held per process: a second
     * thread of the same process asking for it gets OverlappingFileLockException instead of waiting, so threads of one
     * process (the UI's handlers, a training, a study's workers), through any number of RunRegistry objects, take turns
     * here first. This is the one JVM-wide state of the package, and it is what a per-process OS lock requires.
     */
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();
    private final Path root;

    public RunRegistry(Path root) {
        this.root = root;
    }

    public Path file() {
        return root.resolve(FILE);
    }

    /** One indexed run and the stamp of its folder's files when it was indexed ({@link RunRecords#stamp}; null: unknown). */
    public record Entry(RunRecord record, String stamp) {
    }

    /** Indexes a record, with the stamp its folder has now. */
    public void put(RunRecord record) {
        withMap(map -> {
            map.put(record.id(), RunRecords.stamp(root.resolve(record.id())), record);
            return null;
        }, true);
    }

    /**
     * Reads the run folders named by {@code ids} again and indexes what they hold now, in one transaction under the lock
     * (so a concurrent writer's newer state is never overwritten with an older one): a folder that is gone leaves the
     * index, an unreadable run.json is indexed as damaged.
     */
    public void reindex(java.util.Collection<String> ids) {
        reindexAfter(ids, () -> { });
    }

    /** Runs {@code change} (moving folders in or out), then reindexes {@code ids}; nothing is indexed if the change fails. */
    public void reindexAfter(java.util.Collection<String> ids, Runnable change) {
        withMap(map -> {
            change.run();
            for (String id : ids) {
                Path dir = root.resolve(id);
                String stamp = RunRecords.stamp(dir); // before reading: a change during the read leaves a stale stamp, read again later
                RunRecord record = RunRecords.inspect(dir).record();
                if (record == null) {
                    map.remove(id);
                } else {
                    map.put(id, stamp, record);
                }
            }
            return null;
        }, true);
    }

    public Optional<RunRecord> get(String id) {
        return Optional.ofNullable(withMap(map -> map.runs.get(id), false)).map(RunRegistry::fromJson);
    }

    /** Every run, newest first. */
    public List<RunRecord> list() {
        return entries().stream().map(Entry::record).toList();
    }

    /** Every run with its folder stamp, newest first. */
    public List<Entry> entries() {
        List<Entry> out = withMap(map -> {
            List<Entry> all = new ArrayList<>();
            java.util.Map<String, String> stamps = new java.util.HashMap<>(map.stamps);
            for (Object o : map.runs.entrySet()) {
                @SuppressWarnings("unchecked") java.util.Map.Entry<String, String> e = (java.util.Map.Entry<String, String>) o;
                all.add(new Entry(fromJson(e.getValue()), stamps.get(e.getKey())));
            }
            return all;
        }, false);
        out = out == null ? new ArrayList<>() : out;
        out.sort(Comparator.comparing((Entry e) -> e.record().id()).reversed());
        return out;
    }

    /**
     * Replaces the index with the given records (from the run folders): a new index is written beside the old one and
     * moved over it in one step, so readers see the old index or the new one, and no copies are left behind.
     */
    public void rebuild(List<RunRecord> records) {
        lock(() -> {
            Path db = file();
            Path fresh = root.resolve(FILE + ".rebuild");
            try {
                deleteLogs(fresh);
                Files.deleteIfExists(fresh);
                DB mapdb = open(fresh);
                try {
                    Maps map = maps(mapdb);
                    for (RunRecord r : records) {
                        map.put(r.id(), RunRecords.stamp(root.resolve(r.id())), r);
                    }
                    mapdb.commit();
                } finally {
                    mapdb.close();
                }
                deleteLogs(fresh);
                deleteLogs(db); // the old index's write-ahead logs would replay into the new file
                RunFolder.moveIntoPlace(fresh, db);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot rebuild " + db, e);
            }
            return null;
        });
    }

    /** Deletes the write-ahead logs MapDB keeps beside a database file ({@code FILE.wal.N}). */
    private void deleteLogs(Path file) throws IOException {
        try (var files = Files.list(root)) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith(file.getFileName() + ".wal")).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The index's two maps: id to record JSON, id to folder stamp. */
    private record Maps(HTreeMap<String, String> runs, HTreeMap<String, String> stamps) {
        void put(String id, String stamp, RunRecord record) {
            runs.put(id, toJson(record));
            stamps.put(id, stamp);
        }

        void remove(String id) {
            runs.remove(id);
            stamps.remove(id);
        }
    }

    private <T> T withMap(Function<Maps, T> action, boolean write) {
        if (!write && !Files.exists(file())) {
            return null;
        }
        return lock(() -> {
            DB db;
            try {
                db = open(file());
            } catch (DBException e) {
                throw corrupt(e);
            }
            try {
                T result = action.apply(maps(db));
                if (write) {
                    db.commit();
                }
                return result;
            } catch (RuntimeException e) {
                if (write) {
                    db.rollback();
                }
                // only a damaged index is the user's to rebuild; anything else is a defect here, reported as one
                throw e instanceof DBException || e instanceof CorruptEntry ? corrupt(e) : e;
            } finally {
                db.close();
            }
        });
    }

    private BadInputException corrupt(RuntimeException e) {
        return new BadInputException(file() + " is unreadable (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                + "); the run folders are intact: recreate the index with 'oncobench runs rebuild --runs-dir " + root + "'");
    }

    /** An index entry that is not a run record: the index is damaged (MapDB read back something else). */
    private static final class CorruptEntry extends RuntimeException {
        CorruptEntry(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static DB open(Path file) {
        return DBMaker.fileDB(file.toFile()).transactionEnable().make();
    }

    private static Maps maps(DB db) {
        return new Maps(db.hashMap("runs", Serializer.STRING, Serializer.STRING).createOrOpen(),
                db.hashMap("stamps", Serializer.STRING, Serializer.STRING).createOrOpen());
    }

    private interface Locked<T> {
        T run();
    }

    private <T> T lock(Locked<T> action) {
        ReentrantLock inProcess = IN_PROCESS.computeIfAbsent(root.toAbsolutePath().normalize(), k -> new ReentrantLock());
        inProcess.lock();
        try {
            Files.createDirectories(root);
            try (FileChannel channel = FileChannel.open(root.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                return action.run();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock the run registry in " + root, e);
        } finally {
            inProcess.unlock();
        }
    }

    private static String toJson(RunRecord r) {
        try {
            return JSON.writeValueAsString(r);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RunRecord fromJson(String s) {
        try {
            return JSON.readValue(s, RunRecord.class);
        } catch (JsonProcessingException e) {
            throw new CorruptEntry("registry entry is not a run record: " + s, e);
        }
    }
}
