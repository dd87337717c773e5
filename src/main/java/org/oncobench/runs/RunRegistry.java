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

    public void put(RunRecord record) {
        withMap(map -> {
            map.put(record.id(), toJson(record));
            return null;
        }, true);
    }

    public Optional<RunRecord> get(String id) {
        return Optional.ofNullable(withMap(map -> map.get(id), false)).map(RunRegistry::fromJson);
    }

    /** Every run, newest first. */
    public List<RunRecord> list() {
        List<String> values = withMap(map -> new ArrayList<>(map.values()), false);
        List<RunRecord> out = new ArrayList<>();
        for (String v : values == null ? List.<String>of() : values) {
            out.add(fromJson(v));
        }
        out.sort(Comparator.comparing(RunRecord::id).reversed());
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
                    HTreeMap<String, String> map = map(mapdb);
                    for (RunRecord r : records) {
                        map.put(r.id(), toJson(r));
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

    private <T> T withMap(Function<HTreeMap<String, String>, T> action, boolean write) {
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
                T result = action.apply(map(db));
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

    private static HTreeMap<String, String> map(DB db) {
        return db.hashMap("runs", Serializer.STRING, Serializer.STRING).createOrOpen();
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
